"""Initiative inventory: Hexagon ratings, decisions, the alignment view with overlaps flagged."""

from __future__ import annotations

import pytest
from django.urls import reverse

from implementation_plans.models import Initiative
from implementation_plans.plan.selectors import overlaps
from tests.implementation_plans.plan_factories import InitiativeFactory, PlanGoalFactory


def test_coordinator_records_hexagon_ratings_and_decision(side_a, coordinator_a):
    goal = PlanGoalFactory(district=side_a.district)
    data = {"name": "Second Step", "outcome_measure": "SEL screener", "target_group": "K-5", "goal": goal.pk,
            "need": "4", "fit": "5", "resources": "3", "evidence": "4", "readiness": "2", "capacity": "3",
            "decision": "keep", "decided_on": "2026-10-01", "rationale": "Strong fit"}  # fmt: skip
    response = coordinator_a.post(reverse("initiative_create"), data)
    initiative = Initiative.objects.get()
    assert response.url == reverse("initiative_detail", args=[initiative.pk])
    assert (initiative.need, initiative.fit, initiative.readiness) == (4, 5, 2)
    assert initiative.decision == "keep"
    assert initiative.district == side_a.district


def test_decision_needs_a_date(side_a, coordinator_a):
    response = coordinator_a.post(reverse("initiative_create"), {"name": "X", "decision": "drop"})
    assert response.status_code == 200
    assert not Initiative.objects.exists()


def test_rating_outside_1_to_5_is_refused(side_a, coordinator_a):
    response = coordinator_a.post(reverse("initiative_create"), {"name": "X", "need": "9"})
    assert response.status_code == 200
    assert not Initiative.objects.exists()


def test_overlap_same_outcome_and_target_group(side_a):
    a = InitiativeFactory(district=side_a.district, outcome_measure="ODR rate", target_group="Grades 6-8")
    b = InitiativeFactory(district=side_a.district, outcome_measure="odr  rate", target_group="grades 6-8")
    c = InitiativeFactory(district=side_a.district, outcome_measure="ODR rate", target_group="Grades 9-12")
    found = overlaps([a, b, c])
    assert [(o.pk, reason) for o, reason in found[a.pk]] == [(b.pk, "Same outcome measure and target group")]
    assert c.pk not in found


def test_overlap_most_staff_shared_and_dropped_ones_ignored(side_a):
    a = InitiativeFactory(district=side_a.district, staff_involved="Coach Reyes, Ms. Lin, Mr. Ode")
    b = InitiativeFactory(district=side_a.district, staff_involved="coach reyes, ms. lin")
    c = InitiativeFactory(district=side_a.district, staff_involved="Coach Reyes, Ms. Lin", decision="drop")
    found = overlaps([a, b, c])
    assert [o.pk for o, _ in found[a.pk]] == [b.pk]
    assert found[a.pk][0][1] == "Most staff shared"


def test_alignment_view_flags_overlap(side_a, member_a):
    InitiativeFactory(district=side_a.district, name="PBIS", outcome_measure="ODRs", target_group="All")
    InitiativeFactory(
        district=side_a.district, name="Restorative circles", outcome_measure="ODRs", target_group="All"
    )
    page = member_a.get(reverse("initiative_alignment")).content.decode()
    assert "Restorative circles" in page
    assert "Same outcome measure and target group with PBIS" in page


def test_member_and_leader_read_but_cannot_edit(side_a, member_a, leader_a):
    initiative = InitiativeFactory(district=side_a.district, name="Keep me")
    for client in (member_a, leader_a):
        assert client.get(reverse("initiative_detail", args=[initiative.pk])).status_code == 200
        assert client.post(reverse("initiative_edit", args=[initiative.pk]), {"name": "x"}).status_code == 403
    initiative.refresh_from_db()
    assert initiative.name == "Keep me"


def test_outsider_gets_404_and_nothing_changes(side_a, coordinator_b):
    initiative = InitiativeFactory(district=side_a.district, name="Keep me")
    assert coordinator_b.get(reverse("initiative_detail", args=[initiative.pk])).status_code == 404
    assert (
        coordinator_b.post(reverse("initiative_edit", args=[initiative.pk]), {"name": "x"}).status_code == 404
    )
    initiative.refresh_from_db()
    assert initiative.name == "Keep me"


def test_site_admin_has_no_initiative_pages(side_a, site_admin_a):
    assert site_admin_a.get(reverse("initiative_list")).status_code == 403


@pytest.mark.parametrize("name", ["initiative_list", "initiative_alignment"])
def test_initiative_lists_query_count_is_pinned(side_a, coordinator_a, django_assert_num_queries, name):
    goal = PlanGoalFactory(district=side_a.district)
    initiatives = InitiativeFactory.create_batch(5, district=side_a.district, goal=goal)
    for extra in (0, 45):
        initiatives += InitiativeFactory.create_batch(extra, district=side_a.district, goal=goal)
        with django_assert_num_queries(4):
            response = coordinator_a.get(reverse(name))
        assert response.status_code == 200
        body = response.content.decode()
        for initiative in initiatives:
            assert (
                f'href="{reverse("initiative_detail", args=[initiative.pk])}">{initiative.name}</a>' in body
            )
