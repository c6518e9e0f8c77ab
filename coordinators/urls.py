from django.urls import path

from coordinators import views

urlpatterns = [
    path("", views.home, name="home"),
    path("no-district/", views.no_district, name="no_district"),
    path("district/switch/", views.district_switch, name="district_switch"),
    path("schools/", views.school_list, name="school_list"),
    path("schools/<int:pk>/", views.school_detail, name="school_detail"),
    path("people/", views.person_list, name="person_list"),
    path("people/invite/", views.person_invite, name="person_invite"),
    path("people/<int:pk>/", views.person_detail, name="person_detail"),
]
