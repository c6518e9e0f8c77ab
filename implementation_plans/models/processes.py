"""District processes: the documents a coordinator drafts and an executive leader approves.

A `Process` is one district's document (one of the eight standard ones, or a custom type).
Each round of drafting is a `ProcessVersion`; its text is frozen once submitted. Every save of
a draft is kept as a `ProcessRevision`. Decisions live on the version they decide.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

__all__ = ["Process", "ProcessComment", "ProcessRevision", "ProcessVersion"]


class Process(models.Model):
    district = models.ForeignKey("coordinators.District", on_delete=models.CASCADE, related_name="processes")
    slug = models.SlugField(max_length=80)
    name = models.CharField(max_length=200)
    purpose = models.TextField(blank=True)
    # [{"key": "...", "heading": "...", "prompt": "..."}, ...] in display order.
    sections = models.JSONField(default=list)
    is_custom = models.BooleanField(default=False)
    position = models.PositiveSmallIntegerField(default=100)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    co_authors = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="co_authored_processes"
    )
    # Kept current by the services so the board reads one row per process.
    approved_version = models.ForeignKey(
        "ProcessVersion", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    latest_version = models.ForeignKey(
        "ProcessVersion", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["position", "name"]
        constraints = [
            models.UniqueConstraint(fields=["district", "slug"], name="process_slug_unique_in_district"),
        ]

    def __str__(self) -> str:
        return self.name


class ProcessVersion(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SUBMITTED = "submitted", "Submitted"
        CHANGES_REQUESTED = "changes_requested", "Changes requested"
        APPROVED = "approved", "Approved"
        SUPERSEDED = "superseded", "Superseded"

    OPEN_STATUSES = (Status.DRAFT, Status.SUBMITTED)
    STATUS_BADGES: dict[str, str] = {
        Status.APPROVED: "status-badge text-bg-success",
        Status.SUBMITTED: "status-badge text-bg-primary",
        Status.CHANGES_REQUESTED: "status-badge text-bg-warning",
        Status.DRAFT: "status-badge text-bg-secondary",
        Status.SUPERSEDED: "status-badge text-bg-light border",
    }

    process = models.ForeignKey(Process, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT, db_index=True)
    # {"<section key>": "<markdown>"}
    texts = models.JSONField(default=dict)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    submit_note = models.TextField(blank=True)
    decision_due_on = models.DateField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decision_comment = models.TextField(blank=True)
    review_on = models.DateField(null=True, blank=True)
    superseded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["process", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["process", "number"], name="process_version_number_unique"),
            # One draft or submitted version at a time, so two people cannot start rival drafts.
            models.UniqueConstraint(
                fields=["process"],
                condition=Q(status__in=["draft", "submitted"]),
                name="process_one_open_version",
            ),
        ]
        indexes = [models.Index(fields=["status", "submitted_at"])]

    def __str__(self) -> str:
        return f"{self.process.name}, version {self.number}"

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES


class ProcessRevision(models.Model):
    """One save of a draft; every save is kept."""

    version = models.ForeignKey(ProcessVersion, on_delete=models.CASCADE, related_name="revisions")
    texts = models.JSONField(default=dict)
    saved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    saved_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-saved_at", "-id"]

    def __str__(self) -> str:
        return f"{self.version} saved {self.saved_at:%Y-%m-%d %H:%M}"


class ProcessComment(models.Model):
    version = models.ForeignKey(ProcessVersion, on_delete=models.CASCADE, related_name="comments")
    section_key = models.CharField(max_length=80, blank=True, help_text="Empty for the whole draft.")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    body = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"Comment on {self.version}"
