"""Notifications are database rows first; email delivery reads them later (QUALITY.md R1-R4).

The life of a row's email (`email_state`):

    PENDING --sweep claims (conditional UPDATE)--> CLAIMED --task starts (conditional UPDATE)--> SENDING
    SENDING --mail server accepted--> SENT
    SENDING --mail server refused--> PENDING again later (backoff), or FAILED after the last attempt
    PENDING --person reads it in the app only--> NOT_EMAILED
    PENDING --person wants a digest--> IN_DIGEST --digest written--> DIGESTED

See `mtss.notifications.delivery` for what happens when a worker dies in CLAIMED or SENDING.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from mtss.notifications.kinds import Kind


class Notification(models.Model):
    class EmailState(models.TextChoices):
        PENDING = "pending", "Waiting to be sent"
        CLAIMED = "claimed", "Handed to a worker"
        SENDING = "sending", "Being sent"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed"
        UNCERTAIN = "uncertain", "May have been sent: check"
        NOT_EMAILED = "not_emailed", "In-app only"
        IN_DIGEST = "in_digest", "Waiting for the digest"
        DIGESTED = "digested", "Sent in a digest"

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
    claim_token = models.UUIDField(null=True, blank=True, db_index=True, editable=False)
    email_sending_at = models.DateTimeField(null=True, blank=True)
    email_sent_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=500, blank=True)
    digest = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="included",
        help_text="The digest email this notification went out in.",
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "key"], name="one_notification_per_recipient_and_key"
            ),
        ]
        indexes = [
            models.Index(fields=["email_state", "due_at"]),
            models.Index(fields=["recipient", "district", "read_at"], name="notification_unread"),
        ]

    def __str__(self) -> str:
        return f"{self.subject} → {self.recipient}"

    @property
    def kind_label(self) -> str:
        try:
            return Kind(self.kind).label
        except ValueError:
            return self.kind


class Delivery(models.TextChoices):
    EMAIL = "email", "Email me at once"
    DIGEST = "digest", "Put it in my digest"
    IN_APP = "in_app", "Only show it in the app"


class NotificationPreference(models.Model):
    """How one person hears about one kind of notification. No row means: email at once."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preferences"
    )
    kind = models.CharField(max_length=40, choices=Kind.choices)
    delivery = models.CharField(max_length=16, choices=Delivery.choices, default=Delivery.EMAIL)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="one_preference_per_person_and_kind"),
        ]

    def __str__(self) -> str:
        return f"{self.user}: {self.kind} → {self.delivery}"


class DigestFrequency(models.TextChoices):
    WEEKLY = "weekly", "Weekly"
    DAILY = "daily", "Daily"


class DigestSetting(models.Model):
    """How often a person's digest goes out. No row means weekly."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="digest_setting"
    )
    frequency = models.CharField(
        max_length=16, choices=DigestFrequency.choices, default=DigestFrequency.WEEKLY
    )

    def __str__(self) -> str:
        return f"{self.user}: {self.frequency}"
