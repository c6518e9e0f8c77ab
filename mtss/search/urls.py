from django.urls import path

from mtss.search import views

urlpatterns = [
    path("search/", views.search, name="search"),
]
