"""The coordinator's home answers "what needs me this week": the next DIT meeting and what is overdue."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.db.models import Sum
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from meetings.models import ActionItem, AgendaItem, Meeting, MeetingKind
from meetings.services import action_item_create
from tests.meetings.factories import make_meeting

pytestmark = pytest.mark.django_db


def _panel(page: str) -> str:
    start = page.index(">Next DIT meeting<")
    return page[start : page.index("</section>", start)]


def _items(side, count: int, *, overdue: int = 0) -> None:
    today = timezone.localdate(timezone=side.district.tz)
    for n in range(count):
        action_item_create(
            district=side.district,
            title=f"Item {n}",
            owner=side.member,
            due_date=today - timedelta(days=2) if n < overdue else today + timedelta(days=5),
            member=side.membership(side.coordinator),
        )


def test_coordinator_sees_the_next_dit_meeting_with_its_agenda_and_open_items(side_a, side_b, coordinator_a):
    now = timezone.now()
    make_meeting(side_a.district, side_a.coordinator, starts_at=now - timedelta(days=3), title="Last month")
    cancelled = make_meeting(
        side_a.district, side_a.coordinator, starts_at=now + timedelta(days=1), title="Called off"
    )
    Meeting.objects.filter(pk=cancelled.pk).update(status=Meeting.Status.CANCELLED)
    make_meeting(
        side_a.district,
        side_a.coordinator,
        starts_at=now + timedelta(days=2),
        kind=MeetingKind.COACHING,
        title="Coaching session",
    )
    make_meeting(side_b.district, side_b.coordinator, starts_at=now + timedelta(days=1), title="Their DIT")
    nxt = make_meeting(
        side_a.district, side_a.coordinator, starts_at=now + timedelta(days=4), title="December DIT"
    )
    make_meeting(side_a.district, side_a.coordinator, starts_at=now + timedelta(days=30), title="January DIT")
    _items(side_a, 5, overdue=2)
    done = ActionItem.objects.filter(district=side_a.district, due_date__lt=timezone.localdate()).first()
    ActionItem.objects.filter(pk=done.pk).update(status=ActionItem.Status.DONE)

    panel = _panel(coordinator_a.get(reverse("home")).text)

    assert f'href="{reverse("meeting_detail", args=[nxt.pk])}"' in panel
    assert "December DIT" in panel
    local = nxt.starts_at.astimezone(side_a.district.tz)
    assert f"{local:%A, %B} {local.day}" in panel
    agenda = AgendaItem.objects.filter(meeting=nxt)
    planned = agenda.aggregate(total=Sum("minutes_planned"))["total"] or 0
    count = agenda.count()
    assert f"{count} agenda item{'s' if count != 1 else ''}, {planned} planned minutes" in panel
    assert "4 open action items" in panel
    assert "1 overdue" in panel
    for other in ("Last month", "Called off", "Coaching session", "Their DIT", "January DIT"):
        assert other not in panel


def test_without_a_meeting_the_checklist_offers_the_series_instead_of_an_empty_card(side_a, coordinator_a):
    page = coordinator_a.get(reverse("home")).text
    assert ">Next DIT meeting<" not in page
    assert f'href="{reverse("meeting_series_create")}"' in page


def test_without_a_meeting_and_the_checklist_done_the_panel_is_one_line(side_a, coordinator_a, monkeypatch):
    from coordinators import home, onboarding

    monkeypatch.setattr(home, "onboarding_for", lambda district: onboarding.Onboarding(steps=[]))
    page = coordinator_a.get(reverse("home")).text
    assert ">Next DIT meeting<" not in page
    assert "Next DIT meeting:</strong> No DIT meeting is scheduled." in page


def test_only_coordinators_get_the_next_meeting_panel(side_a, member_a, site_admin_a):
    make_meeting(side_a.district, side_a.coordinator, starts_at=timezone.now() + timedelta(days=4))
    for client in (member_a, site_admin_a):
        assert ">Next DIT meeting<" not in client.get(reverse("home")).text


# 15 with the new district's checklist, read in one query.
COORDINATOR_HOME_QUERIES = 15


def _home_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("home")).status_code == 200
    return len(queries)


def test_home_query_count_is_the_same_with_5_and_50_items(side_a, coordinator_a):
    meeting = make_meeting(side_a.district, side_a.coordinator, starts_at=timezone.now() + timedelta(days=4))
    _items(side_a, 5, overdue=2)
    small = _home_queries(coordinator_a)
    _items(side_a, 45, overdue=20)
    for n in range(45):
        AgendaItem.objects.create(meeting=meeting, title=f"Topic {n}", position=100 + n)
    assert _home_queries(coordinator_a) == small
    assert small == COORDINATOR_HOME_QUERIES
    panel = _panel(coordinator_a.get(reverse("home")).text)
    assert "50 open action items" in panel
    assert "22 overdue" in panel
