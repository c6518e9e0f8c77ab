"""The codebase keeps its own rules: views hand every write to a service.

A view checks access, reads a form, calls one service and answers; the service writes under its
transaction and lock. These tests read the source, so a view that saves, creates, updates or
deletes a row itself fails here before it reaches review.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
APPS = ("coordinators", "data_reviews", "implementation_plans", "meetings", "mtss")
WRITES = frozenset(
    {
        "save",
        "create",
        "update",
        "delete",
        "bulk_create",
        "bulk_update",
        "get_or_create",
        "update_or_create",
    }
)


def view_modules() -> list[Path]:
    found = []
    for app in APPS:
        for path in (ROOT / app).rglob("*.py"):
            if path.name == "views.py" or path.name.endswith("_views.py"):
                found.append(path)
    return sorted(found)


def orm_writes(source: str) -> list[str]:
    """Each call of a write method in the source, as `line: call`."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in WRITES:
            found.append(f"{node.lineno}: {ast.unparse(node.func)}(…)")
    return found


def test_the_views_are_found():
    names = {path.relative_to(ROOT).as_posix() for path in view_modules()}
    assert {
        "coordinators/views.py",
        "meetings/views.py",
        "meetings/action_item_views.py",
        "implementation_plans/plan/views.py",
        "data_reviews/scores/views.py",
    } <= names


@pytest.mark.parametrize(
    "call",
    [
        "item.save()",
        "Meeting.objects.create(title='x')",
        "selectors.items_for(member).filter(pk=1).update(status='done')",
        "item.delete()",
        "Score.objects.bulk_create(rows)",
        "Score.objects.bulk_update(rows, ['value'])",
        "Tag.objects.get_or_create(name='x')",
        "Tag.objects.update_or_create(name='x', defaults={})",
        "form.save(commit=False)",
        "context.update(form=form)",
    ],
)
def test_the_check_sees_each_kind_of_write(call):
    source = f"def view(request):\n    {call}\n"
    assert orm_writes(source) == [f"2: {call[: call.rindex('(')]}(…)"]


def test_reading_is_not_a_write():
    source = (
        "def view(request):\n"
        "    items = selectors.items_for(member).filter(done=False).order_by('due')\n"
        "    context = {'items': items}\n"
        "    context |= {'today': today}\n"
        "    services.item_update(item=item, member=member, title='x')\n"
    )
    assert orm_writes(source) == []


@pytest.mark.parametrize("path", view_modules(), ids=lambda p: p.relative_to(ROOT).as_posix())
def test_no_view_writes_to_the_database(path):
    writes = orm_writes(path.read_text(encoding="utf-8"))
    assert writes == [], f"{path.relative_to(ROOT)} writes itself; move it into a service: {writes}"


def _imports(path: Path) -> set[str]:
    """The modules a file imports, at the top or inside a function."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return found


def _app_modules() -> list[Path]:
    return sorted(p for app in APPS for p in (ROOT / app).rglob("*.py") if "migrations" not in p.parts)


def test_word_documents_are_built_in_one_place():
    builders = {path.relative_to(ROOT).as_posix() for path in _app_modules() if "docx" in _imports(path)}
    assert builders == {"mtss/documents.py"}


def test_coordinators_do_not_reach_into_meetings_for_downloads():
    reaching = {
        path.relative_to(ROOT).as_posix()
        for path in (ROOT / "coordinators").rglob("*.py")
        if "meetings.exports" in _imports(path)
    }
    assert reaching == set()
