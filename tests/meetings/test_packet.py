"""The meeting packet: what it gathers, in what order, for whom, and in how many queries."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from implementation_plans.models import Barrier, PlanActivity, ProcessVersion
from meetings import services
from meetings.models import Meeting, MinuteEntry
from meetings.packet import is_late, meeting_packet
from tests.conftest import Side
from tests.data_reviews.score_factories import TierSnapshotFactory
from tests.implementation_plans.plan_factories import BarrierFactory, PlanActivityFactory, PlanGoalFactory
from tests.implementation_plans.process_factories import approved, submitted
from tests.meetings.factories import make_meeting

pytestmark = pytest.mark.django_db


def _today(side: Side):
    return timezone.localdate(timezone=side.district.tz)


def _world(side: Side, tag: str) -> Meeting:
    """A closed meeting with a decision, the next meeting, and one of everything the packet shows."""
    today = _today(side)
    now = timezone.now()
    last = make_meeting(side.district, side.coordinator, starts_at=now - timedelta(days=20))
    services.minute_entry_add(
        item=last.agenda_items.get(standing="data_review"),
        kind=MinuteEntry.Kind.DECISION,
        text=f"{tag} adopt the reading screener",
        member=side.membership(side.coordinator),
    )
    services.minute_entry_add(
        item=last.agenda_items.get(standing="data_review"),
        kind=MinuteEntry.Kind.DISCUSSION,
        text=f"{tag} talked about the calendar",
        member=side.membership(side.coordinator),
    )
    services.meeting_close(meeting=last, member=side.membership(side.coordinator), ratings={})
    upcoming = make_meeting(side.district, side.coordinator, starts_at=now + timedelta(days=10))
    services.agenda_item_propose(
        meeting=upcoming, title=f"{tag} math pilot", minutes_planned=25, member=side.membership(side.member)
    )
    for title, owner, due in [
        (f"{tag} overdue letter", side.member, today - timedelta(days=3)),
        (f"{tag} later letter", side.member, today + timedelta(days=9)),
        (f"{tag} leader task", side.leader, today + timedelta(days=2)),
        (f"{tag} unowned task", None, None),
    ]:
        services.action_item_create(
            district=side.district,
            title=title,
            owner=owner,
            due_date=due,
            member=side.membership(side.coordinator),
        )
    goal = PlanGoalFactory(district=side.district, title=f"{tag} goal")
    PlanActivityFactory(goal=goal, title=f"{tag} overdue activity", due_date=today - timedelta(days=5))
    PlanActivityFactory(goal=goal, title=f"{tag} soon activity", due_date=today + timedelta(days=20))
    # Due within a month of the meeting, which is ten days away, though more than a month from today.
    PlanActivityFactory(goal=goal, title=f"{tag} next month activity", due_date=today + timedelta(days=38))
    PlanActivityFactory(goal=goal, title=f"{tag} far activity", due_date=today + timedelta(days=60))
    PlanActivityFactory(
        goal=goal,
        title=f"{tag} finished activity",
        due_date=today - timedelta(days=5),
        status=PlanActivity.Status.DONE,
    )
    BarrierFactory(
        district=side.district,
        description=f"{tag} substitute shortage",
        status=Barrier.Status.ESCALATED,
        escalated_on=today - timedelta(days=4),
    )
    BarrierFactory(district=side.district, description=f"{tag} open barrier", status=Barrier.Status.OPEN)
    submitted(side.membership(side.coordinator))
    review = approved(side.membership(side.coordinator), side.membership(side.leader), slug="staff-learning")
    ProcessVersion.objects.filter(pk=review.pk).update(review_on=today + timedelta(days=10))
    TierSnapshotFactory(school=side.school, subject="reading", window="fall", tier1=40, tier2=8, tier3=2)
    TierSnapshotFactory(school=side.school, subject="reading", window="winter", tier1=42, tier2=6, tier3=2)
    TierSnapshotFactory(school=side.school, subject="math", window="fall", tier1=30, tier2=15, tier3=5)
    return upcoming


def test_the_packet_gathers_every_section_in_order(side_a):
    meeting = _world(side_a, "A")
    packet = meeting_packet(side_a.membership(side_a.coordinator), meeting)

    assert [item.title for item in packet.agenda][-2:] == ["A math pilot", "Next meeting"]
    assert packet.timing.planned == 75 + 25
    assert packet.timing.length == 90
    assert packet.timing.over_by == 10
    assert [entry.text for entry in packet.decisions] == ["A adopt the reading screener"]

    by_owner = {group.owner: [item.title for item in group.items] for group in packet.owners}
    assert by_owner == {
        side_a.member.full_name: ["A overdue letter", "A later letter"],
        side_a.leader.full_name: ["A leader task"],
        "Nobody yet": ["A unowned task"],
    }
    assert packet.owners[0].owner == side_a.member.full_name  # the owner with overdue items first
    assert packet.owners[-1].owner == "Nobody yet"

    assert [a.title for a in packet.activities] == [
        "A overdue activity",
        "A soon activity",
        "A next month activity",
    ]
    assert [is_late(a.due_date, packet.today) for a in packet.activities] == [True, False, False]
    assert packet.activities_until == _today(side_a) + timedelta(days=10 + 31)
    assert [b.description for b in packet.barriers] == ["A substitute shortage"]
    assert [v.process.slug for v in packet.approvals] == ["coaching-system"]
    assert [row.slug for row in packet.reviews_due] == ["staff-learning"]

    assert [s.subject_label for s in packet.snapshots] == ["reading", "math"]
    reading = packet.snapshots[0]
    assert reading.period_label.startswith("Winter")
    assert reading.summary.startswith(
        "In winter, 1 of 2 schools in District A tested reading (50 students): 84%"
    )
    assert [row[:3] for row in reading.rows[:3]] == [["Tier 1", 42, 84], ["Tier 2", 6, 12], ["Tier 3", 2, 4]]
    students, guide = reading.bars
    assert [s.pct for s in students.segments] == [84, 12, 4]
    assert [s.pct for s in guide.segments] == [80, 15, 5]


def test_the_packet_page_prints_each_section_on_its_own_page(side_a, coordinator_a):
    meeting = _world(side_a, "A")
    response = coordinator_a.get(reverse("meeting_packet", args=[meeting.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count('class="packet-section"') == 7
    for text in (
        "A math pilot",
        "Runs over",
        "100 planned minutes for a 90-minute meeting: 10 minutes too many",
        "A adopt the reading screener",
        "A overdue letter",
        "A soon activity",
        "A substitute shortage",
        "Coaching System",
        '<svg class="packet-triangle"',
        "Send the agenda now",
    ):
        assert text in html, text
    assert "A talked about the calendar" not in html  # decisions only
    assert "A far activity" not in html
    assert "A finished activity" not in html
    assert "A open barrier" not in html
    # The print style sheet starts every section but the first on a new page.
    css = (settings.BASE_DIR / "static" / "css" / "print.css").read_text()
    assert ".packet-section { break-before: page;" in css


def test_district_b_never_appears_in_district_a_packet(side_a, side_b, coordinator_a, coordinator_b):
    meeting = _world(side_a, "A")
    _world(side_b, "B")
    response = coordinator_a.get(reverse("meeting_packet", args=[meeting.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "A overdue letter" in html
    assert "B " not in html.replace("District B", "")[html.find("<article") :]
    docx = coordinator_a.get(reverse("meeting_packet_docx", args=[meeting.pk]))
    assert "B " not in _docx_text(docx.content)
    for name in ("meeting_packet", "meeting_packet_docx"):
        assert coordinator_b.get(reverse(name, args=[meeting.pk])).status_code == 404


def test_a_site_admin_may_not_read_the_packet(side_a, site_admin_a):
    meeting = _world(side_a, "A")
    assert site_admin_a.get(reverse("meeting_packet", args=[meeting.pk])).status_code == 403


def _docx_text(content: bytes) -> str:
    from docx import Document

    document = Document(io.BytesIO(content))
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


def test_the_word_packet_has_the_same_content(side_a, leader_a):
    meeting = _world(side_a, "A")
    response = leader_a.get(reverse("meeting_packet_docx", args=[meeting.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="packet-')
    text = _docx_text(response.content)
    for expected in (
        "DIT meeting: meeting packet",
        "1. Agenda",
        "100 planned minutes for a 90-minute meeting: 10 minutes too many.",
        "A math pilot",
        "A adopt the reading screener (Data review)",
        f"{side_a.member.full_name} (2 open, 1 overdue)",
        "A overdue letter",
        "A soon activity",
        "A substitute shortage",
        "Coaching System, version 1 — waiting for approval since",
        "review due",
        "In winter, 1 of 2 schools in District A tested reading",
        "% of students tested",
    ):
        assert expected in text, expected
    assert "A far activity" not in text


@pytest.mark.parametrize("extra", [1, 12])
def test_the_packet_query_count_does_not_grow(extra, side_a, coordinator_a, django_assert_num_queries):
    meeting = _world(side_a, "A")
    today = _today(side_a)
    goal = PlanGoalFactory(district=side_a.district)
    for n in range(extra):
        services.action_item_create(
            district=side_a.district,
            title=f"Extra item {n}",
            owner=side_a.leader,
            due_date=today - timedelta(days=n),
            member=None,
        )
        PlanActivityFactory(goal=goal, title=f"Extra activity {n}", due_date=today + timedelta(days=n))
        BarrierFactory(
            district=side_a.district,
            description=f"Extra barrier {n}",
            status=Barrier.Status.ESCALATED,
            escalated_on=today,
        )
    with django_assert_num_queries(15):
        response = coordinator_a.get(reverse("meeting_packet", args=[meeting.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count("Extra item ") == extra
    assert html.count("Extra activity ") == extra
    assert html.count("Extra barrier ") == extra
