from django.urls import path

from coordinators import (
    district_settings_views,
    lifecycle_views,
    operator_views,
    people_views,
    schools_views,
    students_views,
    updates_views,
    views,
)

urlpatterns = [
    path("", views.home, name="home"),
    path("no-district/", views.no_district, name="no_district"),
    path("district/switch/", views.district_switch, name="district_switch"),
    path("profile/", views.profile_edit, name="profile"),
    path("schools/", views.school_list, name="school_list"),
    path("schools/<int:pk>/", views.school_detail, name="school_detail"),
    path("people/", views.person_list, name="person_list"),
    path("people/invite/", views.person_invite, name="person_invite"),
    path("people/<int:pk>/", views.person_detail, name="person_detail"),
    path("people/invitations/<int:pk>/confirm/", views.invitation_confirm, name="invitation_confirm"),
    path("people/invitations/<int:pk>/not-confirm/", views.invitation_refuse, name="invitation_refuse"),
    path("invitations/", views.invitation_list, name="invitation_list"),
    path("invitations/<int:pk>/accept/", views.invitation_accept, name="invitation_accept"),
    path("invitations/<int:pk>/decline/", views.invitation_decline, name="invitation_decline"),
    path("invitations/join/<str:token>/", views.invitation_set_password, name="invitation_set_password"),
]

# Coordinator time
urlpatterns += [
    path("time/", views.time_entries, name="time_entries"),
    path("time/meetings/<int:pk>/log/", views.time_log_meeting, name="time_log_meeting"),
    path("time/<int:pk>/delete/", views.time_entry_delete, name="time_entry_delete"),
    path("time/summary/", views.time_summary, name="time_summary"),
    path("time/summary.csv", views.time_summary_csv, name="time_summary_csv"),
]

# A district's data: exports, and the operator's districts pages
urlpatterns += [
    path("district/exports/", lifecycle_views.district_exports, name="district_exports"),
    path(
        "district/exports/<int:pk>/progress/",
        lifecycle_views.district_export_progress,
        name="district_export_progress",
    ),
    path(
        "district/exports/<int:pk>/download/",
        lifecycle_views.district_export_download,
        name="district_export_download",
    ),
    path(
        "operator/districts/<int:pk>/export/",
        lifecycle_views.operator_district_export,
        name="operator_district_export",
    ),
    path(
        "operator/districts/<int:pk>/delete/",
        lifecycle_views.operator_district_delete,
        name="operator_district_delete",
    ),
]

# Monthly MTSS updates
urlpatterns += [
    path("updates/", updates_views.update_list, name="update_list"),
    path("updates/new/", updates_views.update_new, name="update_new"),
    path("updates/<int:pk>/", updates_views.update_detail, name="update_detail"),
    path("updates/<int:pk>/edit/", updates_views.update_edit, name="update_edit"),
    path("updates/<int:pk>/send/", updates_views.update_send, name="update_send"),
    path("updates/<int:pk>/delete/", updates_views.update_delete, name="update_delete"),
]

# Schools in the app
urlpatterns += [
    path("schools/add/", schools_views.school_add, name="school_add"),
    path("schools/<int:pk>/edit/", schools_views.school_edit, name="school_edit"),
    path("schools/<int:pk>/deactivate/", schools_views.school_deactivate, name="school_deactivate"),
    path("schools/<int:pk>/reactivate/", schools_views.school_reactivate, name="school_reactivate"),
]

# People in bulk, and one person's role
urlpatterns += [
    path("people/bulk/", people_views.people_bulk, name="people_bulk"),
    path("people/bulk/send/", people_views.people_bulk_send, name="people_bulk_send"),
    path("people/<int:pk>/role/", people_views.person_role_change, name="person_role_change"),
    path("people/<int:pk>/deactivate/", people_views.person_deactivate, name="person_deactivate"),
    path("people/<int:pk>/reactivate/", people_views.person_reactivate, name="person_reactivate"),
]

# The operator's console: districts, a new district, suspending and reactivating one
urlpatterns += [
    path("operator/districts/", operator_views.operator_districts, name="operator_districts"),
    path("operator/districts/new/", operator_views.operator_district_new, name="operator_district_new"),
    path(
        "operator/districts/<int:pk>/suspend/",
        operator_views.operator_district_suspend,
        name="operator_district_suspend",
    ),
    path(
        "operator/districts/<int:pk>/reactivate/",
        operator_views.operator_district_reactivate,
        name="operator_district_reactivate",
    ),
]

# The district's own settings
urlpatterns += [
    path("district/settings/", district_settings_views.district_settings, name="district_settings"),
]

# Students: the list behind a tier count (or a class, or the member's own) and a student's record
urlpatterns += [
    path("students/", students_views.student_list, name="student_list"),
    path("students/<int:pk>/", students_views.student_detail, name="student_detail"),
]
