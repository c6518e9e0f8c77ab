"""The practice library: everyone in the district reads and searches, coordinators edit."""

from __future__ import annotations

from django.urls import reverse

from implementation_plans.models import Practice
from tests.implementation_plans.plan_factories import PlanActivityFactory, PlanGoalFactory, PracticeFactory


def test_coordinator_adds_a_practice(side_a, coordinator_a):
    response = coordinator_a.post(
        reverse("practice_create"),
        {"name": "Check-In/Check-Out", "behaviour": "on", "tier2": "on", "grouping": "individual",
         "evidence_level": "strong", "description": "Daily check-in with a mentor.",
         "resources": "https://www.pbis.org"},
    )  # fmt: skip
    practice = Practice.objects.get()
    assert response.url == reverse("practice_detail", args=[practice.pk])
    assert practice.tiers == [2]
    assert practice.domains == ["Behavior"]
    assert practice.resource_links == ["https://www.pbis.org"]


def test_practice_needs_domain_tier_and_real_links(side_a, coordinator_a):
    response = coordinator_a.post(
        reverse("practice_create"),
        {"name": "X", "grouping": "individual", "evidence_level": "strong", "description": "d",
         "resources": "javascript:alert(1)"},
    )  # fmt: skip
    page = response.content.decode()
    assert "Tick at least one domain." in page
    assert "Tick at least one tier." in page
    assert "is not a link" in page
    assert not Practice.objects.exists()


def test_duplicate_name_is_explained(side_a, coordinator_a):
    PracticeFactory(district=side_a.district, name="Good Behavior Game")
    response = coordinator_a.post(
        reverse("practice_create"),
        {"name": "good behavior game", "behaviour": "on", "tier1": "on", "grouping": "whole_group",
         "evidence_level": "strong", "description": "d"},
    )  # fmt: skip
    assert "already has a practice with this name" in response.content.decode()
    assert Practice.objects.count() == 1


def test_search_and_filter(side_a, site_admin_a):
    PracticeFactory(district=side_a.district, name="Lexia", academic=True, behaviour=False, tier2=True)
    PracticeFactory(district=side_a.district, name="Good Behavior Game", tier1=True, tier2=False)
    PracticeFactory(district=side_a.district, name="Check & Connect", sel=True, grouping="individual")

    def names(**q):
        return [p.name for p in site_admin_a.get(reverse("practice_list"), q).context["practices"]]

    assert names(domain="academic") == ["Lexia"]
    assert names(tier="1") == ["Good Behavior Game"]
    assert names(text="connect") == ["Check & Connect"]
    assert names(grouping="individual") == ["Check & Connect"]


def test_everyone_reads_only_coordinators_edit(side_a, member_a, leader_a, site_admin_a):
    practice = PracticeFactory(district=side_a.district, name="Keep me")
    for client in (member_a, leader_a, site_admin_a):
        assert client.get(reverse("practice_detail", args=[practice.pk])).status_code == 200
        assert client.post(reverse("practice_edit", args=[practice.pk]), {"name": "x"}).status_code == 403
    practice.refresh_from_db()
    assert practice.name == "Keep me"


def test_practice_detail_lists_plan_activities_for_district_staff(side_a, coordinator_a, site_admin_a):
    practice = PracticeFactory(district=side_a.district)
    PlanActivityFactory(
        goal=PlanGoalFactory(district=side_a.district), practice=practice, title="Roll out CICO"
    )
    assert (
        "Roll out CICO" in coordinator_a.get(reverse("practice_detail", args=[practice.pk])).content.decode()
    )
    assert (
        "Roll out CICO"
        not in site_admin_a.get(reverse("practice_detail", args=[practice.pk])).content.decode()
    )


def test_outsider_gets_404_and_nothing_changes(side_a, coordinator_b):
    practice = PracticeFactory(district=side_a.district, name="Keep me")
    assert coordinator_b.get(reverse("practice_detail", args=[practice.pk])).status_code == 404
    assert coordinator_b.post(reverse("practice_edit", args=[practice.pk]), {"name": "x"}).status_code == 404
    assert "Keep me" not in coordinator_b.get(reverse("practice_list")).content.decode()
    practice.refresh_from_db()
    assert practice.name == "Keep me"


def test_practice_list_query_count_is_pinned(side_a, coordinator_a, django_assert_num_queries):
    practices = PracticeFactory.create_batch(5, district=side_a.district)
    for extra in (0, 45):
        practices += PracticeFactory.create_batch(extra, district=side_a.district)
        with django_assert_num_queries(4):
            response = coordinator_a.get(reverse("practice_list"))
        assert response.status_code == 200
        body = response.content.decode()
        for practice in practices:
            assert f'href="{reverse("practice_detail", args=[practice.pk])}">{practice.name}</a>' in body
