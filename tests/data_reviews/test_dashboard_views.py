"""School and district dashboards: scope, numbers, exports and pinned query counts."""

from __future__ import annotations

import io
import re

import openpyxl
import pytest
from django.urls import reverse

from data_reviews.models import TierSnapshot
from mtss.spreadsheets import neutralise
from tests.data_reviews.score_factories import SchoolMeasureFactory, TierSnapshotFactory
from tests.factories import SchoolFactory


def school_url(school, **params) -> str:
    query = "&".join(f"{k}={v}" for k, v in params.items())
    return reverse("score_school_dashboard", args=[school.pk]) + (f"?{query}" if query else "")


@pytest.fixture
def lakeside(side_a):
    """Fall 65% Tier 1, winter 71%: the numbers of the summary sentence."""
    school = side_a.school
    TierSnapshotFactory(school=school, window="fall", tier1=65, tier2=23, tier3=12)
    TierSnapshotFactory(school=school, window="winter", tier1=71, tier2=17, tier3=12, no_data=3)
    TierSnapshotFactory(
        school=school, window="winter", grade="", student_group="English learners", tier1=6, tier2=3, tier3=3
    )
    TierSnapshotFactory(school=school, window="winter", subject="math", tier1=80, tier2=15, tier3=5)
    SchoolMeasureFactory(school=school, value=14)
    return school


def test_school_dashboard_writes_the_plain_language_summary(lakeside, coordinator_a) -> None:
    response = coordinator_a.get(school_url(lakeside, subject="reading", period="2025-winter"))
    assert response.status_code == 200
    summary = response.context["summary"]
    assert summary == (
        "In winter, 71% of A Lakeside Elementary students were at Tier 1 in reading, up 6 points from fall; "
        "12% need intensive support, above the 5% guide. 3 students had no usable result."
    )
    body = response.content.decode()
    assert summary.split(";")[0] in body
    assert "English learners" in body
    assert 'data-chart="chart-triangle"' in body
    assert 'id="chart-triangle" type="application/json"' in body
    assert "plotly-strict.min.js" in body


def test_site_admin_sees_their_school(lakeside, site_admin_a) -> None:
    assert site_admin_a.get(school_url(lakeside)).status_code == 200


def test_site_admin_gets_404_for_another_school(side_a, lakeside, site_admin_a) -> None:
    TierSnapshotFactory(school=side_a.other_school)
    response = site_admin_a.get(school_url(side_a.other_school))
    assert response.status_code == 404
    assert TierSnapshot.objects.count() == 5


def test_outsider_gets_404_for_a_school_and_nothing_changes(lakeside, coordinator_b) -> None:
    before = list(TierSnapshot.objects.values_list("pk", "tier1"))
    assert coordinator_b.get(school_url(lakeside)).status_code == 404
    assert coordinator_b.get(school_url(lakeside, export="csv", table="trend")).status_code == 404
    assert list(TierSnapshot.objects.values_list("pk", "tier1")) == before


def test_district_dashboard_lists_schools_with_links_and_is_closed_to_site_admins(
    side_a, lakeside, leader_a, site_admin_a
) -> None:
    TierSnapshotFactory(school=side_a.other_school, window="winter", tier1=10, tier2=10, tier3=30)
    response = leader_a.get(
        reverse("score_district_dashboard") + "?subject=reading&period=2025-winter&sort=tier3"
    )
    assert response.status_code == 200
    schools = next(t for t in response.context["tables"] if t.key == "schools")
    assert [row[0] for row in schools.rows] == ["A Hilltop Middle", "A Lakeside Elementary"]
    assert school_url(lakeside) in response.content.decode()
    assert site_admin_a.get(reverse("score_district_dashboard")).status_code == 403


def test_district_dashboard_shows_only_its_own_district(side_a, side_b, lakeside, coordinator_b) -> None:
    response = coordinator_b.get(reverse("score_district_dashboard"))
    assert response.status_code == 200
    assert "A Lakeside" not in response.content.decode()


def test_csv_export_neutralises_formulas(side_a, coordinator_a) -> None:
    hostile = SchoolFactory(district=side_a.district, name='=HYPERLINK("http://x")', code="X9")
    TierSnapshotFactory(school=hostile)
    response = coordinator_a.get(reverse("score_district_dashboard") + "?table=schools&export=csv")
    assert response["Content-Type"].startswith("text/csv")
    text = response.content.decode("utf-8-sig")
    assert "'=HYPERLINK" in text
    assert "\n=HYPERLINK" not in text


