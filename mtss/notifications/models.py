"""Notifications are database rows first; email delivery reads them later (QUALITY.md R1-R4)."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class Notification(models.Model):
    class EmailState(models.TextChoices):
        PENDING = "pending", "Waiting to be sent"
        SENDING = "sending", "Being sent"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed"
        NOT_EMAILED = "not_emailed", "In-app only"

    district = models.ForeignKey("coordinators.District", on_delete=models.CASCADE, related_name="+")
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(max_length=40, db_index=True)
    subject = models.CharField(max_length=250)
    body = models.TextField(blank=True)
    url = models.CharField(
        max_length=500, blank=True, help_text="Path of the thing the notification is about."
    )
    # One occurrence of one event for one person: the database, not the broker, decides
    # whether a notification already exists.
    key = models.CharField(max_length=200)
    due_at = models.DateTimeField(db_index=True, help_text="UTC time from which it may be emailed.")
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)
    email_state = models.CharField(
        max_length=16, choices=EmailState.choices, default=EmailState.PENDING, db_index=True
    )
    email_claimed_at = models.DateTimeField(null=True, blank=True)
    email_sent_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "key"], name="one_notification_per_recipient_and_key"
            ),
        ]
        indexes = [models.Index(fields=["email_state", "due_at"])]

    def __str__(self) -> str:
        return f"{self.subject} → {self.recipient}"
