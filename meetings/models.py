"""Meetings, agendas, minutes and action items."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class ActionItem(models.Model):
    """A task with an owner and a due date, from a meeting, a data review or a plan activity."""

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        DONE = "done", "Done"
        CANCELLED = "cancelled", "Cancelled"

    district = models.ForeignKey(
        "coordinators.District", on_delete=models.CASCADE, related_name="action_items"
    )
    title = models.CharField(max_length=300)
    details = models.TextField(blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="action_items",
    )
    due_date = models.DateField(null=True, blank=True, db_index=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.OPEN, db_index=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    # Where it came from, in words and as a link, whatever the source app is.
    source_label = models.CharField(max_length=300, blank=True)
    source_url = models.CharField(max_length=500, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["due_date", "id"]
        indexes = [models.Index(fields=["status", "due_date"])]

    def __str__(self) -> str:
        return self.title
