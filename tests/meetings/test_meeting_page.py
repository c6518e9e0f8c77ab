"""The meeting page runs the meeting: its actions in groups, the live standing items, the agenda's time."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from implementation_plans.models import Barrier
from meetings import selectors, services
from meetings.models import Meeting
from tests.implementation_plans.plan_factories import BarrierFactory, PlanActivityFactory, PlanGoalFactory
from tests.meetings.factories import make_meeting

pytestmark = pytest.mark.django_db


@pytest.fixture
def upcoming(side_a) -> Meeting:
    return make_meeting(side_a.district, side_a.coordinator, starts_at=timezone.now() + timedelta(days=6))


def _page(client, meeting) -> str:
    response = client.get(reverse("meeting_detail", args=[meeting.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_the_agenda_warns_when_its_planned_minutes_run_over_the_meeting(side_a, coordinator_a, upcoming):
    html = _page(coordinator_a, upcoming)
    assert "75 planned minutes for a 90-minute meeting." in html
    assert "Runs over" not in html
    services.agenda_item_propose(
        meeting=upcoming, title="Math pilot", minutes_planned=30, member=side_a.membership(side_a.member)
    )
    html = _page(coordinator_a, upcoming)
    assert "Runs over" in html
    assert "105 planned minutes for a 90-minute meeting: 15 minutes too many." in html


def test_standing_items_show_the_live_barriers_and_overdue_activities(
    side_a, side_b, coordinator_a, upcoming
):
    today = timezone.localdate(timezone=side_a.district.tz)
    for side, tag in ((side_a, "A"), (side_b, "B")):
        goal = PlanGoalFactory(district=side.district)
        PlanActivityFactory(goal=goal, title=f"{tag} late activity", due_date=today - timedelta(days=2))
        PlanActivityFactory(goal=goal, title=f"{tag} future activity", due_date=today + timedelta(days=2))
        BarrierFactory(
            district=side.district,
            description=f"{tag} escalated barrier",
            status=Barrier.Status.ESCALATED,
            escalated_on=today,
        )
        BarrierFactory(district=side.district, description=f"{tag} open barrier", status=Barrier.Status.OPEN)
    html = _page(coordinator_a, upcoming)
    barriers = html[html.index("<strong>Barriers</strong>") : html.index("<strong>Communication</strong>")]
    plan = html[
        html.index("<strong>Implementation plan progress</strong>") : html.index("<strong>Barriers</strong>")
    ]
    assert "Escalated barriers, live" in barriers
    assert "A escalated barrier" in barriers
    assert "A open barrier" not in html
    assert "Overdue plan activities, live" in plan
    assert "A late activity" in plan
    assert "A future activity" not in html
    assert "B " not in barriers + plan
    # A closed meeting is a record: it no longer shows today's lists.
    services.meeting_close(meeting=upcoming, member=side_a.membership(side_a.coordinator), ratings={})
    assert "Escalated barriers, live" not in _page(coordinator_a, upcoming)


def test_record_minutes_comes_first_and_close_and_cancel_stand_apart_confirmed(coordinator_a, upcoming):
    html = _page(coordinator_a, upcoming)
    actions = html[html.index('aria-label="Run the meeting"') :]
    assert actions.index("Record minutes") < actions.index("Meeting packet") < actions.index("Attendance")
    actions = actions[: actions.index("</div>")]
    assert "Close the meeting" not in actions
    assert "Cancel meeting" not in actions
    end = html[html.index('id="end-heading"') :]
    assert "Close the meeting" in end
    assert 'data-confirm="Cancel this meeting?' in end
    assert reverse("meeting_close", args=[upcoming.pk]) in end


def test_a_member_sees_the_packet_link_but_no_coordinator_actions(member_a, upcoming):
    html = _page(member_a, upcoming)
    assert reverse("meeting_packet", args=[upcoming.pk]) in html
    assert "Send the agenda now" not in html
    assert "End the meeting" not in html


def test_rating_rows_read_the_ratings_back_as_a_score(side_a):
    meeting = make_meeting(side_a.district, side_a.coordinator)
    services.meeting_close(
        meeting=meeting,
        member=side_a.membership(side_a.coordinator),
        ratings={"started_on_time": "yes", "agenda_followed": "so-so", "decisions_recorded": "no"},
    )
    (row,) = selectors.rating_rows(side_a.membership(side_a.coordinator))
    assert row["values"] == ["Yes", "So-so", "No", ""]
    assert row["score"] == 50  # (2 + 1 + 0) of 6
    assert row["date"] == timezone.localtime(meeting.starts_at, side_a.district.tz).date()
