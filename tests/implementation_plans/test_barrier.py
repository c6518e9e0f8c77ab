"""Barriers: the log, escalation to the executive leader, the leader's decision, communication protocol."""

from __future__ import annotations

import pytest
from django.urls import reverse

from implementation_plans.models import Barrier, CommunicationProtocol
from mtss.notifications.kinds import Kind
from mtss.notifications.models import Notification
from tests.implementation_plans.plan_factories import BarrierFactory


def test_member_logs_a_barrier(side_a, member_a):
    response = member_a.post(
        reverse("barrier_create"),
        {"raised_on": "2026-10-01", "description": "No sub coverage for coaching", "level": "school",
         "school": side_a.school.pk, "routed_to": "HR"},
    )  # fmt: skip
    barrier = Barrier.objects.get()
    assert response.url == reverse("barrier_detail", args=[barrier.pk])
    assert barrier.raised_by == side_a.member
    assert barrier.status == Barrier.Status.OPEN


def test_escalation_notifies_leaders_and_decision_notifies_coordinator_and_raiser(
    side_a, coordinator_a, leader_a
):
    barrier = BarrierFactory(district=side_a.district, raised_by=side_a.member)
    response = coordinator_a.post(reverse("barrier_escalate", args=[barrier.pk]), {"reason": "Needs budget"})
    assert response.status_code == 302
    barrier.refresh_from_db()
    assert barrier.status == Barrier.Status.ESCALATED
    assert barrier.escalation_reason == "Needs budget"
    assert list(Notification.objects.filter(kind=Kind.BARRIER).values_list("recipient", flat=True)) == [
        side_a.leader.pk
    ]
    page = leader_a.get(reverse("barrier_escalated")).content.decode()
    assert barrier.description[:50] in page
    home = leader_a.get(reverse("home")).content.decode()
    assert "Escalated barriers" in home
    assert barrier.description[:50] in home
    response = leader_a.post(
        reverse("barrier_decide", args=[barrier.pk]), {"decision": "Fund two roaming subs", "resolved": "on"}
    )
    assert response.status_code == 302
    barrier.refresh_from_db()
    assert barrier.status == Barrier.Status.RESOLVED
    assert barrier.decided_by == side_a.leader
    assert barrier.resolved_on is not None
    told = set(Notification.objects.filter(kind=Kind.BARRIER).values_list("recipient", flat=True))
    assert told == {side_a.leader.pk, side_a.coordinator.pk, side_a.member.pk}


def test_only_leaders_decide_and_only_escalated_barriers(side_a, coordinator_a, leader_a):
    barrier = BarrierFactory(district=side_a.district)
    assert leader_a.post(reverse("barrier_decide", args=[barrier.pk]), {"decision": "x"}).status_code == 403
    barrier.status = Barrier.Status.ESCALATED
    barrier.save()
    assert (
        coordinator_a.post(reverse("barrier_decide", args=[barrier.pk]), {"decision": "x"}).status_code == 403
    )
    barrier.refresh_from_db()
    assert barrier.decision == ""


def test_leader_cannot_escalate_or_edit(side_a, leader_a):
    barrier = BarrierFactory(district=side_a.district)
    assert leader_a.post(reverse("barrier_escalate", args=[barrier.pk]), {"reason": "x"}).status_code == 403
    assert leader_a.get(reverse("barrier_edit", args=[barrier.pk])).status_code == 403
    barrier.refresh_from_db()
    assert barrier.status == Barrier.Status.OPEN


@pytest.mark.parametrize("name", ["barrier_detail", "barrier_edit"])
def test_outsider_gets_404_on_barrier_pages(side_a, coordinator_b, name):
    barrier = BarrierFactory(district=side_a.district)
    assert coordinator_b.get(reverse(name, args=[barrier.pk])).status_code == 404


def test_outsider_cannot_escalate_or_decide(side_a, coordinator_b, leader_b):
    barrier = BarrierFactory(district=side_a.district)
    assert (
        coordinator_b.post(reverse("barrier_escalate", args=[barrier.pk]), {"reason": "x"}).status_code == 404
    )
    barrier.status = Barrier.Status.ESCALATED
    barrier.save()
    assert leader_b.post(reverse("barrier_decide", args=[barrier.pk]), {"decision": "x"}).status_code == 404
    barrier.refresh_from_db()
    assert barrier.decision == ""
    assert barrier.escalation_reason == ""
    assert not Notification.objects.exists()
    assert barrier.description not in leader_b.get(reverse("barrier_escalated")).content.decode()


def test_site_admin_has_no_barrier_pages(side_a, site_admin_a):
    barrier = BarrierFactory(district=side_a.district)
    assert site_admin_a.get(reverse("barrier_list")).status_code == 403
    assert site_admin_a.get(reverse("barrier_detail", args=[barrier.pk])).status_code == 403


def test_coordinator_adds_communication_protocol_entry(side_a, coordinator_a, member_a):
    response = coordinator_a.post(
        reverse("protocol_create"),
        {"group": "Principals", "designee": side_a.coordinator.pk, "information_shared": "DIT decisions",
         "format": "Memo", "timeframe": "Within a week"},
    )  # fmt: skip
    assert response.status_code == 302
    assert CommunicationProtocol.objects.get().district == side_a.district
    assert "DIT decisions" in member_a.get(reverse("barrier_list")).content.decode()
    assert member_a.post(reverse("protocol_create"), {"group": "x"}).status_code == 403


@pytest.mark.parametrize("name", ["barrier_list", "barrier_escalated"])
def test_barrier_lists_query_count_is_pinned(side_a, coordinator_a, django_assert_num_queries, name):
    barriers = []

    def make(count):
        for _ in range(count):
            barriers.append(
                BarrierFactory(
                    district=side_a.district,
                    raised_by=side_a.member,
                    school=side_a.school,
                    status=Barrier.Status.ESCALATED,
                    escalated_by=side_a.coordinator,
                )
            )

    expected = 5 if name == "barrier_list" else 4
    for count in (5, 45):
        make(count)
        with django_assert_num_queries(expected):
            response = coordinator_a.get(reverse(name))
        assert response.status_code == 200
        body = response.content.decode()
        for barrier in barriers:
            assert f'href="{reverse("barrier_detail", args=[barrier.pk])}">{barrier.description}</a>' in body
