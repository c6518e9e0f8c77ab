from django.urls import path

from meetings import action_item_views, views

urlpatterns = [
    path("meetings/", views.meeting_list, name="meeting_list"),
    path("meetings/new/", views.meeting_create, name="meeting_create"),
    path("meetings/series/new/", views.meeting_series_create, name="meeting_series_create"),
    path("meetings/ratings/", views.meeting_ratings, name="meeting_ratings"),
    path("meetings/<int:pk>/", views.meeting_detail, name="meeting_detail"),
    path("meetings/<int:pk>/edit/", views.meeting_edit, name="meeting_edit"),
    path("meetings/<int:pk>/cancel/", views.meeting_cancel, name="meeting_cancel"),
    path("meetings/<int:pk>/propose/", views.agenda_propose, name="agenda_propose"),
    path("meetings/<int:pk>/attendance/", views.meeting_attendance, name="meeting_attendance"),
    path("meetings/<int:pk>/minutes/", views.meeting_minutes, name="meeting_minutes"),
    path("meetings/<int:pk>/close/", views.meeting_close, name="meeting_close"),
    path("meetings/<int:pk>/reopen/", views.meeting_reopen, name="meeting_reopen"),
    path("meetings/<int:pk>/minutes.csv", views.meeting_export, name="meeting_export"),
    path("meetings/<int:pk>/minutes.docx", views.meeting_export_docx, name="meeting_export_docx"),
    path("meetings/<int:pk>/packet/", views.meeting_packet, name="meeting_packet"),
    path("meetings/<int:pk>/packet.docx", views.meeting_packet_docx, name="meeting_packet_docx"),
    path("meetings/<int:pk>/send-agenda/", views.meeting_agenda_send, name="meeting_agenda_send"),
    path("meetings/agenda/<int:pk>/move/", views.agenda_item_move, name="agenda_item_move"),
    path("meetings/agenda/<int:pk>/edit/", views.agenda_item_edit, name="agenda_item_edit"),
    path("meetings/agenda/<int:pk>/delete/", views.agenda_item_delete, name="agenda_item_delete"),
    path("meetings/minutes/<int:pk>/delete/", views.minute_entry_delete, name="minute_entry_delete"),
    path("action-items/", action_item_views.action_item_list, name="action_item_list"),
    path("action-items/<int:pk>/", action_item_views.action_item_detail, name="action_item_detail"),
    path("action-items/<int:pk>/edit/", action_item_views.action_item_edit, name="action_item_edit"),
    path(
        "action-items/<int:pk>/comments/", action_item_views.action_item_comment, name="action_item_comment"
    ),
    path("action-items/<int:pk>/status/", action_item_views.action_item_status, name="action_item_status"),
    path("calendar/", views.calendar_settings, name="calendar_settings"),
    path("calendar/<str:token>.ics", views.calendar_feed, name="calendar_feed"),
]
