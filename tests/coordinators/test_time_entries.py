from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from coordinators import services
from coordinators.models import TimeEntry, TimeTarget
from meetings.models import MeetingKind
from tests.meetings.factories import make_meeting


def _entry(side, day, hours, activity="dit", coordinator=None):
    return services.time_entry_create(
        member=side.membership(coordinator or side.coordinator),
        date=day,
        hours=Decimal(hours),
        activity=activity,
    )


def test_coordinator_adds_time_in_days_stored_as_hours(coordinator_a, side_a):
    response = coordinator_a.post(
        reverse("time_entries"),
        {
            "date": "2026-11-03",
            "amount": "1.5",
            "unit": "days",
            "activity": "coaching",
            "note": "School visits",
        },
    )
    assert response.status_code == 302
    entry = TimeEntry.objects.get()
    assert entry.hours == Decimal(12)
    assert entry.coordinator == side_a.coordinator


def test_invalid_entry_keeps_what_was_typed(coordinator_a):
    response = coordinator_a.post(
        reverse("time_entries"),
        {"date": "2026-11-03", "amount": "5", "unit": "days", "activity": "other", "note": "Long week"},
    )
    assert response.status_code == 200
    assert "Long week" in response.content.decode()
    assert not TimeEntry.objects.exists()


def test_log_a_meeting_in_one_click_once(coordinator_a, side_a):
    meeting = make_meeting(side_a.district, side_a.coordinator, starts_at=timezone.now() - timedelta(days=2))
    page = coordinator_a.get(reverse("time_entries")).content.decode()
    assert reverse("time_log_meeting", args=[meeting.pk]) in page
    coordinator_a.post(reverse("time_log_meeting", args=[meeting.pk]))
    coordinator_a.post(reverse("time_log_meeting", args=[meeting.pk]))
    entry = TimeEntry.objects.get()
    assert entry.hours == Decimal("1.5")
    assert entry.activity == "dit"
    assert (
        reverse("time_log_meeting", args=[meeting.pk])
        not in coordinator_a.get(reverse("time_entries")).content.decode()
    )


def test_coaching_session_is_logged_as_coaching(side_a):
    meeting = make_meeting(
        side_a.district, side_a.coordinator, kind=MeetingKind.COACHING, title="Coaching support"
    )
    entry, created = services.time_entry_log_meeting(
        meeting=meeting, member=side_a.membership(side_a.coordinator)
    )
    assert created
    assert entry.activity == "coaching"


def test_outsider_cannot_log_or_delete(coordinator_b, side_a):
    meeting = make_meeting(side_a.district, side_a.coordinator)
    entry = _entry(side_a, date(2026, 11, 2), 3)
    assert coordinator_b.post(reverse("time_log_meeting", args=[meeting.pk])).status_code == 404
    assert coordinator_b.post(reverse("time_entry_delete", args=[entry.pk])).status_code == 404
    assert TimeEntry.objects.count() == 1


def test_leader_sees_summary_and_csv_but_cannot_log(leader_a, side_a):
    _entry(side_a, date(2026, 11, 2), 8, "dit")
    _entry(side_a, date(2026, 11, 9), 16, "coaching")
    url = reverse("time_summary") + f"?coordinator={side_a.coordinator.pk}&month=2026-11&stage=installation"
    body = leader_a.get(url).content.decode()
    assert "3 days" in body
    assert "Within target" in body
    csv = leader_a.get(
        reverse("time_summary_csv") + f"?coordinator={side_a.coordinator.pk}&month=2026-11"
    ).content.decode()
    assert "Coaching,16,2" in csv.replace(".0", "")
    assert leader_a.get(reverse("time_entries")).status_code == 403


def test_csv_notes_cannot_become_formulas(coordinator_a, side_a):
    _entry(side_a, date(2026, 11, 2), 8, "dit")
    side_a.coordinator.full_name = "=cmd|' /C calc'!A0"
    side_a.coordinator.save()
    csv = coordinator_a.get(reverse("time_summary_csv") + "?month=2026-11").content.decode()
    assert "'=cmd" in csv
    assert "\n=cmd" not in csv


def test_district_target_overrides_default(leader_a, side_a):
    TimeTarget.objects.create(district=side_a.district, stage="installation", min_days=5, max_days=6)
    _entry(side_a, date(2026, 11, 2), 8)
    body = leader_a.get(reverse("time_summary") + "?month=2026-11").content.decode()
    assert "Below target" in body


@pytest.mark.parametrize("client_name", ["member_a", "site_admin_a"])
def test_members_and_site_admins_have_no_time_pages(client_name, request):
    client = request.getfixturevalue(client_name)
    for name in ("time_entries", "time_summary", "time_summary_csv"):
        assert client.get(reverse(name)).status_code == 403


def test_coordinator_only_sees_own_summary(coordinator_a, side_a, login_as):
    from coordinators.models import Role
    from tests.factories import MembershipFactory, UserFactory

    other = UserFactory(email="second.coordinator@example.org", full_name="Second Coordinator")
    MembershipFactory(user=other, district=side_a.district, role=Role.COORDINATOR)
    _entry(side_a, date(2026, 11, 2), 8, coordinator=other)
    body = coordinator_a.get(
        reverse("time_summary") + f"?coordinator={other.pk}&month=2026-11"
    ).content.decode()
    assert "Second Coordinator" not in body


def test_anonymous_is_sent_to_sign_in(client, db):
    for name in ("time_entries", "time_summary", "time_summary_csv"):
        assert client.get(reverse(name)).status_code == 302


@pytest.mark.parametrize("count", [5, 50])
def test_time_pages_query_count_is_flat(count, coordinator_a, leader_a, side_a, django_assert_num_queries):
    for n in range(count):
        _entry(side_a, date(2026, 11, 1) + timedelta(days=n % 28), 2, "coaching")
        make_meeting(
            side_a.district,
            side_a.coordinator,
            starts_at=datetime(2026, 11, 1, 15, tzinfo=UTC) + timedelta(hours=n),
        )
    days = {5: "1.25", 50: "12.50"}[count]  # two hours an entry, eight hours a day
    with django_assert_num_queries(7):
        response = coordinator_a.get(reverse("time_entries") + "?month=2026-11")
    assert response.status_code == 200
    body = response.content.decode()
    assert body.count(">Remove</button>") == count
    assert f"Total: <strong>{days} days</strong>" in body
    with django_assert_num_queries(7):
        response = leader_a.get(reverse("time_summary") + "?month=2026-11")
    assert response.status_code == 200
    body = response.content.decode()
    assert f"{side_a.coordinator.full_name}: November 2026" in body
    assert f"Total: <strong>{days} days</strong>" in body
