"""The audit trail: append-only rows the application can add but never change.

The one exception is a redaction when a district or a person is deleted (the methods below; on
PostgreSQL the trigger in migration 0004 allows exactly these column changes and nothing else).
"""

from __future__ import annotations

from typing import Any, NewType, NoReturn

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


class AuditAction(models.TextChoices):
    """Every action the application records by name. The value is what a row stores: rows written
    before, the audit page's filter and the tests read it, so a value never changes once used. The
    label says what was done, in the words of the people who read the trail."""

    ACCEPT_INVITATION = "accept invitation", "Accepted an invitation"
    ACTION_ITEM_CANCELLED = "action item cancelled", "Cancelled an action item"
    ACTION_ITEM_DONE = "action item done", "Marked an action item done"
    ACTION_ITEM_OPEN = "action item open", "Reopened an action item"
    ADD_ASSESSMENT_ITEM = "add assessment item", "Added a capacity assessment item"
    ADD_COMMUNICATION_PROTOCOL = "add communication protocol", "Added a communication protocol"
    ADD_PROCESS_TYPE = "add process type", "Added a district process"
    ADD_PROGRESS_UPDATE = "add progress update", "Added a progress update"
    APPLY_RETENTION = "apply retention", "Deleted old data as the retention policy says"
    APPROVE_PROCESS = "approve process", "Approved a process draft"
    CANCEL_MEETING = "cancel meeting", "Cancelled a meeting"
    CHANGE_ACTION_ITEM = "change action item", "Changed an action item"
    CHANGE_BARRIER = "change barrier", "Changed a barrier"
    CHANGE_COMMUNICATION_UPDATE = "change communication update", "Changed a monthly MTSS update"
    CHANGE_DECISION_RULE = "change decision rule", "Changed a decision rule"
    CHANGE_MEETING = "change meeting", "Changed a meeting"
    CHANGE_PLAN_ACTIVITY = "change plan activity", "Changed a plan activity"
    CHANGE_PLAN_GOAL = "change plan goal", "Changed a plan goal"
    CHANGE_PROBLEM_STATEMENT = "change problem statement", "Changed a problem statement"
    CHECK_PROBLEM_STATEMENT = "check problem statement", "Checked progress on a problem statement"
    CLOSE_MEETING = "close meeting", "Closed a meeting"
    COMMENT_ON_ACTION_ITEM = "comment on action item", "Commented on an action item"
    COMMENT_ON_PROCESS = "comment on process", "Commented on a process draft"
    CONFIRM_INVITATION = "confirm invitation", "Confirmed an invitation"
    CREATE_DATA_REVIEW = "create data review", "Started a data review"
    CREATE_MEETING_SERIES = "create meeting series", "Scheduled a series of meetings"
    CREATE_PLAN_ACTIVITY = "create plan activity", "Added a plan activity"
    CREATE_PLAN_ACTIVITY_FROM_CAPACITY_ITEM = (
        "create plan activity from capacity item",
        "Added a plan activity from a capacity item",
    )
    CREATE_PLAN_GOAL = "create plan goal", "Added a plan goal"
    CREATE_SCHOOL = "create school", "Added a school"
    DECIDE_BARRIER = "decide barrier", "Decided on an escalated barrier"
    DECLINE_INVITATION = "decline invitation", "Declined an invitation"
    DELETE_AGENDA_ITEM = "delete agenda item", "Deleted an agenda item"
    DELETE_COMMUNICATION_UPDATE = "delete communication update", "Deleted a monthly MTSS update draft"
    DELETE_DECISION_RULE = "delete decision rule", "Deleted a decision rule"
    DELETE_DISTRICT = "delete district", "Deleted a district"
    DELETE_MINUTES_LINE = "delete minutes line", "Deleted a line of the minutes"
    DELETE_PERSON = "delete person", "Deleted a person"
    DELETE_PRACTICE_FILE = "delete practice file", "Deleted a practice file"
    DELETE_STUDENT_RECORDS = "delete student records", "Deleted a student's records"
    DELETE_TIME_ENTRY = "delete time entry", "Deleted a time entry"
    DOWNLOAD_DISTRICT_EXPORT = "download district export", "Downloaded the district's data"
    DRAFT_COMMUNICATION_UPDATE = "draft communication update", "Drafted a monthly MTSS update"
    ESCALATE_BARRIER = "escalate barrier", "Escalated a barrier"
    EXPORT_DISTRICT = "export district", "Exported the district's data"
    IMPORT_SCORES = "import scores", "Imported screener scores"
    INVITE_CO_AUTHOR = "invite co-author", "Invited a co-author"
    INVITE_PERSON = "invite person", "Invited a person"
    ISSUE_CALENDAR_FEED = "issue calendar feed", "Made a calendar feed link"
    LOG_BARRIER = "log barrier", "Logged a barrier"
    LOGIN = "login", "Signed in"
    LOGOUT = "logout", "Signed out"
    MAP_SCHOOL_NAME = "map school name", "Matched a school name in a file"
    NOT_CONFIRM_INVITATION = "not confirm invitation", "Did not confirm an invitation"
    RECORD_CAPACITY_ASSESSMENT = "record capacity assessment", "Recorded a capacity assessment"
    REMOVE_CO_AUTHOR = "remove co-author", "Removed a co-author"
    REOPEN_MEETING = "reopen meeting", "Reopened a meeting"
    REQUEST_DISTRICT_EXPORT = "request district export", "Asked for an export of the district's data"
    RETURN_PROCESS = "return process", "Returned a process draft"
    REVOKE_CALENDAR_FEED = "revoke calendar feed", "Turned off a calendar feed link"
    SAVE_INITIATIVE = "save initiative", "Saved an initiative"
    SAVE_PRACTICE = "save practice", "Saved a practice"
    SAVE_PROCESS_DRAFT = "save process draft", "Saved a process draft"
    SCORE_CAPACITY_ASSESSMENT = "score capacity assessment", "Scored a capacity assessment"
    SEND_COMMUNICATION_UPDATE = "send communication update", "Sent a monthly MTSS update"
    SEND_MEETING_AGENDA = "send meeting agenda", "Sent a meeting's agenda to its attendees"
    START_PROCESS = "start process", "Started a process draft"
    SUBMIT_PROCESS = "submit process", "Submitted a process draft for approval"
    SUBMIT_PROCESS_DRAFT = "submit process draft", "Submitted a process draft for approval"
    UPLOAD_PRACTICE_FILE = "upload practice file", "Uploaded a practice file"
    UPLOAD_SCORES = "upload scores", "Uploaded a screener file"
    CHANGE_DISTRICT_SETTINGS = "change district settings", "Changed the district's settings"
    CHANGE_ROLE = "change role", "Changed a person's role"
    CHANGE_SCHOOL = "change school", "Changed a school"
    CREATE_DISTRICT = "create district", "Created a district"
    DEACTIVATE_PERSON = "deactivate person", "Deactivated a person"
    DEACTIVATE_SCHOOL = "deactivate school", "Deactivated a school"
    IMPORT_ROSTER = "import roster", "Imported a roster"
    INVITE_PEOPLE_FROM_FILE = "invite people from a file", "Invited people from a file"
    OFFER_ROLE_CHANGE = "offer role change", "Offered a person a new role"
    REACTIVATE_DISTRICT = "reactivate district", "Reactivated a district"
    REACTIVATE_PERSON = "reactivate person", "Reactivated a person"
    REACTIVATE_SCHOOL = "reactivate school", "Reactivated a school"
    SUSPEND_DISTRICT = "suspend district", "Suspended a district"
    UPLOAD_ROSTER = "upload roster", "Uploaded a roster"
    VIEW_STUDENT = "view student", "Opened a student's record"


AccessAction = NewType("AccessAction", str)
"""A refusal recorded by the access helpers (mtss.access), composed from what was asked for: a model's
name ("view processversion") or a page's URL name ("open audit_list"). Made only by the three functions
below, so the stored form stays the one earlier rows have; mtss.audit.labels words it."""

type RecordedAction = AuditAction | AccessAction


def viewing(model: type[models.Model]) -> AccessAction:
    """Opening an object of the model, or one that is not there or not the person's to see."""
    return AccessAction(f"view {model._meta.model_name}")


def changing(model: type[models.Model]) -> AccessAction:
    """Changing an object of the model that the person may only read."""
    return AccessAction(f"change {model._meta.model_name}")


def opening(page: str) -> AccessAction:
    """Opening a page the person's role may not use, by its URL name (its path when it has none)."""
    return AccessAction(f"open {page}")
