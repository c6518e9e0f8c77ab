from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from django.urls import reverse
from django.utils import timezone

from meetings import services
from meetings.exports import ics_escape
from meetings.models import CalendarFeed
from mtss.spreadsheets import safe_cell
from tests.meetings.factories import make_meeting


def test_person_creates_feed_and_calendar_lists_meetings_and_due_dates(member_a, side_a, client):
    start = timezone.now() + timedelta(days=5)
    meeting = make_meeting(
        side_a.district, side_a.coordinator, starts_at=start, title="DIT meeting; winter, data"
    )
    services.action_item_create(
        district=side_a.district,
        title="Send survey",
        owner=side_a.member,
        due_date=date(2026, 12, 3),
        member=None,
    )
    assert member_a.post(reverse("calendar_settings"), {"action": "regenerate"}).status_code == 302
    feed = CalendarFeed.objects.get(person=side_a.member, revoked_at__isnull=True)
    assert feed.token in member_a.get(reverse("calendar_settings")).content.decode()
    response = client.get(reverse("calendar_feed", args=[feed.token]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    body = response.content.decode()
    assert body.startswith("BEGIN:VCALENDAR\r\n")
    assert body.endswith("END:VCALENDAR\r\n")
    assert "\n" not in body.replace("\r\n", "")
    assert f"UID:meeting-{meeting.pk}@" in body
    assert f"DTSTART:{start.astimezone(UTC):%Y%m%dT%H%M%SZ}" in body
    assert "SUMMARY:DIT meeting\\; winter\\, data" in body
    assert "DTSTART;VALUE=DATE:20261203" in body
    assert "DTSTAMP:" in body


def test_wrong_or_revoked_token_is_404(member_a, side_a, client):
    old = services.calendar_feed_regenerate(member=side_a.membership(side_a.member))
    new = services.calendar_feed_regenerate(member=side_a.membership(side_a.member))
    assert client.get(reverse("calendar_feed", args=[old.token])).status_code == 404
    assert client.get(reverse("calendar_feed", args=["not-a-token"])).status_code == 404
    assert client.get(reverse("calendar_feed", args=[new.token])).status_code == 200
    assert member_a.post(reverse("calendar_settings"), {"action": "revoke"}).status_code == 302
    assert client.get(reverse("calendar_feed", args=[new.token])).status_code == 404


def test_feed_shows_only_its_owners_district_and_meetings(side_a, side_b, client):
    make_meeting(
        side_b.district, side_b.coordinator, starts_at=timezone.now() + timedelta(days=3), title="Other DIT"
    )
    make_meeting(
        side_a.district, side_a.coordinator, starts_at=timezone.now() + timedelta(days=3), title="Our DIT"
    )
    feed = services.calendar_feed_regenerate(member=side_a.membership(side_a.member))
    response = client.get(reverse("calendar_feed", args=[feed.token]))
    assert response.status_code == 200
    body = response.content.decode()
    assert "SUMMARY:Our DIT" in body
    assert "Other DIT" not in body


def test_calendar_settings_needs_sign_in(client, db):
    assert client.get(reverse("calendar_settings")).status_code == 302


def test_long_lines_fold_at_75_octets(side_a, client):
    make_meeting(
        side_a.district, side_a.coordinator, starts_at=timezone.now() + timedelta(days=1), title="Ä" * 80
    )
    feed = services.calendar_feed_regenerate(member=side_a.membership(side_a.coordinator))
    body = client.get(reverse("calendar_feed", args=[feed.token])).content
    assert all(len(line) <= 75 for line in body.split(b"\r\n"))


def test_escaping_and_formula_safety():
    assert ics_escape("a,b;c\\d\ne") == "a\\,b\\;c\\\\d\\ne"
    assert [safe_cell(v) for v in ["=1+1", "+1", "-1", "@SUM", "\tx", "\rx", "ok", None]] == [
        "'=1+1",
        "'+1",
        "'-1",
        "'@SUM",
        "'\tx",
        "'\rx",
        "ok",
        "",
    ]


def test_feed_lookback_excludes_old_meetings(side_a, client):
    make_meeting(
        side_a.district, side_a.coordinator, starts_at=datetime(2020, 1, 14, 21, tzinfo=UTC), title="Ancient"
    )
    make_meeting(
        side_a.district, side_a.coordinator, starts_at=timezone.now() - timedelta(days=20), title="Last month"
    )
    feed = services.calendar_feed_regenerate(member=side_a.membership(side_a.coordinator))
    response = client.get(reverse("calendar_feed", args=[feed.token]))
    assert response.status_code == 200
    body = response.content.decode()
    assert "SUMMARY:Last month" in body
    assert "Ancient" not in body


def test_feed_stops_when_the_person_leaves_the_district(side_a, client):
    feed = services.calendar_feed_regenerate(member=side_a.membership(side_a.member))
    assert client.get(reverse("calendar_feed", args=[feed.token])).status_code == 200
    side_a.membership(side_a.member).__class__.objects.filter(user=side_a.member).update(active=False)
    assert client.get(reverse("calendar_feed", args=[feed.token])).status_code == 404
