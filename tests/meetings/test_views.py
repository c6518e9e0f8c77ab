from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from meetings import services
from meetings.models import ActionItem, AgendaItem, Attendance, Meeting, MinuteEntry, StandingItem
from mtss.middleware import SESSION_SEEN_KEY
from tests.meetings.factories import make_meeting


@pytest.fixture
def meeting(side_a):
    return make_meeting(side_a.district, side_a.coordinator)


def _task(meeting, side, owner, text="Send the survey", due=date(2026, 12, 20)):
    item = meeting.agenda_items.get(standing=StandingItem.ACTION_ITEMS)
    return services.minute_entry_add(
        item=item,
        kind=MinuteEntry.Kind.TASK,
        text=text,
        member=side.membership(side.coordinator),
        owner=owner,
        due_date=due,
    ).action_item


OBJECT_PAGES = [
    "meeting_detail",
    "meeting_edit",
    "meeting_attendance",
    "meeting_minutes",
    "meeting_close",
    "meeting_export",
    "meeting_export_docx",
]


@pytest.mark.parametrize("name", OBJECT_PAGES)
def test_outsider_gets_404_on_meeting_pages_and_nothing_changes(name, meeting, coordinator_b):
    assert coordinator_b.get(reverse(name, args=[meeting.pk])).status_code == 404
    assert coordinator_b.post(reverse(name, args=[meeting.pk]), {"title": "x"}).status_code in (404, 405)
    meeting.refresh_from_db()
    assert meeting.title == "DIT meeting"
    assert meeting.status == Meeting.Status.SCHEDULED


@pytest.mark.parametrize("name", ["meeting_cancel", "agenda_propose"])
def test_outsider_cannot_cancel_or_propose(name, meeting, coordinator_b):
    assert coordinator_b.post(reverse(name, args=[meeting.pk]), {"title": "x"}).status_code == 404
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.SCHEDULED
    assert meeting.agenda_items.count() == len(StandingItem)


@pytest.mark.parametrize("name", ["agenda_item_move", "agenda_item_edit", "agenda_item_delete"])
def test_outsider_cannot_change_agenda_items(name, meeting, coordinator_b):
    item = meeting.agenda_items.first()
    response = coordinator_b.post(
        reverse(name, args=[item.pk]), {"direction": "down", "title": "x", "minutes_planned": 3}
    )
    assert response.status_code == 404
    item.refresh_from_db()
    assert item.title == "Review of action items"


@pytest.mark.parametrize("name", ["meeting_edit", "meeting_attendance", "meeting_close"])
def test_member_may_read_meeting_but_not_run_it(name, meeting, member_a):
    assert member_a.get(reverse("meeting_detail", args=[meeting.pk])).status_code == 200
    assert member_a.get(reverse(name, args=[meeting.pk])).status_code == 403


def test_member_cannot_record_minutes_unless_note_taker(meeting, side_a, member_a):
    url = reverse("meeting_minutes", args=[meeting.pk])
    assert member_a.get(url).status_code == 403
    services.meeting_update(
        meeting=meeting, member=side_a.membership(side_a.coordinator), note_taker=side_a.member
    )
    assert member_a.get(url).status_code == 200


def test_site_admin_sees_only_meetings_they_attend(meeting, side_a, site_admin_a):
    assert site_admin_a.get(reverse("meeting_detail", args=[meeting.pk])).status_code == 404
    Attendance.objects.create(meeting=meeting, person=side_a.site_admin)
    assert site_admin_a.get(reverse("meeting_detail", args=[meeting.pk])).status_code == 200
    assert site_admin_a.post(reverse("agenda_propose", args=[meeting.pk]), {"title": "x"}).status_code == 403


@pytest.mark.parametrize(
    "name",
    ["meeting_list", "action_item_list", "calendar_settings", "meeting_ratings", "meeting_series_create"],
)
def test_anonymous_is_sent_to_sign_in(name, client, db):
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_only_coordinator_creates_meetings(member_a, leader_a, coordinator_a):
    for client in (member_a, leader_a):
        assert client.get(reverse("meeting_series_create")).status_code == 403
        assert client.get(reverse("meeting_create")).status_code == 403
    assert coordinator_a.get(reverse("meeting_series_create")).status_code == 200


def test_site_admin_cannot_see_ratings(site_admin_a):
    assert site_admin_a.get(reverse("meeting_ratings")).status_code == 403


def test_coordinator_creates_series_through_the_page(coordinator_a, side_a):
    response = coordinator_a.post(
        reverse("meeting_series_create"),
        {
            "kind": "dit",
            "title": "DIT meeting",
            "week_of_month": 2,
            "weekday": 1,
            "start_time": "15:30",
            "end_time": "17:00",
            "first_date": "2026-08-01",
            "last_date": "2027-06-30",
            "location": "Board Room",
        },
    )
    assert response.status_code == 302
    assert Meeting.objects.filter(district=side_a.district).count() == 11


