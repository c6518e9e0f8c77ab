from celery import shared_task

from mtss.notifications.delivery import notifications_deliver_due


@shared_task(ignore_result=True)
def deliver_due_notifications() -> int:
    return notifications_deliver_due()