def test_xlsx_export_has_the_table(lakeside, coordinator_a) -> None:
    response = coordinator_a.get(school_url(lakeside, subject="reading", table="trend", export="xlsx"))
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.values)
    assert rows[0][0] == "Window"
    assert rows[1][:4] == ("Fall 2025-26", 65, 23, 12)


@pytest.mark.parametrize("value", ["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx"])
def test_neutralise_prefixes_dangerous_text(value: str) -> None:
    assert neutralise(value) == "'" + value


def test_neutralise_keeps_numbers_and_plain_text() -> None:
    assert neutralise(-3) == -3
    assert neutralise("Reading") == "Reading"


def test_unknown_export_table_is_404(lakeside, coordinator_a) -> None:
    assert coordinator_a.get(school_url(lakeside, export="csv", table="nope")).status_code == 404


def _many_schools(side, count: int) -> list:
    schools = []
    for n in range(count):
        school = SchoolFactory(district=side.district, name=f"School {n:02d}")
        for window in ("fall", "winter", "spring"):
            TierSnapshotFactory(school=school, window=window)
            TierSnapshotFactory(school=school, window=window, subject="math", grade="4")
        SchoolMeasureFactory(school=school)
        schools.append(school)
    return schools


@pytest.mark.parametrize("count", [1, 50])
def test_district_dashboard_query_count_does_not_grow_with_schools(
    side_a, coordinator_a, django_assert_num_queries, count
) -> None:
    schools = _many_schools(side_a, count)
    coordinator_a.get(reverse("score_district_dashboard"))  # warm the session
    with django_assert_num_queries(6):
        response = coordinator_a.get(reverse("score_district_dashboard"))
    assert response.status_code == 200
    body = response.content.decode()
    for school in schools:
        assert re.search(
            rf'<th scope="row"><a href="{school_url(school)}[?"][^>]*>{school.name}</a></th>', body
        )


@pytest.mark.parametrize("windows", [1, 3])
def test_school_dashboard_query_count_is_pinned(
    lakeside, coordinator_a, django_assert_num_queries, windows
) -> None:
    for year in range(2020, 2020 + windows):
        TierSnapshotFactory(school=lakeside, school_year=year)
    coordinator_a.get(school_url(lakeside))
    with django_assert_num_queries(6):
        response = coordinator_a.get(school_url(lakeside))
    assert response.status_code == 200
    body = response.content.decode()
    for year in range(2020, 2020 + windows):
        assert f"Fall {year}-{(year + 1) % 100:02d}" in body


def test_my_school_opens_the_site_admins_dashboard(side_a, site_admin_a) -> None:
    response = site_admin_a.get(reverse("score_my_school"))
    assert response.url == school_url(side_a.school)


def test_site_admin_home_page_leads_with_the_school_summary(lakeside, site_admin_a) -> None:
    response = site_admin_a.get(reverse("home"))
    body = response.content.decode()
    assert "71% of A Lakeside Elementary students were at Tier 1 in reading" in body
    assert school_url(lakeside) in body


def test_coordinator_home_has_no_site_admin_panel(lakeside, coordinator_a) -> None:
    assert "students were at Tier 1" not in coordinator_a.get(reverse("home")).content.decode()


def test_empty_dashboards_say_there_is_no_data_yet(side_a, coordinator_a) -> None:
    assert "No screening results" in coordinator_a.get(reverse("score_district_dashboard")).content.decode()
    assert "No screening results" in coordinator_a.get(school_url(side_a.school)).content.decode()


def test_dashboard_is_built_once_for_the_same_data_and_again_when_the_data_changes(
    lakeside, coordinator_a, monkeypatch
):
    from data_reviews.scores import dashboards

    calls = []
    build = dashboards.school_dashboard

    def counting(**kwargs):
        calls.append(kwargs["school_name"])
        return build(**kwargs)

    monkeypatch.setattr(dashboards, "school_dashboard", counting)
    url = reverse("score_school_dashboard", args=[lakeside.pk])
    first = coordinator_a.get(url)
    second = coordinator_a.get(url)
    assert first.status_code == second.status_code == 200
    assert len(calls) == 1
    assert first.context["summary"] == second.context["summary"]
    snapshot = TierSnapshot.objects.filter(school=lakeside).first()
    snapshot.tier1 += 1
    snapshot.save()
    coordinator_a.get(url)
    assert len(calls) == 2