def test_coordinator_moves_a_single_meeting(coordinator_a, meeting, side_a):
    data = {
        "kind": "dit",
        "title": "DIT meeting",
        "date": "2026-12-15",
        "start_time": "09:00",
        "end_time": "10:30",
    }
    assert coordinator_a.post(reverse("meeting_edit", args=[meeting.pk]), data).status_code == 302
    meeting.refresh_from_db()
    assert meeting.starts_at.isoformat() == "2026-12-15T15:00:00+00:00"


def test_member_proposes_item_and_coordinator_orders_it_with_htmx(member_a, coordinator_a, meeting):
    assert (
        member_a.post(
            reverse("agenda_propose", args=[meeting.pk]), {"title": "Math pilot", "minutes_planned": 15}
        ).status_code
        == 302
    )
    item = AgendaItem.objects.get(meeting=meeting, title="Math pilot")
    response = coordinator_a.post(
        reverse("agenda_item_move", args=[item.pk]), {"direction": "up"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    assert b'id="agenda"' in response.content
    response = coordinator_a.post(
        reverse("agenda_item_edit", args=[item.pk]), {"title": "Math pilot", "minutes_planned": 25}
    )
    item.refresh_from_db()
    assert item.minutes_planned == 25
    assert member_a.post(reverse("agenda_item_move", args=[item.pk]), {"direction": "up"}).status_code == 403


def test_minutes_saved_per_item_with_htmx(coordinator_a, meeting, side_a):
    item = meeting.agenda_items.get(standing=StandingItem.DATA_REVIEW)
    url = reverse("meeting_minutes", args=[meeting.pk])
    response = coordinator_a.post(
        url, {"item": item.pk, "kind": "decision", "text": "Adopt the new screener"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    assert b"Adopt the new screener" in response.content
    assert item.entries.get().kind == "decision"


def test_failed_minute_save_keeps_the_text(coordinator_a, meeting):
    item = meeting.agenda_items.first()
    url = reverse("meeting_minutes", args=[meeting.pk])
    response = coordinator_a.post(
        url,
        {"item": item.pk, "kind": "task", "text": "Call the vendor about licences"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 422
    assert b"Call the vendor about licences" in response.content
    assert b"A task needs someone to do it." in response.content
    assert not ActionItem.objects.exists()


def test_minutes_typed_after_session_expired_come_back(side_a, meeting):
    client = Client(enforce_csrf_checks=True)
    client.force_login(side_a.coordinator)
    url = reverse("meeting_minutes", args=[meeting.pk])
    assert client.get(url).status_code == 200
    session = client.session
    session[SESSION_SEEN_KEY] = (timezone.now() - timedelta(hours=3)).isoformat()
    session.save()
    item = meeting.agenda_items.first()
    response = client.post(
        url,
        {
            "item": item.pk,
            "kind": "discussion",
            "text": "Long discussion notes",
            "csrfmiddlewaretoken": client.cookies["csrftoken"].value,
        },
    )
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))
    client.force_login(side_a.coordinator)
    response = client.get(url)
    assert b"Long discussion notes" in response.content
    assert not MinuteEntry.objects.exists()


def test_attendance_records_status_and_guests(coordinator_a, meeting, side_a):
    rows = {r.person_id: r for r in meeting.attendance.all()}
    data = {
        f"status-{rows[side_a.member.pk].pk}": "present",
        f"status-{rows[side_a.leader.pk].pk}": "excused",
        "guests": "Ms. Rivera\n",
    }
    assert coordinator_a.post(reverse("meeting_attendance", args=[meeting.pk]), data).status_code == 302
    assert meeting.attendance.get(person=side_a.member).status == "present"
    assert meeting.attendance.get(person=side_a.leader).status == "excused"
    assert meeting.attendance.get(guest_name="Ms. Rivera").status == "present"


def test_close_page_records_rating_and_carries_items(coordinator_a, meeting, side_a):
    later = make_meeting(
        side_a.district, side_a.coordinator, starts_at=meeting.starts_at + timedelta(days=28)
    )
    item = services.agenda_item_propose(
        meeting=meeting, title="Tier 2 groups", member=side_a.membership(side_a.member)
    )
    data = {
        "started_on_time": "yes",
        "agenda_followed": "so-so",
        "decisions_recorded": "yes",
        "action_items_assigned": "no",
        "unfinished": [item.pk],
    }
    assert coordinator_a.post(reverse("meeting_close", args=[meeting.pk]), data).status_code == 302
    assert later.agenda_items.filter(title="Tier 2 groups", carried_from=item).exists()
    meeting.refresh_from_db()
    assert [getattr(meeting, name) for name in Meeting.RATING_FIELDS] == ["yes", "so-so", "yes", "no"]
    ratings = coordinator_a.get(reverse("meeting_ratings"))
    assert ratings.status_code == 200
    # yes 2 + so-so 1 + yes 2 + no 0 of 8 points
    row = '<td>Yes</td><td>So-so</td><td>Yes</td><td>No</td><td class="text-end">62%</td>'
    assert row in ratings.content.decode()


def test_open_items_appear_on_next_meetings_agenda(coordinator_a, meeting, side_a):
    _task(meeting, side_a, side_a.member, text="Draft the family letter")
    later = make_meeting(
        side_a.district, side_a.coordinator, starts_at=meeting.starts_at + timedelta(days=28)
    )
    response = coordinator_a.get(reverse("meeting_detail", args=[later.pk]))
    assert "Draft the family letter" in response.content.decode()


def test_owner_sees_item_on_home_and_marks_it_done(member_a, meeting, side_a, leader_a):
    action = _task(meeting, side_a, side_a.member, text="Update the coaching log")
    assert "Update the coaching log" in member_a.get(reverse("home")).content.decode()
    assert "Update the coaching log" not in leader_a.get(reverse("home")).content.decode()
    assert (
        leader_a.post(reverse("action_item_status", args=[action.pk]), {"status": "done"}).status_code == 403
    )
    response = member_a.post(reverse("action_item_status", args=[action.pk]), {"status": "done", "next": "/"})
    assert response["Location"] == "/"
    action.refresh_from_db()
    assert action.status == ActionItem.Status.DONE
    assert "“Update the coaching log” marked done." in member_a.get(reverse("home")).content.decode()
    assert "Update the coaching log" not in member_a.get(reverse("home")).content.decode()


def test_outsider_cannot_mark_action_item_done(meeting, side_a, coordinator_b):
    action = _task(meeting, side_a, side_a.member)
    assert (
        coordinator_b.post(reverse("action_item_status", args=[action.pk]), {"status": "done"}).status_code
        == 404
    )
    action.refresh_from_db()
    assert action.status == ActionItem.Status.OPEN


def test_my_action_items_show_every_source(member_a, side_a):
    services.action_item_create(
        district=side_a.district,
        title="Check fidelity data",
        owner=side_a.member,
        due_date=None,
        member=side_a.membership(side_a.coordinator),
        source_label="Data review, Fall window",
        source_url="/reviews/4/",
    )
    body = member_a.get(reverse("action_item_list")).content.decode()
    assert "Check fidelity data" in body
    assert 'href="/reviews/4/"' in body


def test_minutes_export_is_formula_safe(coordinator_a, meeting, side_a):
    item = meeting.agenda_items.first()
    services.minute_entry_add(
        item=item,
        kind="decision",
        text='=HYPERLINK("http://x")',
        member=side_a.membership(side_a.coordinator),
    )
    response = coordinator_a.get(reverse("meeting_export", args=[meeting.pk]))
    assert response["Content-Type"].startswith("text/csv")
    text = response.content.decode()
    assert "'=HYPERLINK" in text
    assert ",=HYPERLINK" not in text


def _seed_agenda(meeting, side, count):
    for n in range(count):
        item = services.agenda_item_propose(
            meeting=meeting, title=f"Item {n}", member=side.membership(side.member)
        )
        services.minute_entry_add(
            item=item, kind="discussion", text=f"Notes {n}", member=side.membership(side.coordinator)
        )
        services.minute_entry_add(
            item=item,
            kind="task",
            text=f"Task {n}",
            member=side.membership(side.coordinator),
            owner=side.member,
            due_date=date(2026, 12, 1),
        )
    Attendance.objects.bulk_create(
        Attendance(meeting=meeting, guest_name=f"Guest {n}", status="present") for n in range(count)
    )


@pytest.mark.parametrize("count", [5, 50])
def test_meeting_page_query_count_does_not_grow(
    count, coordinator_a, meeting, side_a, django_assert_num_queries
):
    _seed_agenda(meeting, side_a, count)
    later = make_meeting(
        side_a.district, side_a.coordinator, starts_at=meeting.starts_at + timedelta(days=28)
    )
    # Three of them for the live barriers, the overdue activities and whether the agenda went out.
    with django_assert_num_queries(11):
        response = coordinator_a.get(reverse("meeting_detail", args=[later.pk]))
    assert response.status_code == 200
    assert "Escalated barriers, live" in response.content.decode()
    with django_assert_num_queries(11):
        response = coordinator_a.get(reverse("meeting_detail", args=[meeting.pk]))
    assert response.status_code == 200
    assert response.content.decode().count("badge text-bg-info") == count


@pytest.mark.parametrize("count", [5, 50])
def test_minutes_page_and_action_items_query_counts(
    count, coordinator_a, member_a, meeting, side_a, django_assert_num_queries
):
    _seed_agenda(meeting, side_a, count)
    with django_assert_num_queries(7):
        assert coordinator_a.get(reverse("meeting_minutes", args=[meeting.pk])).status_code == 200
    with django_assert_num_queries(4):
        assert member_a.get(reverse("action_item_list")).status_code == 200
    with django_assert_num_queries(5):
        assert coordinator_a.get(reverse("meeting_list")).status_code == 200


def test_outsider_cannot_delete_minutes(meeting, side_a, coordinator_b, member_a):
    item = meeting.agenda_items.first()
    entry = services.minute_entry_add(
        item=item, kind="decision", text="Keep the schedule", member=side_a.membership(side_a.coordinator)
    )
    assert coordinator_b.post(reverse("minute_entry_delete", args=[entry.pk])).status_code == 404
    assert member_a.post(reverse("minute_entry_delete", args=[entry.pk])).status_code == 403
    assert MinuteEntry.objects.filter(pk=entry.pk).exists()


def test_deleting_a_task_line_cancels_its_open_action_item(coordinator_a, meeting, side_a):
    action = _task(meeting, side_a, side_a.member)
    response = coordinator_a.post(
        reverse("minute_entry_delete", args=[action.minute_entry.pk]), HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    action.refresh_from_db()
    assert action.status == ActionItem.Status.CANCELLED


def test_coordinator_cancels_a_single_meeting(coordinator_a, member_a, meeting):
    assert member_a.post(reverse("meeting_cancel", args=[meeting.pk])).status_code == 403
    assert coordinator_a.post(reverse("meeting_cancel", args=[meeting.pk])).status_code == 302
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.CANCELLED


def test_member_cannot_post_a_series(member_a):
    assert member_a.post(reverse("meeting_series_create"), {"title": "x"}).status_code == 403
    assert not Meeting.objects.exists()


def test_every_role_has_my_action_items_and_meetings(member_a, leader_a, site_admin_a, coordinator_a):
    for client in (member_a, leader_a, site_admin_a, coordinator_a):
        assert client.get(reverse("action_item_list")).status_code == 200
        assert client.get(reverse("meeting_list")).status_code == 200
        assert client.get(reverse("calendar_settings")).status_code == 200


def test_closed_meetings_agenda_no_longer_changes(coordinator_a, meeting, side_a):
    services.meeting_close(meeting=meeting, member=side_a.membership(side_a.coordinator), ratings={})
    item = meeting.agenda_items.get(standing=StandingItem.BARRIERS)
    coordinator_a.post(
        reverse("agenda_item_edit", args=[item.pk]), {"title": "Changed", "minutes_planned": 99}
    )
    coordinator_a.post(reverse("agenda_item_delete", args=[item.pk]))
    item.refresh_from_db()
    assert (item.title, item.minutes_planned) == ("Barriers", 15)


def test_minutes_export_as_word_document(member_a, meeting, side_a):
    import io

    from docx import Document

    item = meeting.agenda_items.get(standing=StandingItem.DATA_REVIEW)
    services.minute_entry_add(
        item=item,
        kind="decision",
        text="Adopt the new screener",
        member=side_a.membership(side_a.coordinator),
    )
    response = member_a.get(reverse("meeting_export_docx", args=[meeting.pk]))
    assert response.status_code == 200
    text = "\n".join(p.text for p in Document(io.BytesIO(response.content)).paragraphs)
    assert "Decision: Adopt the new screener" in text
    assert "2. Data review (20 min)" in text


def test_meeting_list_shows_each_meeting_in_the_districts_local_time(side_a, coordinator_a, time_machine):
    from datetime import UTC, datetime

    time_machine.move_to(datetime(2026, 10, 1, 12, 0, tzinfo=UTC), tick=False)
    # 21:30 UTC is 4:30 PM in Chicago in October (CDT) and 3:30 PM in December (CST).
    make_meeting(side_a.district, side_a.coordinator, starts_at=datetime(2026, 10, 13, 21, 30, tzinfo=UTC))
    make_meeting(side_a.district, side_a.coordinator, starts_at=datetime(2026, 12, 8, 21, 30, tzinfo=UTC))
    make_meeting(side_a.district, side_a.coordinator, starts_at=datetime(2026, 9, 8, 21, 30, tzinfo=UTC))
    page = coordinator_a.get(reverse("meeting_list")).text
    assert "Tue Oct 13, 2026" in page
    assert "4:30 PM\u20136:00 PM" in page
    assert "Tue Dec 8, 2026" in page
    assert "3:30 PM\u20135:00 PM" in page
    upcoming, past = page.split('id="past-heading"')
    assert "Tue Sep 8, 2026" in past
    assert "Tue Sep 8, 2026" not in upcoming
