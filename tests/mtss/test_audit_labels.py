"""The audit trail says what happened in words: "Returned a process draft", not "return process"."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from mtss.audit.labels import ACTION_LABELS, action_label
from mtss.audit.models import AuditAction, AuditEvent
from mtss.audit.services import audit_record

pytestmark = pytest.mark.django_db

APP_FOLDERS = ["coordinators", "meetings", "implementation_plans", "data_reviews", "mtss"]
# `action="..."` also names what a management command's option does; those are not audit actions.
ARGPARSE_ACTIONS = {"store", "store_const", "store_true", "store_false", "append", "append_const", "count"}


def _action_codes_in_the_code() -> set[str]:
    codes = set()
    for folder in APP_FOLDERS:
        for path in (Path(settings.BASE_DIR) / folder).rglob("*.py"):
            if "migrations" not in path.parts:
                codes.update(re.findall(r'\baction="([a-z][a-z -]*)"', path.read_text()))
    return codes - ARGPARSE_ACTIONS


def test_every_action_the_code_records_has_a_label():
    assert _action_codes_in_the_code() == set(), "name the action with AuditAction, not a string"
    assert {"return process", "login", "import scores"} <= ACTION_LABELS.keys()
    assert sorted(set(AuditAction.values) - ACTION_LABELS.keys()) == []


def test_the_audit_page_shows_labels_not_action_codes(side_a, leader_a):
    audit_record(action="return process", actor=side_a.leader, district=side_a.district, target=side_a.school)
    page = leader_a.get(reverse("audit_list")).text
    assert "<td>Returned a process draft</td>" in page
    assert "<td>return process</td>" not in page
    assert '<option value="return process">Returned a process draft</option>' in page


def test_refused_actions_read_as_attempts(side_a, leader_a):
    for action in ("approve process", "view processversion", "open audit_list", "login"):
        audit_record(
            action=action, actor=side_a.member, district=side_a.district, outcome=AuditEvent.Outcome.DENIED
        )
    page = leader_a.get(reverse("audit_list")).text
    assert "<td>Tried to approve a process draft</td>" in page
    assert "<td>Tried to open a process version</td>" in page
    assert "<td>Tried to open the audit list page</td>" in page
    assert "<td>Tried to sign in</td>" in page


@pytest.mark.parametrize(
    ("action", "outcome", "label"),
    [
        ("login", AuditEvent.Outcome.SUCCESS, "Signed in"),
        ("login", AuditEvent.Outcome.FAILURE, "Tried to sign in"),
        ("action item done", AuditEvent.Outcome.SUCCESS, "Marked an action item done"),
        ("change meeting", AuditEvent.Outcome.SUCCESS, "Changed a meeting"),
        ("change barrier", AuditEvent.Outcome.DENIED, "Tried to change a barrier"),
        ("something new", AuditEvent.Outcome.SUCCESS, "Something new"),
    ],
)
def test_action_label(action, outcome, label):
    assert action_label(action, outcome) == label
