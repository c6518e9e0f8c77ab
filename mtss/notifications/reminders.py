"""What the reminder sweep asks each app: which dated work is open, which drafts are waiting.

An app offers its dated work by defining, in `<app>/reminders.py`:

    DUE_ITEM_SOURCES = [function, ...]       # each: (*, due_on_or_before: date) -> Iterable[DueItem]
    APPROVAL_WAIT_SOURCES = [function, ...]  # each: () -> Iterable[ApprovalWait]

Each source answers with one query across all districts; the sweep turns the answers into
notification rows whose keys make every reminder happen once.

Optionally, an app adds sections to the executive leaders' weekly digest (escalated barriers,
upcoming review dates, ...):

    DIGEST_SECTIONS = [function, ...]  # each: (*, district_id: int, today: date)
                                       #       -> Iterable[DigestSection]

`today` is the district's local date. A section with no lines is left out of the email.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime

from mtss.navigation import app_modules


@dataclass(frozen=True)
class DueItem:
    district_id: int
    key: str  # stable and unique for the thing, e.g. "plan-activity:12"
    kind_label: str  # in the users' words, e.g. "Plan activity", "Action item"
    title: str
    owner_id: int | None
    due_date: date
    url: str


@dataclass(frozen=True)
class ApprovalWait:
    district_id: int
    key: str  # stable and unique for the submitted version, e.g. "process-version:7"
    title: str  # e.g. "Coaching System"
    submitted_at: datetime
    author_id: int | None
    url: str


@dataclass(frozen=True)
class DigestSection:
    title: str  # e.g. "Escalated barriers"
    lines: tuple[str, ...]  # one plain-text line per thing, e.g. "Bus schedules (escalated 12 Mar)"


def due_items(*, due_on_or_before: date) -> Iterator[DueItem]:
    for module in app_modules("reminders"):
        for source in getattr(module, "DUE_ITEM_SOURCES", []):
            yield from source(due_on_or_before=due_on_or_before)


def approval_waits() -> Iterator[ApprovalWait]:
    for module in app_modules("reminders"):
        for source in getattr(module, "APPROVAL_WAIT_SOURCES", []):
            yield from source()


def digest_sections(*, district_id: int, today: date) -> Iterator[DigestSection]:
    for module in app_modules("reminders"):
        for source in getattr(module, "DIGEST_SECTIONS", []):
            yield from source(district_id=district_id, today=today)
