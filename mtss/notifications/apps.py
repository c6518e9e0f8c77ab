from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "mtss.notifications"
    label = "notifications"
    verbose_name = "Notifications"
