"""One status badge for every kind of record: its colour comes from the model, keyed by its choices."""

from __future__ import annotations

import pytest
from django.template import Context, Template

from implementation_plans.models import Barrier, PlanActivity, ProcessVersion
from implementation_plans.processes.selectors import BoardRow
from meetings.models import Meeting

MODELS = [PlanActivity, Barrier, ProcessVersion, Meeting]


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_every_badge_names_a_status_of_its_model(model):
    assert set(model.STATUS_BADGES) <= set(model.Status.values)


def _badge(record) -> str:
    return Template("{% load status_badges %}{% status_badge record %}").render(Context({"record": record}))


def test_a_status_shows_its_models_colour_and_its_own_words():
    assert (
        _badge(Barrier(status=Barrier.Status.ESCALATED))
        == '<span class="badge text-bg-danger">Escalated</span>'
    )
    assert (
        _badge(PlanActivity(status=PlanActivity.Status.DONE))
        == '<span class="badge text-bg-success">Done</span>'
    )


def test_a_status_without_a_colour_gets_a_plain_badge():
    assert _badge(Meeting(status=Meeting.Status.SCHEDULED)) == (
        '<span class="badge text-bg-light border">Scheduled</span>'
    )


def test_the_process_board_row_reads_like_its_latest_version():
    row = BoardRow(
        name="Coaching System",
        slug="coaching",
        process=None,
        status="not_started",
        status_label="Not started",
        owner=None,
        approved_on=None,
        waiting_days=None,
        review_on=None,
        review_due=False,
        is_custom=False,
    )
    assert _badge(row) == '<span class="badge text-bg-light border">Not started</span>'
    row.status, row.status_label = ProcessVersion.Status.APPROVED, "Approved"
    assert _badge(row) == '<span class="badge status-badge text-bg-success">Approved</span>'
