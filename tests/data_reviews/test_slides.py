"""Download as slides: the deck read back with python-pptx, its numbers against the dashboards', access.

The deck is drawn by the worker; here the task runs in the test's process once the request commits
(`test_slides_worker.py` has a real worker).
"""

from __future__ import annotations

import datetime
import io
from typing import Any

import pytest
import time_machine
from django.urls import reverse
from pptx import Presentation
from pptx.enum.shapes import MSO_SHAPE_TYPE

from data_reviews.models import SlideDeck
from data_reviews.scores import slide_decks, slides
from data_reviews.scores.analysis import MIN_GROUP_SIZE
from mtss.audit.models import AuditEvent
from tests.data_reviews.score_factories import TierSnapshotFactory
from tests.factories import SchoolFactory

pytestmark = pytest.mark.django_db

WINTER = "2025-winter"


@pytest.fixture
def district_data(side_a) -> None:
    """Two schools, reading in fall and winter, math in winter only, science in fall only."""
    for school, (t1, t2, t3) in ((side_a.school, (71, 17, 12)), (side_a.other_school, (30, 10, 10))):
        TierSnapshotFactory(school=school, window="fall", tier1=t1 - 6, tier2=t2 + 6, tier3=t3)
        TierSnapshotFactory(school=school, window="winter", tier1=t1, tier2=t2, tier3=t3, no_data=2)
        TierSnapshotFactory(school=school, window="winter", subject="math", tier1=40, tier2=6, tier3=4)
        TierSnapshotFactory(school=school, window="fall", subject="science", tier1=20, tier2=5, tier3=5)


def ask(client, url: str, django_capture_on_commit_callbacks, **filters: str) -> SlideDeck:
    """Press Download as slides; the worker's task runs when the request commits."""
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, filters)
    assert response.status_code == 302
    deck = SlideDeck.objects.get(pk=int(response["Location"].rstrip("/").split("/")[-1]))
    assert response["Location"] == reverse("score_slides_detail", args=[deck.pk])
    return deck


