"""The Celery app. Every periodic schedule lives in BEAT_SCHEDULE below, in one place.

No one task may stop the others: every task has a soft time limit (the task is told and ends
cleanly) and a hard one (its process is killed), and each worker process has a memory ceiling.
"""

import os
import resource

from celery import Celery
from celery.signals import worker_process_init

from mtss.env import env_int

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mtss.settings")

app = Celery("mtss")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# Notifications and reminders: a delivery task sends 25 emails over one connection with a 10 s
# timeout each, and must end before the notification claim lease (10 minutes) runs out.
TASK_SOFT_TIME_LIMIT_SECONDS = env_int("MTSS_TASK_SOFT_TIME_LIMIT_SECONDS", 240, minimum=1)
TASK_TIME_LIMIT_SECONDS = env_int("MTSS_TASK_TIME_LIMIT_SECONDS", 300, minimum=1)
# Imports: a 100,000-row file is checked and written in seconds; minutes mean something is wrong.
IMPORT_SOFT_TIME_LIMIT_SECONDS = env_int("MTSS_IMPORT_SOFT_TIME_LIMIT_SECONDS", 600, minimum=1)
IMPORT_TIME_LIMIT_SECONDS = env_int("MTSS_IMPORT_TIME_LIMIT_SECONDS", 660, minimum=1)
# A worker process that has grown past this after a task is replaced by a fresh one (Celery
# counts in KiB)...
WORKER_MAX_MEMORY_PER_CHILD_KIB = env_int("MTSS_WORKER_MAX_MEMORY_MB", 1024, minimum=64) * 1024
# ...and no allocation may take it past this while a task runs: the allocation fails inside the
# task (which then ends as Failed) instead of the machine running out of memory for everyone.
WORKER_MEMORY_LIMIT_BYTES = env_int("MTSS_WORKER_MEMORY_LIMIT_MB", 3072, minimum=256) * 1024 * 1024

app.conf.task_soft_time_limit = TASK_SOFT_TIME_LIMIT_SECONDS
app.conf.task_time_limit = TASK_TIME_LIMIT_SECONDS
app.conf.worker_max_memory_per_child = WORKER_MAX_MEMORY_PER_CHILD_KIB


@worker_process_init.connect
def limit_worker_process_memory(**_kwargs: object) -> None:
    """Each pool process (not the worker that supervises them) gets the memory ceiling."""
    _soft, hard = resource.getrlimit(resource.RLIMIT_DATA)
    limit = (
        WORKER_MEMORY_LIMIT_BYTES if hard == resource.RLIM_INFINITY else min(hard, WORKER_MEMORY_LIMIT_BYTES)
    )
    resource.setrlimit(resource.RLIMIT_DATA, (limit, hard))


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
    # Lockout rows past the cool-off, old password-reset requests, expired sessions.
    "purge-sign-in-records": {
        "task": "coordinators.tasks.purge_sign_in_records",
        "schedule": 15 * 60.0,
    },
    # Each district's retention policy (raw screener files, old student results) and expired exports.
    "apply-retention": {
        "task": "coordinators.tasks.apply_retention",
        "schedule": 24 * 60 * 60.0,
    },
}
app.conf.beat_schedule = BEAT_SCHEDULE
