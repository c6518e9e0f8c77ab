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

# Coordinator time
urlpatterns += [
    path("time/", views.time_entries, name="time_entries"),
    path("time/meetings/<int:pk>/log/", views.time_log_meeting, name="time_log_meeting"),
    path("time/<int:pk>/delete/", views.time_entry_delete, name="time_entry_delete"),
    path("time/summary/", views.time_summary, name="time_summary"),
    path("time/summary.csv", views.time_summary_csv, name="time_summary_csv"),
]
