"""The Celery app. Every periodic schedule lives in BEAT_SCHEDULE below, in one place."""

import os

from celery import Celery

from mtss.env import env_int

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mtss.settings")

app = Celery("mtss")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# Once a minute in production; tests shorten it to see many sweeps from two beats in a minute.
NOTIFICATION_SWEEP_SECONDS = float(env_int("REMINDER_SWEEP_SECONDS", 60, minimum=1))

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
    # Each district's retention policy (raw screener files, old student results) and expired exports.
    "apply-retention": {
        "task": "coordinators.tasks.apply_retention",
        "schedule": 24 * 60 * 60.0,
    },
}
app.conf.beat_schedule = BEAT_SCHEDULE
