"""What each audit action means, in the words of the people who read the audit trail.

Rows store a short action code, an AuditAction ("return process"); the page shows its label,
"Returned a process draft", or "Tried to return a process draft" when the action was refused or
failed. Refusals the access helpers compose ("view processversion") are worded from the model or the
page they name. Any other code (a row from an older release) still shows, capitalized.
"""

from __future__ import annotations

import functools

from django.apps import apps

from mtss.audit.models import AuditAction, AuditEvent

# What was tried, for a refused or failed action; what was done is the action's own label.
TRIED: dict[AuditAction, str] = {
    AuditAction.ACCEPT_INVITATION: "accept an invitation",
    AuditAction.ACTION_ITEM_CANCELLED: "cancel an action item",
    AuditAction.ACTION_ITEM_DONE: "mark an action item done",
    AuditAction.ACTION_ITEM_OPEN: "reopen an action item",
    AuditAction.ADD_ASSESSMENT_ITEM: "add a capacity assessment item",
    AuditAction.ADD_COMMUNICATION_PROTOCOL: "add a communication protocol",
    AuditAction.ADD_PROCESS_TYPE: "add a district process",
    AuditAction.ADD_PROGRESS_UPDATE: "add a progress update",
    AuditAction.APPLY_RETENTION: "apply the retention policy",
    AuditAction.APPROVE_PROCESS: "approve a process draft",
    AuditAction.CANCEL_MEETING: "cancel a meeting",
    AuditAction.CHANGE_ACTION_ITEM: "change an action item",
    AuditAction.CHANGE_BARRIER: "change a barrier",
    AuditAction.CHANGE_COMMUNICATION_UPDATE: "change a monthly MTSS update",
    AuditAction.CHANGE_DECISION_RULE: "change a decision rule",
    AuditAction.CHANGE_MEETING: "change a meeting",
    AuditAction.CHANGE_PLAN_ACTIVITY: "change a plan activity",
    AuditAction.CHANGE_PLAN_GOAL: "change a plan goal",
    AuditAction.CHANGE_PROBLEM_STATEMENT: "change a problem statement",
    AuditAction.CHECK_PROBLEM_STATEMENT: "check progress on a problem statement",
    AuditAction.CLOSE_MEETING: "close a meeting",
    AuditAction.COMMENT_ON_ACTION_ITEM: "comment on an action item",
    AuditAction.COMMENT_ON_PROCESS: "comment on a process draft",
    AuditAction.CONFIRM_INVITATION: "confirm an invitation",
    AuditAction.CREATE_DATA_REVIEW: "start a data review",
    AuditAction.CREATE_MEETING_SERIES: "schedule a series of meetings",
    AuditAction.CREATE_PLAN_ACTIVITY: "add a plan activity",
    AuditAction.CREATE_PLAN_ACTIVITY_FROM_CAPACITY_ITEM: "add a plan activity from a capacity item",
    AuditAction.CREATE_PLAN_GOAL: "add a plan goal",
    AuditAction.CREATE_SCHOOL: "add a school",
    AuditAction.DECIDE_BARRIER: "decide on an escalated barrier",
    AuditAction.DECLINE_INVITATION: "decline an invitation",
    AuditAction.DELETE_AGENDA_ITEM: "delete an agenda item",
    AuditAction.DELETE_COMMUNICATION_UPDATE: "delete a monthly MTSS update draft",
    AuditAction.DELETE_DECISION_RULE: "delete a decision rule",
    AuditAction.DELETE_DISTRICT: "delete a district",
    AuditAction.DELETE_MINUTES_LINE: "delete a line of the minutes",
    AuditAction.DELETE_PERSON: "delete a person",
    AuditAction.DELETE_PRACTICE_FILE: "delete a practice file",
    AuditAction.DELETE_STUDENT_RECORDS: "delete a student's records",
    AuditAction.DELETE_TIME_ENTRY: "delete a time entry",
    AuditAction.DOWNLOAD_DISTRICT_EXPORT: "download the district's data",
    AuditAction.DRAFT_COMMUNICATION_UPDATE: "draft a monthly MTSS update",
    AuditAction.ESCALATE_BARRIER: "escalate a barrier",
    AuditAction.EXPORT_DISTRICT: "export the district's data",
    AuditAction.IMPORT_SCORES: "import screener scores",
    AuditAction.INVITE_CO_AUTHOR: "invite a co-author",
    AuditAction.INVITE_PERSON: "invite a person",
    AuditAction.ISSUE_CALENDAR_FEED: "make a calendar feed link",
    AuditAction.LOG_BARRIER: "log a barrier",
    AuditAction.LOGIN: "sign in",
    AuditAction.LOGOUT: "sign out",
    AuditAction.MAP_SCHOOL_NAME: "match a school name in a file",
    AuditAction.NOT_CONFIRM_INVITATION: "turn down an invitation",
    AuditAction.RECORD_CAPACITY_ASSESSMENT: "record a capacity assessment",
    AuditAction.REMOVE_CO_AUTHOR: "remove a co-author",
    AuditAction.REOPEN_MEETING: "reopen a meeting",
    AuditAction.REQUEST_DISTRICT_EXPORT: "ask for an export",
    AuditAction.RETURN_PROCESS: "return a process draft",
    AuditAction.REVOKE_CALENDAR_FEED: "turn off a calendar feed link",
    AuditAction.SAVE_INITIATIVE: "save an initiative",
    AuditAction.SAVE_PRACTICE: "save a practice",
    AuditAction.SAVE_PROCESS_DRAFT: "save a process draft",
    AuditAction.SCORE_CAPACITY_ASSESSMENT: "score a capacity assessment",
    AuditAction.SEND_COMMUNICATION_UPDATE: "send a monthly MTSS update",
    AuditAction.SEND_MEETING_AGENDA: "send a meeting's agenda",
    AuditAction.START_PROCESS: "start a process draft",
    AuditAction.SUBMIT_PROCESS: "submit a process draft for approval",
    AuditAction.SUBMIT_PROCESS_DRAFT: "submit a process draft for approval",
    AuditAction.UPLOAD_PRACTICE_FILE: "upload a practice file",
    AuditAction.UPLOAD_SCORES: "upload a screener file",
    AuditAction.CHANGE_DISTRICT_SETTINGS: "change the district's settings",
    AuditAction.CHANGE_ROLE: "change a person's role",
    AuditAction.CHANGE_SCHOOL: "change a school",
    AuditAction.CREATE_DISTRICT: "create a district",
    AuditAction.DEACTIVATE_PERSON: "deactivate a person",
    AuditAction.DEACTIVATE_SCHOOL: "deactivate a school",
    AuditAction.IMPORT_ROSTER: "import a roster",
    AuditAction.INVITE_PEOPLE_FROM_FILE: "invite people from a file",
    AuditAction.OFFER_ROLE_CHANGE: "offer a person a new role",
    AuditAction.REACTIVATE_DISTRICT: "reactivate a district",
    AuditAction.REACTIVATE_PERSON: "reactivate a person",
    AuditAction.REACTIVATE_SCHOOL: "reactivate a school",
    AuditAction.SUSPEND_DISTRICT: "suspend a district",
    AuditAction.UPLOAD_ROSTER: "upload a roster",
    AuditAction.VIEW_STUDENT: "open a student's record",
}

