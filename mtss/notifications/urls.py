from django.urls import path

from mtss.notifications import views

urlpatterns = [
    path("notifications/", views.notification_list, name="notification_list"),
    path("notifications/bell/", views.notification_bell, name="notification_bell"),
    path("notifications/read-all/", views.notification_read_all, name="notification_read_all"),
    path("notifications/<int:pk>/open/", views.notification_open, name="notification_open"),
    path("notifications/preferences/", views.notification_preferences, name="notification_preferences"),
    path("notifications/email-problems/", views.email_problems, name="email_problems"),
    path(
        "notifications/email-problems/<int:pk>/send-again/", views.email_send_again, name="email_send_again"
    ),
]
