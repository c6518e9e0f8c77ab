"""Thin Celery wrappers. Every schedule is in mtss/celery.py BEAT_SCHEDULE."""

from celery import shared_task

from mtss.notifications.delivery import notifications_deliver_claimed, notifications_sweep_due
from mtss.notifications.sweep import reminders_sweep


@shared_task(ignore_result=True)
def send_reminders() -> None:
    """The periodic sweep: reminder rows, digests, then delivery of everything due."""
    reminders_sweep()


@shared_task(ignore_result=True)
def deliver_due_notifications() -> int:
    """Deliver what is due now (queued by `notify` after its transaction commits)."""
    return notifications_sweep_due().claimed


@shared_task(ignore_result=True)
def deliver_notifications(ids: list[int], token: str) -> int:
    """Send rows one sweep claimed. Safe to run twice: rows already taken are skipped."""
    return notifications_deliver_claimed(ids=ids, token=token)
