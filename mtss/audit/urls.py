from django.urls import path

from mtss.audit import views

urlpatterns = [path("audit/", views.audit_list, name="audit_list")]