def download(client, deck: SlideDeck) -> Any:
    response = client.get(reverse("score_slides_download", args=[deck.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == slide_decks.CONTENT_TYPE
    assert response["Content-Disposition"] == f'attachment; filename="{deck.file_name}"'
    return Presentation(io.BytesIO(response.content))


def titles(presentation: Any) -> list[str]:
    return [slide.shapes.title.text for slide in presentation.slides]


def pictures(slide: Any) -> list[Any]:
    return [shape for shape in slide.shapes if shape.shape_type == MSO_SHAPE_TYPE.PICTURE]


def notes_rows(slide: Any) -> list[list[str]]:
    """The notes page's table: the lines after the caption and the header, split at tabs."""
    lines = slide.notes_slide.notes_text_frame.text.split("\n")
    return [line.split("\t") for line in lines[2:] if "\t" in line]


def text_of(presentation: Any) -> str:
    parts = []
    for slide in presentation.slides:
        parts += [shape.text_frame.text for shape in slide.shapes if shape.has_text_frame]
        parts.append(slide.notes_slide.notes_text_frame.text)
    return "\n".join(parts)


def as_text(rows: list[list[Any]]) -> list[list[str]]:
    return [[str(cell) for cell in row] for row in rows]


@pytest.fixture
def eager(celery_eager) -> None:
    return None


def test_district_deck_has_a_title_then_triangle_schools_and_trend_per_subject(
    district_data, coordinator_a, eager, django_capture_on_commit_callbacks
):
    deck = ask(
        coordinator_a, reverse("score_district_slides"), django_capture_on_commit_callbacks, period=WINTER
    )
    deck.refresh_from_db()
    assert deck.status == SlideDeck.Status.READY, deck.stage
    presentation = download(coordinator_a, deck)
    # Reading and math were tested in winter; science only in fall, so it is left out.
    assert titles(presentation) == [
        "District A",
        "Reading, Winter 2025-26: tiers against the healthy triangle",
        "All schools, reading, Winter 2025-26",
        "Tiers in reading across windows",
        "Math, Winter 2025-26: tiers against the healthy triangle",
        "All schools, math, Winter 2025-26",
        "Tiers in math across windows",
    ]
    subtitle = presentation.slides[0].placeholders[1].text_frame.text
    assert "Screening results, Winter 2025-26" in subtitle
    assert "Reading and math" in subtitle
    assert deck.file_name == "district-a-winter-2025-26-slides.pptx"
    for slide in list(presentation.slides)[1:]:
        [picture] = pictures(slide)
        assert picture.image.content_type == "image/png"
        assert picture._element.nvPicPr.cNvPr.get("descr").startswith(f"Chart: {slide.shapes.title.text}.")


def test_the_notes_tables_hold_the_district_dashboards_numbers(
    district_data, coordinator_a, eager, django_capture_on_commit_callbacks
):
    page = coordinator_a.get(reverse("score_district_dashboard") + f"?subject=reading&period={WINTER}")
    assert page.status_code == 200
    tables = {table.key: table for table in page.context["tables"]}
    deck = ask(
        coordinator_a,
        reverse("score_district_slides"),
        django_capture_on_commit_callbacks,
        subject="reading",
        period=WINTER,
    )
    presentation = download(coordinator_a, deck)
    triangle, schools, trend = list(presentation.slides)[1:4]
    assert notes_rows(triangle) == as_text(tables["triangle"].rows)
    assert notes_rows(schools) == as_text(tables["schools"].rows)
    assert notes_rows(trend) == as_text(tables["trend"].rows)
    assert notes_rows(schools)[0][:4] == ["A Hilltop Middle", "30", "10", "10"]
    # The summary beside the triangle is the page's own sentence.
    assert page.context["summary"] in [
        shape.text_frame.text for shape in triangle.shapes if shape.has_text_frame
    ]
    assert schools.notes_slide.notes_text_frame.text.split("\n")[1].split("\t") == tables["schools"].columns


def test_many_schools_are_shown_side_by_side_on_as_many_slides_as_they_need(
    side_a, coordinator_a, eager, django_capture_on_commit_callbacks
):
    for number in range(slides.SCHOOLS_PER_SLIDE + 2):
        school = SchoolFactory(district=side_a.district, name=f"School {number:02d}", code=f"S{number:02d}")
        TierSnapshotFactory(school=school, window="winter", tier1=40 + number, tier2=5, tier3=5)
    deck = ask(coordinator_a, reverse("score_district_slides"), django_capture_on_commit_callbacks)
    presentation = download(coordinator_a, deck)
    school_slides = [
        slide for slide in presentation.slides if slide.shapes.title.text.startswith("All schools")
    ]
    assert [slide.shapes.title.text for slide in school_slides] == [
        "All schools, reading, Winter 2025-26 (1 of 2)",
        "All schools, reading, Winter 2025-26 (2 of 2)",
    ]
    assert [len(notes_rows(slide)) for slide in school_slides] == [slides.SCHOOLS_PER_SLIDE, 2]
    assert [len(pictures(slide)) for slide in school_slides] == [1, 1]


@pytest.fixture
def school_groups(side_a) -> None:
    school = side_a.school
    TierSnapshotFactory(school=school, window="fall", tier1=65, tier2=23, tier3=12)
    TierSnapshotFactory(school=school, window="winter", tier1=71, tier2=17, tier3=12, no_data=3)
    group = {"school": school, "window": "winter", "grade": ""}
    TierSnapshotFactory(**group, student_group="English learners", tier1=6, tier2=3, tier3=3)
    # One student short of the minimum: the dashboard hides it, so must the deck.
    TierSnapshotFactory(**group, student_group="Migrant students", tier1=5, tier2=2, tier3=MIN_GROUP_SIZE - 8)


def test_school_deck_shows_the_student_groups_the_dashboard_shows_and_no_smaller_one(
    side_a, school_groups, site_admin_a, eager, django_capture_on_commit_callbacks
):
    url = reverse("score_school_dashboard", args=[side_a.school.pk]) + f"?subject=reading&period={WINTER}"
    page = site_admin_a.get(url)
    groups = next(table for table in page.context["tables"] if table.key == "groups")
    assert [row[0] for row in groups.rows] == ["English learners"]
    deck = ask(
        site_admin_a,
        reverse("score_school_slides", args=[side_a.school.pk]),
        django_capture_on_commit_callbacks,
        subject="reading",
        period=WINTER,
    )
    presentation = download(site_admin_a, deck)
    assert titles(presentation) == [
        "A Lakeside Elementary",
        "Reading, Winter 2025-26: tiers against the healthy triangle",
        "Tiers in reading across windows",
        "Reading by student group, Winter 2025-26",
    ]
    group_slide = presentation.slides[3]
    assert notes_rows(group_slide) == as_text(groups.rows)
    assert len(pictures(group_slide)) == 1
    assert "Migrant" not in text_of(presentation)
    assert f"Groups under {MIN_GROUP_SIZE} students are hidden" in text_of(presentation)
    assert "District A" in presentation.slides[0].placeholders[1].text_frame.text


def test_a_school_with_no_group_big_enough_says_so_instead_of_a_chart(
    side_a, coordinator_a, eager, django_capture_on_commit_callbacks
):
    TierSnapshotFactory(school=side_a.school, window="winter")
    deck = ask(
        coordinator_a,
        reverse("score_school_slides", args=[side_a.school.pk]),
        django_capture_on_commit_callbacks,
    )
    group_slide = download(coordinator_a, deck).slides[-1]
    assert pictures(group_slide) == []
    assert slides.NO_DATA in [shape.text_frame.text for shape in group_slide.shapes if shape.has_text_frame]


def test_the_title_slide_is_dated_in_the_districts_time(
    side_a, district_data, login_as, eager, django_capture_on_commit_callbacks
):
    side_a.district.time_zone = "America/Los_Angeles"
    side_a.district.save()
    # 3 AM in UTC is still the evening before in Los Angeles.
    with time_machine.travel(datetime.datetime(2026, 12, 2, 3, 0, tzinfo=datetime.UTC), tick=False):
        client = login_as(side_a.coordinator)
        deck = ask(client, reverse("score_district_slides"), django_capture_on_commit_callbacks)
        subtitle = download(client, deck).slides[0].placeholders[1].text_frame.text
    assert subtitle.endswith("Prepared Dec 1, 2026")


def test_site_admin_gets_only_their_schools_deck(side_a, district_data, site_admin_a):
    before = SlideDeck.objects.count()
    assert site_admin_a.post(reverse("score_school_slides", args=[side_a.other_school.pk])).status_code == 404
    assert site_admin_a.post(reverse("score_district_slides")).status_code == 403
    assert SlideDeck.objects.count() == before
    assert AuditEvent.objects.filter(outcome=AuditEvent.Outcome.DENIED, actor=side_a.site_admin).count() == 2


def test_outsider_gets_404_for_a_school_and_for_a_deck_and_nothing_changes(
    side_a, side_b, district_data, coordinator_a, coordinator_b
):
    url = reverse("score_school_slides", args=[side_a.school.pk])
    assert coordinator_b.post(url).status_code == 404
    assert SlideDeck.objects.count() == 0
    deck = slide_decks.slide_deck_request(
        member=side_a.membership(side_a.coordinator), school=None, subject="", period="", sort=""
    )
    for name in ("score_slides_detail", "score_slides_progress", "score_slides_download"):
        assert coordinator_b.get(reverse(name, args=[deck.pk])).status_code == 404
    assert list(SlideDeck.objects.values_list("pk", "status")) == [(deck.pk, SlideDeck.Status.QUEUED)]


def test_district_b_deck_holds_none_of_district_as_schools(
    side_a, side_b, district_data, coordinator_b, eager, django_capture_on_commit_callbacks
):
    TierSnapshotFactory(school=side_b.school, window="winter")
    deck = ask(coordinator_b, reverse("score_district_slides"), django_capture_on_commit_callbacks)
    text = text_of(download(coordinator_b, deck))
    assert "B Lakeside Elementary" in text
    assert "A Lakeside" not in text
    assert "A Hilltop" not in text


def test_another_persons_deck_is_404(side_a, district_data, leader_a):
    deck = slide_decks.slide_deck_request(
        member=side_a.membership(side_a.coordinator), school=None, subject="", period="", sort=""
    )
    assert leader_a.get(reverse("score_slides_detail", args=[deck.pk])).status_code == 404


def test_a_double_click_asks_for_one_deck(side_a, district_data, coordinator_a):
    url = reverse("score_district_slides")
    first = coordinator_a.post(url, {"subject": "reading", "period": WINTER})
    second = coordinator_a.post(url, {"subject": "reading", "period": WINTER})
    assert first["Location"] == second["Location"]
    assert SlideDeck.objects.count() == 1
    other = coordinator_a.post(url, {"subject": "math", "period": WINTER})
    assert other["Location"] != first["Location"]


def test_the_deck_is_drawn_with_the_askers_access_when_it_is_drawn(side_a, district_data, eager):
    membership = side_a.membership(side_a.site_admin)
    deck = slide_decks.slide_deck_request(
        member=membership, school=side_a.school, subject="", period="", sort=""
    )
    membership.schools.clear()
    SlideDeck.objects.filter(pk=deck.pk).update(status=SlideDeck.Status.BUILDING)
    deck.refresh_from_db()
    failed = slide_decks.slide_deck_build(deck)
    assert failed.status == SlideDeck.Status.FAILED
    assert failed.stage == slide_decks.NO_LONGER_ALLOWED
    assert failed.content == b""


def test_a_deck_whose_worker_died_is_failed_when_the_person_asks_again(side_a, district_data):
    member = side_a.membership(side_a.coordinator)
    deck = slide_decks.slide_deck_request(member=member, school=None, subject="", period="", sort="")
    SlideDeck.objects.filter(pk=deck.pk).update(
        status=SlideDeck.Status.BUILDING,
        created_at=deck.created_at - slide_decks.STALE_BUILD - datetime.timedelta(minutes=1),
    )
    again = slide_decks.slide_deck_request(member=member, school=None, subject="", period="", sort="")
    assert again.pk != deck.pk
    deck.refresh_from_db()
    assert (deck.status, deck.stage) == (SlideDeck.Status.FAILED, slide_decks.BUILD_STOPPED)


def test_a_deck_not_ready_is_not_downloaded(side_a, district_data, coordinator_a):
    deck = slide_decks.slide_deck_request(
        member=side_a.membership(side_a.coordinator), school=None, subject="", period="", sort=""
    )
    response = coordinator_a.get(reverse("score_slides_download", args=[deck.pk]), follow=True)
    assert response.redirect_chain == [(reverse("score_slides_detail", args=[deck.pk]), 302)]
    assert "These slides are not ready" in response.content.decode()


def test_the_task_run_twice_draws_the_deck_once(side_a, district_data):
    from data_reviews import tasks

    deck = slide_decks.slide_deck_request(
        member=side_a.membership(side_a.coordinator), school=None, subject="", period="", sort=""
    )
    tasks.build_slide_deck(deck.pk)
    deck.refresh_from_db()
    assert deck.status == SlideDeck.Status.READY
    finished, content = deck.finished_at, bytes(deck.content)
    tasks.build_slide_deck(deck.pk)
    deck.refresh_from_db()
    assert (deck.finished_at, bytes(deck.content)) == (finished, content)


def test_the_dashboards_offer_the_button_with_their_filters(side_a, district_data, coordinator_a):
    body = coordinator_a.get(
        reverse("score_district_dashboard") + f"?period={WINTER}&sort=tier3"
    ).content.decode()
    assert f'action="{reverse("score_district_slides")}"' in body
    assert '<input type="hidden" name="period" value="2025-winter">' in body
    assert '<input type="hidden" name="sort" value="tier3">' in body
    assert "Download as slides" in body
    school = coordinator_a.get(reverse("score_school_dashboard", args=[side_a.school.pk])).content.decode()
    assert f'action="{reverse("score_school_slides", args=[side_a.school.pk])}"' in school


@pytest.mark.parametrize("decks", [1, 5])
def test_the_deck_page_and_its_progress_take_the_same_queries_however_many_decks(
    side_a, district_data, coordinator_a, django_assert_num_queries, decks
):
    member = side_a.membership(side_a.coordinator)
    for number in range(decks):
        deck = slide_decks.slide_deck_request(
            member=member, school=side_a.school, subject=f"s{number}", period="", sort=""
        )
    coordinator_a.get(reverse("score_slides_detail", args=[deck.pk]))  # the session's first request
    with django_assert_num_queries(4):
        response = coordinator_a.get(reverse("score_slides_detail", args=[deck.pk]))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Slides of A Lakeside Elementary" in body
    assert "Waiting to start" in body
    with django_assert_num_queries(4):
        response = coordinator_a.get(reverse("score_slides_progress", args=[deck.pk]))
    assert response.status_code == 200
    assert 'hx-trigger="every 1s"' in response.content.decode()


def test_the_daily_retention_task_deletes_decks_a_day_old(side_a, district_data):
    from data_reviews import retention

    member = side_a.membership(side_a.coordinator)
    old = slide_decks.slide_deck_request(member=member, school=None, subject="", period="", sort="")
    new = slide_decks.slide_deck_request(member=member, school=None, subject="math", period="", sort="")
    SlideDeck.objects.filter(pk=old.pk).update(
        created_at=old.created_at - slide_decks.DECK_KEEP - datetime.timedelta(minutes=1)
    )
    retention.retention_apply()
    assert list(SlideDeck.objects.values_list("pk", flat=True)) == [new.pk]
    assert slide_decks.slide_decks_expire() == 0


def test_a_district_without_results_gets_a_deck_that_says_so(
    side_a, coordinator_a, eager, django_capture_on_commit_callbacks
):
    deck = ask(coordinator_a, reverse("score_district_slides"), django_capture_on_commit_callbacks)
    presentation = download(coordinator_a, deck)
    assert titles(presentation) == ["District A", "No screening results yet"]
    assert deck.file_name == "district-a-slides.pptx"


def test_a_deck_that_will_never_be_finished_reads_as_failed_and_is_not_polled(
    side_a, district_data, coordinator_a
):
    deck = slide_decks.slide_deck_request(
        member=side_a.membership(side_a.coordinator), school=None, subject="", period="", sort=""
    )
    SlideDeck.objects.filter(pk=deck.pk).update(
        created_at=deck.created_at - slide_decks.STALE_BUILD - datetime.timedelta(minutes=1)
    )
    response = coordinator_a.get(reverse("score_slides_progress", args=[deck.pk]))
    body = response.content.decode()
    assert response.status_code == 200
    assert "Could not be made" in body
    assert slide_decks.BUILD_STOPPED in body
    assert "hx-trigger" not in body
    assert SlideDeck.objects.get(pk=deck.pk).status == SlideDeck.Status.QUEUED
    again = slide_decks.slide_deck_request(
        member=side_a.membership(side_a.coordinator), school=None, subject="", period="", sort=""
    )
    assert again.pk != deck.pk
    assert SlideDeck.objects.get(pk=deck.pk).status == SlideDeck.Status.FAILED
