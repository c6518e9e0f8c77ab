"""Fixtures for the notification tests: reminder sources, eager Celery, the outbox."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from types import SimpleNamespace

import pytest

from mtss.celery import app as celery_app
from mtss.notifications import reminders
from mtss.notifications.reminders import ApprovalWait, DigestSection, DueItem


@dataclass
class FakeSources:
    """What the apps would answer the reminder sweep: set the lists in a test."""

    due: list[DueItem] = field(default_factory=list)
    waits: list[ApprovalWait] = field(default_factory=list)
    sections: list[tuple[int, DigestSection]] = field(default_factory=list)

    def module(self) -> SimpleNamespace:
        return SimpleNamespace(
            DUE_ITEM_SOURCES=[
                lambda *, due_on_or_before: [i for i in self.due if i.due_date <= due_on_or_before]
            ],
            APPROVAL_WAIT_SOURCES=[lambda: list(self.waits)],
            DIGEST_SECTIONS=[lambda *, district_id, today: [s for d, s in self.sections if d == district_id]],
        )


@pytest.fixture
def sources(monkeypatch: pytest.MonkeyPatch) -> FakeSources:
    fake = FakeSources()
    monkeypatch.setattr(reminders, "app_modules", lambda name: (fake.module(),))
    return fake


@pytest.fixture
def eager_celery() -> Iterator[None]:
    """Run tasks in this process: the same code path as the worker, without a broker."""
    before = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = before