# code: (what was done, what was tried)
ACTION_LABELS: dict[str, tuple[str, str]] = {
    action.value: (action.label, TRIED[action]) for action in AuditAction
}

# Refusals recorded by the access helpers name a model or a page: "view processversion", "open audit_list".
OBJECT_VERBS = {"view": ("Opened", "open"), "change": ("Changed", "change")}


@functools.cache
def _model_names() -> dict[str, str]:
    return {str(model._meta.model_name): str(model._meta.verbose_name) for model in apps.get_models()}


def _with_article(noun: str) -> str:
    return ("an " if noun[:1] in "aeiou" else "a ") + noun


def _phrases(action: str) -> tuple[str, str] | None:
    if action in ACTION_LABELS:
        return ACTION_LABELS[action]
    verb, _, rest = action.partition(" ")
    if verb in OBJECT_VERBS and rest in _model_names():
        done, tried = OBJECT_VERBS[verb]
        thing = _with_article(_model_names()[rest])
        return f"{done} {thing}", f"{tried} {thing}"
    if verb == "open" and rest:
        page = rest.rpartition(":")[2].replace("_", " ")
        return f"Opened the {page} page", f"open the {page} page"
    return None


def action_label(action: str, outcome: str = AuditEvent.Outcome.SUCCESS) -> str:
    """The action in words: what was done, or (refused, failed) what was tried."""
    phrases = _phrases(action)
    if phrases is None:
        return action[:1].upper() + action[1:]
    done, tried = phrases
    return done if outcome == AuditEvent.Outcome.SUCCESS else f"Tried to {tried}"
