"""A dashboard's slides, built in the worker (a district of many schools takes longer than a page)."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from coordinators.models import District, School

__all__ = ["SlideDeck"]


class SlideDeck(models.Model):
    """One person's "Download as slides" of the district dashboard (no school) or a school's."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Waiting to start"
        BUILDING = "building", "Drawing the slides"
        READY = "ready", "Ready to download"
        FAILED = "failed", "Could not be made"

    district = models.ForeignKey(District, on_delete=models.CASCADE, related_name="slide_decks")
    school = models.ForeignKey(School, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    # The dashboard's filters when the button was pressed, as its query string has them.
    subject = models.CharField(max_length=32, blank=True)
    period = models.CharField(max_length=32, blank=True)
    sort = models.CharField(max_length=16, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.QUEUED)
    stage = models.CharField(max_length=120, blank=True)
    progress = models.PositiveSmallIntegerField(default=0)
    file_name = models.CharField(max_length=160, blank=True)
    content = models.BinaryField(blank=True, default=b"", editable=False)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"Slides of {self.school or self.district} ({self.get_status_display()})"

    @property
    def is_running(self) -> bool:
        return self.status in {self.Status.QUEUED, self.Status.BUILDING}

    @property
    def place(self) -> str:
        return str(self.school or self.district)
