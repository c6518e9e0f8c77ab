"""Notices resolve themselves when the thing they ask about is settled.

An approval request stops counting once the draft is approved or returned, a role confirmation once
the invitation is confirmed or refused, and an action item's due and overdue notices once it is
done: the bell counts what still needs the person, whoever settled it.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from coordinators import services as people
from coordinators.models import Invitation, Role
from implementation_plans.processes import services as processes
from meetings.models import ActionItem
from meetings.services import action_item_create, action_item_set_status
from mtss.notifications.kinds import Kind
from mtss.notifications.models import Notification
from mtss.notifications.selectors import unread_count
from mtss.notifications.services import notifications_resolve
from tests.factories import MembershipFactory, UserFactory
from tests.implementation_plans.process_factories import submitted
from tests.notifications.factories import NotificationFactory

pytestmark = pytest.mark.django_db
State = Notification.EmailState


def _unread(user, **filters) -> list[Notification]:
    return list(Notification.objects.filter(recipient=user, read_at__isnull=True, **filters))


def _waiting_reminder(district, user, version, rounds: int = 1) -> Notification:
    return NotificationFactory(
        district=district,
        recipient=user,
        kind=Kind.APPROVAL_REMINDER,
        subject=f"Approval waiting {3 * rounds} days: Coaching System",
        key=f"process-version:{version.pk}:waiting-{rounds}",
    )


def test_resolve_marks_only_that_things_unread_notices_in_that_district(side_a, side_b):
    mine = NotificationFactory(district=side_a.district, recipient=side_a.leader, key="action-item:7:due-1")
    overdue = NotificationFactory(
        district=side_a.district, recipient=side_a.coordinator, key="action-item:7:overdue"
    )
    other_item = NotificationFactory(
        district=side_a.district, recipient=side_a.leader, key="action-item:70:due-1"
    )
    other_district = NotificationFactory(
        district=side_b.district, recipient=side_b.leader, key="action-item:7:due-1"
    )
    earlier = timezone.now() - timedelta(days=2)
    already_read = NotificationFactory(
        district=side_a.district, recipient=side_a.member, key="action-item:7:due-7", read_at=earlier
    )

    assert notifications_resolve(key_prefix="action-item:7:", district=side_a.district) == 2
    # Safe to repeat: nothing is left to resolve.
    assert notifications_resolve(key_prefix="action-item:7:", district=side_a.district) == 0

    for row in (mine, overdue, other_item, other_district, already_read):
        row.refresh_from_db()
    assert mine.read_at is not None
    assert overdue.read_at is not None
    assert other_item.read_at is None
    assert other_district.read_at is None
    assert already_read.read_at == earlier


def test_resolve_keeps_unsent_emails_about_a_settled_thing_from_going_out(side_a):
    waiting = NotificationFactory(
        district=side_a.district, recipient=side_a.leader, key="invitation:3:confirm"
    )
    digest = NotificationFactory(
        district=side_a.district,
        recipient=side_a.coordinator,
        key="invitation:3:reminder",
        email_state=State.IN_DIGEST,
    )
    sent = NotificationFactory(
        district=side_a.district, recipient=side_a.member, key="invitation:3:old", email_state=State.SENT
    )

    notifications_resolve(key_prefix="invitation:3:", district=side_a.district)

    for row in (waiting, digest, sent):
        row.refresh_from_db()
    assert waiting.email_state == State.NOT_EMAILED
    assert digest.email_state == State.NOT_EMAILED
    assert sent.email_state == State.SENT


def test_resolve_can_be_limited_to_some_kinds(side_a):
    request = NotificationFactory(
        district=side_a.district,
        recipient=side_a.leader,
        kind=Kind.APPROVAL_REQUEST,
        key="process-version:5:submitted",
    )
    decision = NotificationFactory(
        district=side_a.district,
        recipient=side_a.coordinator,
        kind=Kind.APPROVAL_DECISION,
        key="process-version:5:decided",
    )

    notifications_resolve(
        key_prefix="process-version:5:", district=side_a.district, kinds=[Kind.APPROVAL_REQUEST]
    )

    request.refresh_from_db()
    decision.refresh_from_db()
    assert request.read_at is not None
    assert decision.read_at is None


@pytest.mark.parametrize("decision", ["approve", "return"])
def test_deciding_a_draft_clears_every_leaders_approval_notices_but_not_the_authors_news(side_a, decision):
    second_leader = UserFactory(email="second.leader@example.org", full_name="Second Leader")
    MembershipFactory(user=second_leader, district=side_a.district, role=Role.LEADER)
    author = side_a.membership(side_a.coordinator)
    version = submitted(author)
    for leader in (side_a.leader, second_leader):
        _waiting_reminder(side_a.district, leader, version)
    other_version = submitted(author, slug="initiative-review")
    assert unread_count(side_a.membership(second_leader)) == 3

    lead = side_a.membership(side_a.leader)
    if decision == "approve":
        processes.version_approve(member=lead, version=version)
    else:
        processes.version_request_changes(member=lead, version=version, comment="Name the coaches.")

    for leader in (side_a.leader, second_leader):
        left = _unread(leader)
        assert [n.key for n in left] == [f"process-version:{other_version.pk}:submitted"]
    assert unread_count(side_a.membership(second_leader)) == 1
    news = _unread(side_a.coordinator, kind=Kind.APPROVAL_DECISION)
    assert [n.key for n in news] == [f"process-version:{version.pk}:decided"]


def test_the_bell_counts_only_what_still_needs_the_leader(side_a, leader_a):
    second_leader = UserFactory(email="second.leader@example.org", full_name="Second Leader")
    MembershipFactory(user=second_leader, district=side_a.district, role=Role.LEADER)
    version = submitted(side_a.membership(side_a.coordinator))
    assert 'data-unread="1"' in leader_a.get(reverse("notification_bell")).text
    processes.version_approve(member=side_a.membership(second_leader), version=version)
    assert "data-unread" not in leader_a.get(reverse("notification_bell")).text
    assert unread_count(side_a.membership(side_a.leader)) == 0


@pytest.mark.parametrize("settle", ["confirm", "refuse"])
def test_settling_a_role_invitation_clears_the_confirmation_notice(side_a, settle):
    invitation = people.person_invite(
        member=side_a.membership(side_a.coordinator),
        email="boss@example.org",
        full_name="Pat Boss",
        role=Role.COORDINATOR,
    )
    assert invitation.status == Invitation.Status.AWAITING_CONFIRMATION
    assert len(_unread(side_a.leader, kind=Kind.ROLE_CONFIRMATION)) == 1

    if settle == "confirm":
        people.invitation_confirm(invitation=invitation, member=side_a.membership(side_a.leader))
        people.invitation_confirm(invitation=invitation, member=side_a.membership(side_a.leader))
    else:
        people.invitation_refuse(invitation=invitation, member=side_a.membership(side_a.leader))
        people.invitation_refuse(invitation=invitation, member=side_a.membership(side_a.leader))

    assert _unread(side_a.leader, kind=Kind.ROLE_CONFIRMATION) == []
    if settle == "confirm":
        # The person's own invitation is news for them, not something settled.
        assert len(_unread(invitation.person, kind=Kind.INVITATION)) == 1


def test_finishing_an_action_item_clears_its_due_and_overdue_notices(side_a):
    item = action_item_create(
        district=side_a.district,
        title="Send the fall screening schedule",
        owner=side_a.member,
        due_date=timezone.localdate() - timedelta(days=3),
        member=side_a.membership(side_a.coordinator),
    )
    other = action_item_create(
        district=side_a.district,
        title="Book the library",
        owner=side_a.member,
        due_date=timezone.localdate() - timedelta(days=3),
        member=side_a.membership(side_a.coordinator),
    )
    for person in (side_a.member, side_a.coordinator):
        for it in (item, other):
            NotificationFactory(
                district=side_a.district,
                recipient=person,
                kind=Kind.OVERDUE,
                key=f"action-item:{it.pk}:overdue",
            )
    NotificationFactory(
        district=side_a.district,
        recipient=side_a.member,
        kind=Kind.DUE_SOON,
        key=f"action-item:{item.pk}:due-1",
    )

    action_item_set_status(item=item, status=ActionItem.Status.DONE, member=side_a.membership(side_a.member))
    action_item_set_status(item=item, status=ActionItem.Status.DONE, member=side_a.membership(side_a.member))

    for person in (side_a.member, side_a.coordinator):
        assert [n.key for n in _unread(person)] == [f"action-item:{other.pk}:overdue"]
