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
    # Set when the item was assigned in a meeting's minutes.
    meeting = models.ForeignKey(
        "meetings.Meeting", null=True, blank=True, on_delete=models.SET_NULL, related_name="action_items"
    )
    agenda_item = models.ForeignKey(
        "meetings.AgendaItem", null=True, blank=True, on_delete=models.SET_NULL, related_name="action_items"
    )

    class Meta:
        ordering = ["due_date", "id"]
        indexes = [models.Index(fields=["status", "due_date"])]

    def __str__(self) -> str:
        return self.title


class MeetingKind(models.TextChoices):
    DIT = "dit", "DIT meeting"
    COACHING = "coaching", "DIT coaching support session"
    EXECUTIVE = "executive", "Executive leadership meeting"
    LEARNING = "learning", "Professional learning session"
    OFFICE_HOURS = "office_hours", "Office hours"


class MeetingSeries(models.Model):
    """A rule such as "second Tuesday of the month, 3:30-5:00 pm", in the district's local time."""

    district = models.ForeignKey("coordinators.District", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=16, choices=MeetingKind.choices, default=MeetingKind.DIT)
    title = models.CharField(max_length=200)
    weekday = models.PositiveSmallIntegerField(help_text="0 = Monday")
    week_of_month = models.SmallIntegerField(help_text="1-4 for first to fourth, -1 for the last")
    start_time = models.TimeField()
    end_time = models.TimeField()
    first_date = models.DateField()
    last_date = models.DateField()
    location = models.CharField(max_length=200, blank=True)
    video_link = models.URLField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.title


class Meeting(models.Model):
    class Status(models.TextChoices):
        SCHEDULED = "scheduled", "Scheduled"
        CANCELLED = "cancelled", "Cancelled"
        CLOSED = "closed", "Closed"

    STATUS_BADGES = {Status.CANCELLED: "text-bg-secondary", Status.CLOSED: "text-bg-success"}

    class Rating(models.TextChoices):
        YES = "yes", "Yes"
        SO_SO = "so-so", "So-so"
        NO = "no", "No"

    district = models.ForeignKey("coordinators.District", on_delete=models.CASCADE, related_name="meetings")
    series = models.ForeignKey(
        MeetingSeries, null=True, blank=True, on_delete=models.SET_NULL, related_name="meetings"
    )
    kind = models.CharField(max_length=16, choices=MeetingKind.choices, default=MeetingKind.DIT)
    title = models.CharField(max_length=200)
    # UTC instants computed from the local wall time of each occurrence.
    starts_at = models.DateTimeField(db_index=True)
    ends_at = models.DateTimeField()
    location = models.CharField(max_length=200, blank=True)
    video_link = models.URLField(blank=True)
    facilitator = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    note_taker = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    data_analyst = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.SCHEDULED)
    closed_at = models.DateTimeField(null=True, blank=True)
    started_on_time = models.CharField(max_length=8, choices=Rating.choices, blank=True)
    agenda_followed = models.CharField(max_length=8, choices=Rating.choices, blank=True)
    decisions_recorded = models.CharField(max_length=8, choices=Rating.choices, blank=True)
    action_items_assigned = models.CharField(max_length=8, choices=Rating.choices, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    RATING_FIELDS = ("started_on_time", "agenda_followed", "decisions_recorded", "action_items_assigned")

    class Meta:
        ordering = ["starts_at", "id"]
        indexes = [models.Index(fields=["district", "starts_at"])]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.SCHEDULED


class Attendance(models.Model):
    class Status(models.TextChoices):
        NOT_RECORDED = "", "Not recorded"
        PRESENT = "present", "Present"
        ABSENT = "absent", "Absent"
        EXCUSED = "excused", "Excused"

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendance")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    guest_name = models.CharField(max_length=150, blank=True)
    status = models.CharField(max_length=8, choices=Status.choices, blank=True)

    class Meta:
        ordering = ["guest_name", "person__full_name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "person"], name="one_attendance_per_person"),
        ]

    def __str__(self) -> str:
        return self.guest_name or str(self.person)

    @property
    def name(self) -> str:
        return self.guest_name or str(self.person)


class StandingItem(models.TextChoices):
    ACTION_ITEMS = "action_items", "Review of action items"
    DATA_REVIEW = "data_review", "Data review"
    PLAN_PROGRESS = "plan_progress", "Implementation plan progress"
    BARRIERS = "barriers", "Barriers"
    COMMUNICATION = "communication", "Communication"
    NEXT_MEETING = "next_meeting", "Next meeting"


class AgendaItem(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="agenda_items")
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    standing = models.CharField(max_length=16, choices=StandingItem.choices, blank=True)
    position = models.PositiveIntegerField(default=0)
    minutes_planned = models.PositiveSmallIntegerField(default=10)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    carried_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="carried_to"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.title


class MinuteEntry(models.Model):
    class Kind(models.TextChoices):
        INFORMATION = "information", "Information"
        DISCUSSION = "discussion", "Discussion"
        DECISION = "decision", "Decision"
        TASK = "task", "Task"

    agenda_item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="entries")
    kind = models.CharField(max_length=16, choices=Kind.choices, default=Kind.DISCUSSION)
    text = models.TextField()
    action_item = models.OneToOneField(
        ActionItem, null=True, blank=True, on_delete=models.SET_NULL, related_name="minute_entry"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name_plural = "minute entries"

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.text[:40]}"


class CalendarFeed(models.Model):
    """A person's secret iCalendar address. Revoked feeds answer 404; regenerating issues a new token."""

    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    district = models.ForeignKey("coordinators.District", on_delete=models.CASCADE, related_name="+")
    token = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"Calendar feed for {self.person}"


class ActionItemComment(models.Model):
    """One message in an action item's short thread between its owner and the coordinator."""

    item = models.ForeignKey(ActionItem, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    body = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.body[:60]


class ActionItemChange(models.Model):
    """One line of an action item's history: who changed which field from what to what, and when.

    Values are kept as the words shown at the time (a person's name, a date), so the history still
    reads right after a person leaves the district.
    """

    class Field(models.TextChoices):
        TITLE = "title", "Action item"
        DETAILS = "details", "Description"
        OWNER = "owner", "Owner"
        DUE_DATE = "due_date", "Due date"
        STATUS = "status", "Status"

    item = models.ForeignKey(ActionItem, on_delete=models.CASCADE, related_name="changes")
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    changed_at = models.DateTimeField(auto_now_add=True)
    field = models.CharField(max_length=16, choices=Field.choices)
    old_value = models.TextField(blank=True)
    new_value = models.TextField(blank=True)

    class Meta:
        ordering = ["changed_at", "id"]

    def __str__(self) -> str:
        return f"{self.get_field_display()}: {self.old_value[:30]} → {self.new_value[:30]}"
