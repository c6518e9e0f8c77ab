"""Capacity assessments: DCA administrations, scores, percentages, the trend, closing the loop, TFI."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from implementation_plans.models import AssessmentItem, CapacityAssessment, PlanActivity
from tests.implementation_plans.plan_factories import AssessmentItemFactory, CapacityAssessmentFactory


def test_coordinator_records_administration_and_items_carry_over(side_a, coordinator_a):
    first = CapacityAssessmentFactory(district=side_a.district, window="baseline")
    AssessmentItemFactory(
        assessment=first, number=1, wording="Leaders attend DIT meetings", subscale="Commitment"
    )
    response = coordinator_a.post(
        reverse("capacity_create"),
        {"instrument": "dca", "administered_on": "2026-10-05", "window": "fall", "participants": "DIT"},
    )
    new = CapacityAssessment.objects.exclude(pk=first.pk).get()
    assert response.url == reverse("capacity_detail", args=[new.pk])
    assert list(new.items.values_list("wording", "score")) == [("Leaders attend DIT meetings", None)]


def test_tfi_needs_a_school(side_a, coordinator_a):
    response = coordinator_a.post(
        reverse("capacity_create"), {"instrument": "tfi", "administered_on": "2026-10-05", "window": "fall"}
    )
    assert response.status_code == 200
    assert "Choose the school" in response.content.decode()
    assert not CapacityAssessment.objects.exists()


def test_scores_give_total_and_subscale_percentages(side_a, coordinator_a):
    assessment = CapacityAssessmentFactory(district=side_a.district)
    a = AssessmentItemFactory(assessment=assessment, subscale="Commitment", score=None)
    b = AssessmentItemFactory(assessment=assessment, subscale="Commitment", score=None)
    c = AssessmentItemFactory(assessment=assessment, subscale="Systems Alignment", score=None)
    response = coordinator_a.post(
        reverse("capacity_detail", args=[assessment.pk]),
        {f"score-{a.pk}": "2", f"score-{b.pk}": "1", f"score-{c.pk}": "0", f"notes-{c.pk}": "No budget yet"},
    )
    assert response.status_code == 302
    assert AssessmentItem.objects.get(pk=c.pk).notes == "No budget yet"
    page = coordinator_a.get(reverse("capacity_detail", args=[assessment.pk]))
    assert page.context["total"] == 50  # 3 of 6 points
    by_name = {s.name: s.percent for s in page.context["subscales"]}
    assert by_name == {"Commitment": 75, "Systems Alignment": 0}


def test_bad_score_is_refused_and_nothing_saved(side_a, coordinator_a):
    item = AssessmentItemFactory(assessment__district=side_a.district, score=1)
    response = coordinator_a.post(
        reverse("capacity_detail", args=[item.assessment_id]), {f"score-{item.pk}": "7"}
    )
    assert response.status_code == 200
    item.refresh_from_db()
    assert item.score == 1


def test_low_item_becomes_a_plan_activity_in_one_click(side_a, coordinator_a):
    item = AssessmentItemFactory(
        assessment__district=side_a.district, score=0, wording="Coaching plan exists"
    )
    response = coordinator_a.post(reverse("capacity_item_activity", args=[item.pk]))
    activity = PlanActivity.objects.get()
    assert response.url == reverse("plan_activity_edit", args=[activity.pk])
    assert activity.capacity_item == item
    assert activity.district == side_a.district
    assert "Coaching plan exists" in activity.title
    coordinator_a.post(reverse("capacity_item_activity", args=[item.pk]))
    assert PlanActivity.objects.count() == 1
    page = coordinator_a.get(reverse("capacity_detail", args=[item.assessment_id])).content.decode()
    assert reverse("plan_activity_detail", args=[activity.pk]) in page


def test_item_scored_2_does_not_become_an_activity(side_a, coordinator_a):
    item = AssessmentItemFactory(assessment__district=side_a.district, score=2)
    coordinator_a.post(reverse("capacity_item_activity", args=[item.pk]))
    assert not PlanActivity.objects.exists()


def test_outsider_gets_404_and_nothing_changes(side_a, coordinator_b):
    item = AssessmentItemFactory(assessment__district=side_a.district, score=0)
    assert coordinator_b.get(reverse("capacity_detail", args=[item.assessment_id])).status_code == 404
    response = coordinator_b.post(
        reverse("capacity_detail", args=[item.assessment_id]), {f"score-{item.pk}": "2"}
    )
    assert response.status_code == 404
    assert coordinator_b.post(reverse("capacity_item_activity", args=[item.pk])).status_code == 404
    post = coordinator_b.post(
        reverse("capacity_item_add", args=[item.assessment_id]), {"wording": "x", "subscale": "y"}
    )
    assert post.status_code == 404
    item.refresh_from_db()
    assert item.score == 0
    assert not PlanActivity.objects.exists()
    assert AssessmentItem.objects.count() == 1


def test_leader_and_member_read_but_cannot_score(side_a, leader_a, member_a):
    item = AssessmentItemFactory(assessment__district=side_a.district, score=0)
    for client in (leader_a, member_a):
        assert client.get(reverse("capacity_detail", args=[item.assessment_id])).status_code == 200
        response = client.post(
            reverse("capacity_detail", args=[item.assessment_id]), {f"score-{item.pk}": "2"}
        )
        assert response.status_code == 403
    item.refresh_from_db()
    assert item.score == 0


def test_site_admin_sees_own_school_tfi_only(side_a, site_admin_a):
    own = CapacityAssessmentFactory(district=side_a.district, instrument="tfi", school=side_a.school)
    other = CapacityAssessmentFactory(district=side_a.district, instrument="tfi", school=side_a.other_school)
    dca = CapacityAssessmentFactory(district=side_a.district)
    AssessmentItemFactory(assessment=own, subscale="Tier 1", score=1)
    assert site_admin_a.get(reverse("capacity_detail", args=[own.pk])).status_code == 200
    assert site_admin_a.get(reverse("capacity_detail", args=[other.pk])).status_code == 404
    assert site_admin_a.get(reverse("capacity_detail", args=[dca.pk])).status_code == 404
    page = site_admin_a.get(reverse("capacity_list"))
    assert [a.pk for a in page.context["tfi"]] == [own.pk]
    assert page.context["dca"] == []
    assert "criterion 70%" in page.content.decode()
    response = site_admin_a.post(reverse("capacity_detail", args=[own.pk]), {})
    assert response.status_code == 403


def test_tfi_target_is_70_and_dca_80(side_a):
    assert CapacityAssessmentFactory(district=side_a.district).target == 80
    tfi = CapacityAssessmentFactory(district=side_a.district, instrument="tfi", school=side_a.school)
    assert tfi.target == 70


def _queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries), response


def test_capacity_list_query_count_is_pinned_and_trend_is_oldest_first(side_a, coordinator_a):
    for n in range(5):
        assessment = CapacityAssessmentFactory(
            district=side_a.district, administered_on=f"202{n}-10-01", window="fall"
        )
        AssessmentItemFactory.create_batch(3, assessment=assessment, score=n % 3)
    few, response = _queries(coordinator_a, reverse("capacity_list"))
    assert few == 4
    trend = response.context["trend"]
    assert [p["date"] for p in trend] == sorted(p["date"] for p in trend)
    assert trend[1]["percent"] == 50
    assert trend[0]["target"] == 80
    for _ in range(45):
        CapacityAssessmentFactory(district=side_a.district, instrument="tfi", school=side_a.school)
    assert _queries(coordinator_a, reverse("capacity_list"))[0] == few


@pytest.mark.parametrize("rows", [5, 50])
def test_capacity_detail_query_count_does_not_grow(side_a, coordinator_a, django_assert_num_queries, rows):
    assessment = CapacityAssessmentFactory(district=side_a.district)
    items = AssessmentItemFactory.create_batch(rows, assessment=assessment, score=1)
    with django_assert_num_queries(6):
        response = coordinator_a.get(reverse("capacity_detail", args=[assessment.pk]))
    assert response.status_code == 200
    body = response.content.decode()
    for item in items:
        assert f'<th scope="row" class="fw-normal">{item.wording}</th>' in body
    assert body.count('<option value="1" selected>') == rows
