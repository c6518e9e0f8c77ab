"""An action item after the meeting: edited, commented on, marked done and back, with its history."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import dateformat, timezone

from data_reviews.reviews import services as review_services
from meetings import action_items, services
from meetings.models import ActionItem, ActionItemChange, ActionItemComment
from mtss.audit.models import AuditEvent
from mtss.notifications.kinds import Kind
from mtss.notifications.models import Notification

pytestmark = pytest.mark.django_db

DUE = date(2026, 11, 20)


@pytest.fixture
def item(side_a) -> ActionItem:
    return services.action_item_create(
        district=side_a.district,
        title="Send the screening letters",
        details="To every family in grade 3",
        owner=side_a.member,
        due_date=DUE,
        member=side_a.membership(side_a.coordinator),
    )


def _page(item: ActionItem) -> str:
    return reverse("action_item_detail", args=[item.pk])


def _edit(item: ActionItem) -> str:
    return reverse("action_item_edit", args=[item.pk])


def _history(item: ActionItem) -> list[tuple[str, str, str]]:
    return list(item.changes.order_by("id").values_list("field", "old_value", "new_value"))


def test_coordinator_changes_every_field_and_the_history_keeps_each_from_and_to(side_a, coordinator_a, item):
    response = coordinator_a.post(
        _edit(item),
        {
            "title": "Send the screening letters home",
            "details": "In English and Spanish",
            "owner": side_a.leader.pk,
            "due_date": "2026-12-04",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == _page(item)
    item.refresh_from_db()
    assert (item.title, item.details, item.owner, item.due_date) == (
        "Send the screening letters home",
        "In English and Spanish",
        side_a.leader,
        date(2026, 12, 4),
    )
    assert _history(item) == [
        ("title", "Send the screening letters", "Send the screening letters home"),
        ("details", "To every family in grade 3", "In English and Spanish"),
        ("owner", "DIT Member A", "Executive Leader A"),
        ("due_date", "Nov 20, 2026", "Dec 4, 2026"),
    ]
    event = AuditEvent.objects.get(action="change action item")
    assert event.actor == side_a.coordinator
    assert event.detail == {"fields": ["title", "details", "owner", "due_date"]}
    page = coordinator_a.get(_page(item)).text
    assert "<td>Owner</td><td>DIT Member A</td><td>Executive Leader A</td>" in page
    assert "<td>Due date</td><td>Nov 20, 2026</td><td>Dec 4, 2026</td>" in page


def test_history_shows_when_in_the_districts_time(side_a, coordinator_a, item):
    side_a.district.time_zone = "America/Los_Angeles"
    side_a.district.save()
    coordinator_a.post(
        _edit(item),
        {"title": item.title, "details": item.details, "owner": side_a.member.pk, "due_date": "2026-12-01"},
    )
    change = item.changes.get()
    local = timezone.localtime(change.changed_at, side_a.district.tz)
    shown = dateformat.format(local, "M j, Y, g:i A")
    assert shown != dateformat.format(change.changed_at, "M j, Y, g:i A")
    page = coordinator_a.get(_page(item)).text
    assert f'<td class="text-nowrap">{shown}</td><td>District Coordinator A</td><td>Due date</td>' in page


def test_owner_may_move_the_due_date_and_nothing_else(side_a, member_a, item):
    page = member_a.get(_page(item)).text
    assert "Change the due date" in page
    assert 'name="title"' not in page
    assert 'name="owner"' not in page
    response = member_a.post(
        _edit(item), {"due_date": "2026-12-11", "title": "Something else", "owner": side_a.member.pk}
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert (item.title, item.owner, item.due_date) == (
        "Send the screening letters",
        side_a.member,
        date(2026, 12, 11),
    )
    assert _history(item) == [("due_date", "Nov 20, 2026", "Dec 11, 2026")]


def test_owner_changing_another_field_through_the_service_is_refused_and_audited(side_a, item):
    member = side_a.membership(side_a.member)
    with pytest.raises(PermissionDenied):
        action_items.action_item_update(member=member, item=item, changes={"title": "Renamed"})
    item.refresh_from_db()
    assert item.title == "Send the screening letters"
    assert not item.changes.exists()
    refusal = AuditEvent.objects.get(action="change action item")
    assert refusal.outcome == AuditEvent.Outcome.DENIED
    assert refusal.actor == side_a.member


def test_leader_reads_the_item_but_may_not_change_or_comment(side_a, leader_a, item):
    page = leader_a.get(_page(item))
    assert page.status_code == 200
    assert "Send the screening letters" in page.text
    assert "Save changes" not in page.text
    assert "Add comment" not in page.text
    assert leader_a.post(_edit(item), {"due_date": "2026-12-11"}).status_code == 403
    assert leader_a.post(reverse("action_item_comment", args=[item.pk]), {"body": "Hi"}).status_code == 403
    item.refresh_from_db()
    assert item.due_date == DUE
    assert not item.comments.exists()
    assert (
        AuditEvent.objects.filter(action="change actionitem", outcome=AuditEvent.Outcome.DENIED).count() == 2
    )


def test_a_repeated_edit_writes_one_history_and_tells_each_person_once(side_a, coordinator_a, item):
    data = {"title": item.title, "details": item.details, "owner": side_a.leader.pk, "due_date": "2026-12-04"}
    coordinator_a.post(_edit(item), data)
    second = coordinator_a.post(_edit(item), data, follow=True)
    assert "Nothing to change: it already says that." in second.text
    assert item.changes.count() == 2
    assert AuditEvent.objects.filter(action="change action item").count() == 1
    notes = Notification.objects.filter(key__startswith=f"action-item:{item.pk}:change:")
    assert sorted((n.recipient.email, n.subject) for n in notes) == [
        ("leader.a@example.org", "Action item assigned to you: Send the screening letters"),
        ("member.a@example.org", "Action item handed to Executive Leader A: Send the screening letters"),
    ]
    assert {n.kind for n in notes} == {Kind.ASSIGNED}
    assert {n.url for n in notes} == {_page(item)}
    handed = notes.get(recipient=side_a.member)
    assert "Owner: DIT Member A → Executive Leader A." in handed.body
    assert "Due date: Nov 20, 2026 → Dec 4, 2026." in handed.body


def test_owner_moving_the_date_tells_the_coordinator_and_not_themselves(side_a, member_a, item):
    member_a.post(_edit(item), {"due_date": "2026-12-11"})
    notes = list(Notification.objects.filter(key__startswith=f"action-item:{item.pk}:change:"))
    assert [(n.recipient, n.subject) for n in notes] == [
        (side_a.coordinator, "New due date, Dec 11, 2026: Send the screening letters")
    ]
    assert notes[0].body == "DIT Member A changed it. Due date: Nov 20, 2026 → Dec 11, 2026."


def test_coordinator_moving_the_date_tells_the_owner(side_a, coordinator_a, item):
    data = {"title": item.title, "details": item.details, "owner": side_a.member.pk, "due_date": "2026-12-02"}
    coordinator_a.post(_edit(item), data)
    notes = list(Notification.objects.filter(key__startswith=f"action-item:{item.pk}:change:"))
    assert [(n.recipient, n.subject) for n in notes] == [
        (side_a.member, "New due date, Dec 2, 2026: Send the screening letters")
    ]


def test_moving_the_date_settles_the_due_and_overdue_notices_about_the_old_date(side_a, member_a, item):
    overdue = Notification.objects.create(
        district=side_a.district,
        recipient=side_a.member,
        kind=Kind.OVERDUE,
        subject="Overdue by 3 days: Send the screening letters",
        key=f"action-item:{item.pk}:overdue",
        due_at=timezone.now(),
    )
    member_a.post(_edit(item), {"due_date": "2026-12-11"})
    overdue.refresh_from_db()
    assert overdue.read_at is not None
    told = Notification.objects.get(key__startswith=f"action-item:{item.pk}:change:")
    assert told.read_at is None
    assert told.email_state == Notification.EmailState.PENDING


def test_a_description_change_tells_nobody(side_a, coordinator_a, item):
    coordinator_a.post(
        _edit(item),
        {"title": item.title, "details": "New words", "owner": side_a.member.pk, "due_date": "2026-11-20"},
    )
    assert _history(item) == [("details", "To every family in grade 3", "New words")]
    assert not Notification.objects.filter(key__startswith=f"action-item:{item.pk}:").exists()


def test_bad_input_keeps_what_was_typed_and_says_why(side_a, coordinator_a, item):
    response = coordinator_a.post(
        _edit(item),
        {"title": "", "details": "Keep these words", "owner": side_a.member.pk, "due_date": "soon"},
    )
    assert response.status_code == 422
    assert "Keep these words" in response.text
    assert "Enter a valid date." in response.text
    assert "This field is required." in response.text
    item.refresh_from_db()
    assert item.title == "Send the screening letters"
    assert not item.changes.exists()


def test_an_owner_from_another_district_is_refused(side_a, side_b, coordinator_a, item):
    response = coordinator_a.post(
        _edit(item), {"title": item.title, "owner": side_b.member.pk, "due_date": "2026-11-20"}
    )
    assert response.status_code == 422
    assert "Select a valid choice." in response.text
    item.refresh_from_db()
    assert item.owner == side_a.member


def test_mark_done_can_be_undone_and_both_are_in_the_history(side_a, member_a, item):
    status = reverse("action_item_status", args=[item.pk])
    member_a.post(status, {"status": "done", "next": _page(item)})
    member_a.post(status, {"status": "done", "next": _page(item)})
    item.refresh_from_db()
    assert item.status == ActionItem.Status.DONE
    assert item.completed_at is not None
    page = member_a.get(_page(item)).text
    assert "Undo Mark done" in page
    response = member_a.post(status, {"status": "open", "next": _page(item)}, follow=True)
    assert "“Send the screening letters” is open again." in response.text
    item.refresh_from_db()
    assert (item.status, item.completed_at) == (ActionItem.Status.OPEN, None)
    assert _history(item) == [("status", "Open", "Done"), ("status", "Done", "Open")]
    assert list(
        AuditEvent.objects.filter(action__startswith="action item")
        .order_by("id")
        .values_list("action", flat=True)
    ) == ["action item done", "action item open"]


def test_a_cancelled_item_no_longer_changes(side_a, coordinator_a, item):
    ActionItem.objects.filter(pk=item.pk).update(status=ActionItem.Status.CANCELLED)
    page = coordinator_a.get(_page(item)).text
    assert "it no longer changes" in page
    assert "Save changes" not in page
    response = coordinator_a.post(
        _edit(item), {"title": "x", "owner": side_a.member.pk, "due_date": "2026-12-01"}, follow=True
    )
    assert "it no longer changes" in response.text
    response = coordinator_a.post(
        reverse("action_item_status", args=[item.pk]), {"status": "open"}, follow=True
    )
    assert "it no longer changes" in response.text
    item.refresh_from_db()
    assert (item.status, item.title) == (ActionItem.Status.CANCELLED, "Send the screening letters")
    assert not item.changes.exists()


def test_owner_and_coordinator_keep_a_short_thread(side_a, member_a, coordinator_a, item):
    comment = reverse("action_item_comment", args=[item.pk])
    member_a.post(comment, {"body": "The printer is down; I need one more week."})
    member_a.post(comment, {"body": "The printer is down; I need one more week."})
    coordinator_a.post(comment, {"body": "Fine, take until the 4th."})
    assert list(item.comments.order_by("id").values_list("author__email", "body")) == [
        ("member.a@example.org", "The printer is down; I need one more week."),
        ("coordinator.a@example.org", "Fine, take until the 4th."),
    ]
    assert AuditEvent.objects.filter(action="comment on action item").count() == 2
    page = coordinator_a.get(_page(item)).text
    assert page.index("The printer is down") < page.index("Fine, take until the 4th.")


def test_an_empty_or_overlong_comment_is_refused_with_a_reason(member_a, item):
    comment = reverse("action_item_comment", args=[item.pk])
    empty = member_a.post(comment, {"body": "   "})
    assert empty.status_code == 422
    assert "Write a comment before posting it." in empty.text
    long = member_a.post(comment, {"body": "x" * (action_items.COMMENT_MAX_CHARS + 1)})
    assert long.status_code == 422
    assert "Ensure this value has at most 2000 characters" in long.text
    assert not ActionItemComment.objects.exists()


def test_district_b_gets_404_audited_and_nothing_changes(side_a, coordinator_b, item):
    assert coordinator_b.get(_page(item)).status_code == 404
    edit = coordinator_b.post(
        _edit(item), {"title": "Mine now", "owner": side_a.member.pk, "due_date": "2026-12-01"}
    )
    assert edit.status_code == 404
    said = coordinator_b.post(reverse("action_item_comment", args=[item.pk]), {"body": "Hello"})
    assert said.status_code == 404
    done = coordinator_b.post(reverse("action_item_status", args=[item.pk]), {"status": "done"})
    assert done.status_code == 404
    item.refresh_from_db()
    assert (item.title, item.status) == ("Send the screening letters", ActionItem.Status.OPEN)
    assert not item.comments.exists()
    assert not item.changes.exists()
    refusals = AuditEvent.objects.filter(action="view actionitem", outcome=AuditEvent.Outcome.DENIED)
    assert refusals.count() == 4
    assert {r.detail["status"] for r in refusals} == {404}


def test_site_admin_sees_their_own_items_only(side_a, site_admin_a, item):
    own = services.action_item_create(
        district=side_a.district,
        title="Walk the Tier 2 rooms",
        owner=side_a.site_admin,
        due_date=DUE,
        member=side_a.membership(side_a.coordinator),
    )
    assert site_admin_a.get(_page(item)).status_code == 404
    page = site_admin_a.get(_page(own))
    assert page.status_code == 200
    assert "Walk the Tier 2 rooms" in page.text
    assert "Change the due date" in page.text


def test_coordinator_lists_everyones_open_items(side_a, coordinator_a, member_a, item):
    page = coordinator_a.get(reverse("action_item_list") + "?show=district").text
    assert "Everyone's open items" in page
    assert f'<a href="{_page(item)}">Send the screening letters</a>' in page
    assert '<td class="d-none d-md-table-cell">DIT Member A</td>' in page
    # Not a choice for anyone else: they see their own open items.
    other = member_a.get(reverse("action_item_list") + "?show=district").text
    assert "Everyone's open items" not in other
    assert f'<a href="{_page(item)}">Send the screening letters</a>' in other


def _comment_and_change(side_a, item: ActionItem, n: int) -> None:
    for i in range(n):
        ActionItemComment.objects.create(item=item, author=side_a.member, body=f"Note {i}")
        ActionItemChange.objects.create(
            item=item,
            changed_by=side_a.coordinator,
            field="due_date",
            old_value=f"Old {i}",
            new_value=f"New {i}",
        )


@pytest.mark.parametrize("rows", [2, 20])
def test_the_item_page_costs_the_same_queries_however_long_its_thread(
    side_a, coordinator_a, item, rows, django_assert_num_queries
):
    _comment_and_change(side_a, item, rows)
    coordinator_a.get(_page(item))  # warm the session and per-person caches
    with django_assert_num_queries(7):
        response = coordinator_a.get(_page(item))
    assert response.status_code == 200
    assert response.text.count('<li class="border-start border-3 ps-3 mb-3">') == rows
    assert f"New {rows - 1}" in response.text
    assert "DIT Member A" in response.text


def test_detail_links_from_my_list(member_a, item):
    page = member_a.get(reverse("action_item_list")).text
    assert f'<a href="{_page(item)}">Send the screening letters</a>' in page


def _review_item(side_a, school, title: str) -> ActionItem:
    review = review_services.review_create(
        school=school,
        title=f"{school.name} winter review",
        held_on=date(2026, 11, 2),
        facilitator=side_a.coordinator,
        member=side_a.membership(side_a.coordinator),
    )
    problem = review_services.problem_create(
        review=review, what="Reading below benchmark", who="Grade 3", how_often="Weekly", goal="Up 10%"
    )
    action = review_services.action_create(
        review=review,
        problem=problem,
        description=title,
        owner=side_a.member,
        due_date=DUE,
        member=side_a.membership(side_a.coordinator),
    )
    return action.action_item


def test_site_admin_reads_their_schools_review_items_but_changes_only_their_own(side_a, site_admin_a):
    ours = _review_item(side_a, side_a.school, "Regroup Tier 2 at Lakeside")
    theirs = _review_item(side_a, side_a.other_school, "Staffing plan at Hilltop")
    page = site_admin_a.get(_page(ours))
    assert page.status_code == 200
    assert "Regroup Tier 2 at Lakeside" in page.text
    assert "Save changes" not in page.text
    assert "Add comment" not in page.text
    assert site_admin_a.post(_edit(ours), {"due_date": "2026-12-11"}).status_code == 403
    assert site_admin_a.get(_page(theirs)).status_code == 404
    ours.refresh_from_db()
    assert ours.due_date == DUE


@pytest.mark.parametrize("count", [5, 50])
def test_everyones_open_items_cost_the_same_queries_for_5_and_50(
    side_a, coordinator_a, count, django_assert_num_queries
):
    for n in range(count):
        services.action_item_create(
            district=side_a.district,
            title=f"Item {n}",
            owner=side_a.member,
            due_date=DUE,
            member=side_a.membership(side_a.coordinator),
        )
    url = reverse("action_item_list") + "?show=district"
    coordinator_a.get(url)
    with django_assert_num_queries(4):
        response = coordinator_a.get(url)
    assert response.status_code == 200
    assert response.text.count('<td class="d-none d-md-table-cell">DIT Member A</td>') == count
    assert f"Item {count - 1}" in response.text
