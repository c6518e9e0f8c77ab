"""The audit trail: append-only rows the application can add but never change.

The one exception is a redaction when a district or a person is deleted (the methods below; on
PostgreSQL the trigger in migration 0004 allows exactly these column changes and nothing else).
"""

from __future__ import annotations

from typing import Any, NoReturn

from django.conf import settings
from django.db import models


class AuditRowsAreReadOnly(Exception):
    """Raised when code tries to change or delete an audit row."""


class AuditQuerySet(models.QuerySet):
    def update(self, **kwargs: Any) -> NoReturn:
        raise AuditRowsAreReadOnly("Audit rows cannot be changed.")

    def delete(self) -> NoReturn:
        raise AuditRowsAreReadOnly("Audit rows cannot be deleted.")

    def redact_district(self) -> int:
        """The district is being deleted: keep what happened, drop the link and the content's labels."""
        return models.QuerySet.update(self, district=None, object_label="", detail={})

    def redact_person(self) -> int:
        """The person is being deleted: keep what they did, drop who they were."""
        return models.QuerySet.update(self, actor=None, actor_label="", ip_address=None)

    def redact_object_label(self) -> int:
        """The object is being deleted: keep the kind and id, drop its name."""
        return models.QuerySet.update(self, object_label="")


class AuditEvent(models.Model):
    class Outcome(models.TextChoices):
        SUCCESS = "success", "Success"
        FAILURE = "failure", "Failure"
        DENIED = "denied", "Denied"

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_label = models.CharField(max_length=254, blank=True, help_text="Email as typed or known.")
    district = models.ForeignKey(
        "coordinators.District", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    action = models.CharField(max_length=64, db_index=True)
    object_type = models.CharField(max_length=64, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    object_label = models.CharField(max_length=300, blank=True)
    outcome = models.CharField(max_length=16, choices=Outcome.choices, default=Outcome.SUCCESS)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    detail = models.JSONField(default=dict, blank=True)

    objects = AuditQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["district", "-at"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_label} {self.action} {self.outcome}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise AuditRowsAreReadOnly("Audit rows cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise AuditRowsAreReadOnly("Audit rows cannot be deleted.")
