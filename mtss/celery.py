"""The Celery app. Every periodic schedule lives in BEAT_SCHEDULE below, in one place."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mtss.settings")

app = Celery("mtss")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

NOTIFICATION_SWEEP_SECONDS = 60.0

BEAT_SCHEDULE = {
    # Reminder rows, digests and delivery of everything due; safe with two beats at once.
    "send-reminders": {
        "task": "mtss.notifications.tasks.send_reminders",
        "schedule": NOTIFICATION_SWEEP_SECONDS,
        "options": {"expires": NOTIFICATION_SWEEP_SECONDS},
    },
    "send-meeting-reminders": {
        "task": "meetings.tasks.send_meeting_reminders",
        "schedule": 15 * 60.0,
    },
}
app.conf.beat_schedule = BEAT_SCHEDULE
