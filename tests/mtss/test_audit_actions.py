"""Every audit row names its action through AuditAction, never a string typed at the call.

A typo in a free string ("aprove process") would go unnoticed: the audit page would list it as an
action of its own and a filter for the real one would miss it. These tests read the source, as
tests/test_code_rules.py does, and record through the services to see what the rows hold.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from coordinators.models import User
from meetings.models import ActionItem
from meetings.services import STATUS_ACTIONS
from mtss.audit.labels import TRIED, action_label
from mtss.audit.models import AuditAction, AuditEvent, changing, opening, viewing
from mtss.audit.services import audit_record
from tests.factories import PASSWORD
from tests.security_world import build_objects

ROOT = Path(__file__).resolve().parents[2]
APPS = ("coordinators", "data_reviews", "implementation_plans", "meetings", "mtss")
# The calls that take an audit action, and the helpers that make a refusal's action.
RECORDING = frozenset({"audit_record", "deny", "_require_same_district", "_check_decider"})
REFUSALS = frozenset({"viewing", "changing", "opening"})
REFUSAL = re.compile(r"(view|change|open) [\w:./-]+")


def _modules() -> list[Path]:
    return sorted(
        path for app in APPS for path in (ROOT / app).rglob("*.py") if "migrations" not in path.parts
    )


def _typed_actions(tree: ast.AST) -> set[str]:
    """The names that are parameters annotated as an audit action, in any function of the module."""
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef):
            for arg in [*node.args.args, *node.args.kwonlyargs]:
                if arg.annotation is not None and ast.unparse(arg.annotation) in (
                    "AuditAction",
                    "RecordedAction",
                ):
                    names.add(arg.arg)
    return names


def _untyped_actions(source: str) -> list[str]:
    """Each call recording an action that is not an AuditAction member, a refusal helper's result,
    a parameter typed as an action or an entry of STATUS_ACTIONS, as `line: action`."""
    tree = ast.parse(source)
    typed = _typed_actions(tree)
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        called = getattr(func, "id", None) or getattr(func, "attr", "")
        if called not in RECORDING:
            continue
        for keyword in node.keywords:
            if keyword.arg != "action":
                continue
            value = keyword.value
            if not _is_action(value, typed):
                found.append(f"{value.lineno}: {ast.unparse(value)}")
    return found


def _is_action(value: ast.expr, typed: set[str]) -> bool:
    """An AuditAction member, a refusal helper's result, a parameter typed as an action, an entry of
    STATUS_ACTIONS, or a choice between two of these (`A if suspended else B`)."""
    if isinstance(value, ast.IfExp):
        return _is_action(value.body, typed) and _is_action(value.orelse, typed)
    return (
        (
            isinstance(value, ast.Attribute)
            and ast.unparse(value.value) == "AuditAction"
            and value.attr in AuditAction.__members__
        )
        or (isinstance(value, ast.Call) and isinstance(value.func, ast.Name) and value.func.id in REFUSALS)
        or (isinstance(value, ast.Name) and value.id in typed)
        or (isinstance(value, ast.Subscript) and ast.unparse(value.value) == "STATUS_ACTIONS")
    )


def test_the_recording_calls_are_found():
    calls = {
        path.relative_to(ROOT).as_posix()
        for path in _modules()
        if any(f"{name}(" in path.read_text() for name in RECORDING)
    }
    assert {"mtss/access.py", "coordinators/services.py", "meetings/services.py"} <= calls


def test_audit_record_and_deny_are_given_an_audit_action_never_a_string():
    found = [
        f"{path.relative_to(ROOT).as_posix()}:{line}"
        for path in _modules()
        for line in _untyped_actions(path.read_text())
    ]
    assert found == []


def test_a_string_typed_at_the_call_is_caught():
    source = (
        "def f(member, action: AuditAction, other: str):\n"
        '    audit_record(action="aprove process")\n'
        '    deny(member, action=f"view {other}")\n'
        "    deny(member, action=other)\n"
        "    audit_record(action=AuditAction.NO_SUCH_ACTION)\n"
        "    audit_record(action=AuditAction.APPROVE_PROCESS)\n"
        "    deny(member, action=action)\n"
        "    deny(member, action=viewing(Meeting))\n"
    )
    assert [line.split(": ", 1)[1] for line in _untyped_actions(source)] == [
        "'aprove process'",
        "f'view {other}'",
        "other",
        "AuditAction.NO_SUCH_ACTION",
    ]


def test_every_action_says_what_was_done_and_what_was_tried():
    assert set(TRIED) == set(AuditAction)
    assert all(action.label and action.label != action.value for action in AuditAction)


def test_the_stored_codes_stay_as_they_were():
    """Rows written before the enum, and the audit page's filter links, read these exact strings."""
    assert AuditAction.RETURN_PROCESS == "return process"
    assert AuditAction.LOGIN == "login"
    assert AuditAction.CREATE_PLAN_ACTIVITY_FROM_CAPACITY_ITEM == "create plan activity from capacity item"
    assert len(AuditAction.values) == len(set(AuditAction.values)) == 86
    assert {status: action.value for status, action in STATUS_ACTIONS.items()} == {
        ActionItem.Status.OPEN: "action item open",
        ActionItem.Status.DONE: "action item done",
        ActionItem.Status.CANCELLED: "action item cancelled",
    }


def test_refusals_keep_their_composed_codes():
    assert viewing(ActionItem) == "view actionitem"
    assert changing(ActionItem) == "change actionitem"
    assert opening("audit_list") == "open audit_list"
    assert action_label(viewing(ActionItem), AuditEvent.Outcome.DENIED) == "Tried to open an action item"


@pytest.mark.django_db
def test_every_row_the_services_and_access_helpers_write_names_a_known_action(side_a, member_a, celery_eager):
    build_objects(side_a)
    member_a.get(reverse("meeting_detail", args=[987654]))
    member_a.get(reverse("audit_list"))
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert len(actions) > 10
    unknown = {a for a in actions if a not in AuditAction.values and not REFUSAL.fullmatch(a)}
    assert unknown == set()
    assert {"view meeting", "open audit_list"} <= actions


@pytest.mark.django_db
def test_the_operator_filters_the_admins_audit_rows_by_a_recorded_action(side_a):
    operator = User.objects.create_superuser(email="operator@example.org", password=PASSWORD, full_name="Op")
    client = Client()
    client.force_login(operator)
    audit_record(action=AuditAction.RETURN_PROCESS, actor=side_a.leader, district=side_a.district)
    audit_record(action=AuditAction.APPROVE_PROCESS, actor=side_a.leader, district=side_a.district)
    url = reverse("admin:audit_auditevent_changelist")
    response = client.get(url, {"action": AuditAction.RETURN_PROCESS.value})
    assert response.status_code == 200
    assert [event.action for event in response.context["cl"].result_list] == ["return process"]
    assert "Returned a process draft" in response.text
    assert "Approved a process draft" in response.text  # offered as another choice of the filter
