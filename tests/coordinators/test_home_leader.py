"""The executive leader's home shows the district's latest tier snapshot, as the dashboard has it."""

from __future__ import annotations

import itertools

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.data_reviews.score_factories import TierSnapshotFactory

pytestmark = pytest.mark.django_db
LEADER_HOME_QUERIES = 12


def _panel(page: str, title: str) -> str:
    start = page.index(f">{title}<")
    return page[start : page.index("</section>", start)]


def _snapshots(side_a, side_b) -> None:
    TierSnapshotFactory(school=side_a.school, window="fall", tier1=30, tier2=10, tier3=10)
    TierSnapshotFactory(school=side_a.other_school, window="fall", tier1=40, tier2=8, tier3=2)
    # Winter is the newest reading window, and only one of the two schools tested in it.
    TierSnapshotFactory(school=side_a.school, window="winter", tier1=42, tier2=6, tier3=2)
    TierSnapshotFactory(school=side_a.school, subject="math", window="fall", tier1=20, tier2=20, tier3=10)
    TierSnapshotFactory(school=side_b.school, window="spring", tier1=1, tier2=1, tier3=98)


def test_leader_sees_each_subjects_newest_window_with_the_dashboards_own_summary(side_a, side_b, leader_a):
    _snapshots(side_a, side_b)

    response = leader_a.get(reverse("home"))

    assert response.status_code == 200
    panel = _panel(response.text, "Latest tier snapshot")
    reading = leader_a.get(reverse("score_district_dashboard"), {"subject": "reading"}).context
    math = leader_a.get(reverse("score_district_dashboard"), {"subject": "math"}).context
    assert reading["period_label"] == "Winter 2025-26"
    assert "1 of 2 schools" in reading["summary"]
    assert reading["summary"] in panel
    assert math["summary"] in panel
    assert "Reading, Winter 2025-26" in panel
    assert "Math, Fall 2025-26" in panel
    assert "?subject=reading&amp;period=2025-winter" in panel
    assert "?subject=math&amp;period=2025-fall" in panel
    # District B's spring results are not the district's newest window, nor counted anywhere.
    assert "Spring" not in panel
    assert ">98<" not in panel


def test_the_panel_says_so_when_nothing_is_imported(side_a, leader_a):
    panel = _panel(leader_a.get(reverse("home")).text, "Latest tier snapshot")
    assert "No screening results have been imported yet." in panel


@pytest.mark.parametrize("who", ["coordinator_a", "member_a", "site_admin_a"])
def test_only_the_executive_leader_gets_the_district_snapshot_panel(side_a, side_b, who, request):
    _snapshots(side_a, side_b)
    response = request.getfixturevalue(who).get(reverse("home"))
    assert response.status_code == 200
    assert ">Latest tier snapshot<" not in response.text


def _home_queries(client) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("home"))
    assert response.status_code == 200
    return len(queries), response.text


def test_leader_home_query_count_is_the_same_with_5_and_50_snapshot_rows(side_a, side_b, leader_a):
    for grade in range(5):
        TierSnapshotFactory(school=side_a.school, grade=str(grade + 1))
    small, page = _home_queries(leader_a)
    assert "Reading, Fall 2025-26" in page
    cells = itertools.product(range(1, 13), ("fall", "winter"), ("reading", "math"))
    for grade, window, subject in itertools.islice(cells, 45):
        TierSnapshotFactory(school=side_a.other_school, grade=str(grade), window=window, subject=subject)
    large, page = _home_queries(leader_a)
    assert "Math, Winter 2025-26" in page
    assert large == small == LEADER_HOME_QUERIES
