"""What each audit action means, in the words of the people who read the audit trail.

Rows store a short action code ("return process"); the page shows "Returned a process draft", or
"Tried to return a process draft" when the action was refused or failed. A code without an entry
here still shows, capitalized, and a test lists every code the application records.
"""

from __future__ import annotations

import functools

from django.apps import apps

from mtss.audit.models import AuditEvent

# code: (what was done, what was tried)
ACTION_LABELS: dict[str, tuple[str, str]] = {
    "accept invitation": ("Accepted an invitation", "accept an invitation"),
    "action item open": ("Reopened an action item", "reopen an action item"),
    "action item done": ("Marked an action item done", "mark an action item done"),
    "action item cancelled": ("Cancelled an action item", "cancel an action item"),
    "add assessment item": ("Added a capacity assessment item", "add a capacity assessment item"),
    "add communication protocol": ("Added a communication protocol", "add a communication protocol"),
    "add process type": ("Added a district process", "add a district process"),
    "add progress update": ("Added a progress update", "add a progress update"),
    "apply retention": ("Deleted old data as the retention policy says", "apply the retention policy"),
    "approve process": ("Approved a process draft", "approve a process draft"),
    "cancel meeting": ("Cancelled a meeting", "cancel a meeting"),
    "change action item": ("Changed an action item", "change an action item"),
    "change barrier": ("Changed a barrier", "change a barrier"),
    "change communication update": ("Changed a monthly MTSS update", "change a monthly MTSS update"),
    "change decision rule": ("Changed a decision rule", "change a decision rule"),
    "change meeting": ("Changed a meeting", "change a meeting"),
    "change plan activity": ("Changed a plan activity", "change a plan activity"),
    "change plan goal": ("Changed a plan goal", "change a plan goal"),
    "change problem statement": ("Changed a problem statement", "change a problem statement"),
    "check problem statement": (
        "Checked progress on a problem statement",
        "check progress on a problem statement",
    ),
    "close meeting": ("Closed a meeting", "close a meeting"),
    "comment on action item": ("Commented on an action item", "comment on an action item"),
    "comment on process": ("Commented on a process draft", "comment on a process draft"),
    "confirm invitation": ("Confirmed an invitation", "confirm an invitation"),
    "create data review": ("Started a data review", "start a data review"),
    "create meeting series": ("Scheduled a series of meetings", "schedule a series of meetings"),
    "create plan activity from capacity item": (
        "Added a plan activity from a capacity item",
        "add a plan activity from a capacity item",
    ),
    "create plan activity": ("Added a plan activity", "add a plan activity"),
    "create plan goal": ("Added a plan goal", "add a plan goal"),
    "create school": ("Added a school", "add a school"),
    "draft communication update": ("Drafted a monthly MTSS update", "draft a monthly MTSS update"),
    "decide barrier": ("Decided on an escalated barrier", "decide on an escalated barrier"),
    "decline invitation": ("Declined an invitation", "decline an invitation"),
    "delete agenda item": ("Deleted an agenda item", "delete an agenda item"),
    "delete communication update": (
        "Deleted a monthly MTSS update draft",
        "delete a monthly MTSS update draft",
    ),
    "delete decision rule": ("Deleted a decision rule", "delete a decision rule"),
    "delete district": ("Deleted a district", "delete a district"),
    "delete minutes line": ("Deleted a line of the minutes", "delete a line of the minutes"),
    "delete person": ("Deleted a person", "delete a person"),
    "delete practice file": ("Deleted a practice file", "delete a practice file"),
    "delete student records": ("Deleted a student's records", "delete a student's records"),
    "delete time entry": ("Deleted a time entry", "delete a time entry"),
    "download district export": ("Downloaded the district's data", "download the district's data"),
    "escalate barrier": ("Escalated a barrier", "escalate a barrier"),
    "export district": ("Exported the district's data", "export the district's data"),
    "import scores": ("Imported screener scores", "import screener scores"),
    "invite co-author": ("Invited a co-author", "invite a co-author"),
    "invite person": ("Invited a person", "invite a person"),
    "issue calendar feed": ("Made a calendar feed link", "make a calendar feed link"),
    "log barrier": ("Logged a barrier", "log a barrier"),
    "login": ("Signed in", "sign in"),
    "logout": ("Signed out", "sign out"),
    "map school name": ("Matched a school name in a file", "match a school name in a file"),
    "not confirm invitation": ("Did not confirm an invitation", "turn down an invitation"),
    "record capacity assessment": ("Recorded a capacity assessment", "record a capacity assessment"),
    "remove co-author": ("Removed a co-author", "remove a co-author"),
    "reopen meeting": ("Reopened a meeting", "reopen a meeting"),
    "request district export": ("Asked for an export of the district's data", "ask for an export"),
    "return process": ("Returned a process draft", "return a process draft"),
    "revoke calendar feed": ("Turned off a calendar feed link", "turn off a calendar feed link"),
    "save initiative": ("Saved an initiative", "save an initiative"),
    "save practice": ("Saved a practice", "save a practice"),
    "send communication update": ("Sent a monthly MTSS update", "send a monthly MTSS update"),
    "send meeting agenda": ("Sent a meeting's agenda to its attendees", "send a meeting's agenda"),
    "save process draft": ("Saved a process draft", "save a process draft"),
    "score capacity assessment": ("Scored a capacity assessment", "score a capacity assessment"),
    "start process": ("Started a process draft", "start a process draft"),
    "submit process": ("Submitted a process draft for approval", "submit a process draft for approval"),
    "submit process draft": ("Submitted a process draft for approval", "submit a process draft for approval"),
    "upload practice file": ("Uploaded a practice file", "upload a practice file"),
    "upload scores": ("Uploaded a screener file", "upload a screener file"),
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
