"""Search: what each person finds, in what order, how it is shown, and what the page costs."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from coordinators.models import Role
from mtss.search import selectors
from mtss.search.index import reindex
from mtss.search.kinds import KINDS
from mtss.search.models import SearchEntry
from tests.conftest import Side
from tests.implementation_plans.plan_factories import PracticeFactory
from tests.search.conftest import WORD, Records, member_of

pytestmark = pytest.mark.django_db

URL = reverse("search")


def plain(page: str) -> str:
    return re.sub(r"</?mark>", "", page)


def found_ids(side: Side, user, text: str = WORD) -> dict[str, set[int]]:
    """What the search answers, as record ids per kind (read back from the links' entries)."""
    answer = selectors.search_for(member_of(side, user), text)
    by_url = {(e.kind, e.url): e.object_id for e in SearchEntry.objects.all()}
    return {g.kind.key: {by_url[(g.kind.key, h.url)] for h in g.hits} for g in answer.groups}


@pytest.mark.parametrize("role", [Role.COORDINATOR, Role.LEADER, Role.MEMBER, Role.SITE_ADMIN])
def test_each_role_finds_exactly_what_its_own_selectors_show(records_a: Records, records_b: Records, role):
    side = records_a.side
    user = {Role.COORDINATOR: side.coordinator, Role.LEADER: side.leader, Role.MEMBER: side.member}.get(
        role, side.site_admin
    )
    member = member_of(side, user)
    found = found_ids(side, user)
    for key, kind in KINDS.items():
        made = records_a.ids(key)
        visible = set(kind.scope(member).filter(pk__in=made).values_list("pk", flat=True))
        assert found.get(key, set()) == visible, key
    # Never another district's records, whatever the role.
    for key in KINDS:
        assert not found.get(key, set()) & records_b.ids(key), key


def test_principal_finds_only_their_school_and_their_own_work(records_a: Records):
    side = records_a.side
    found = found_ids(side, side.site_admin)
    made = records_a.made
    assert found["data_review"] == {made["data_review:own"].pk}
    assert found["problem"] == {made["problem:own"].pk}
    assert found["school"] == {side.school.pk}
    assert found["meeting"] == {made["meeting"].pk}  # the meeting they are invited to
    assert found["action_item"] == {made["action_item:principal"].pk}
    assert found["practice"] == {made["practice"].pk}  # the practice library is district-wide
    for kind in ("process", "plan_activity", "barrier", "person"):
        assert kind not in found, kind


def test_principal_page_names_no_other_school(records_a: Records, site_admin_a):
    page = plain(site_admin_a.get(URL, {"q": WORD}).text)
    assert "Zephyr review own" in page
    assert "Zephyr review other" not in page
    assert "Zephyr gap other" not in page
    assert "District zephyr review" not in page
    assert records_a.side.other_school.name not in page


def test_coordinator_finds_the_whole_district(records_a: Records, coordinator_a):
    response = coordinator_a.get(URL, {"q": WORD})
    assert response.status_code == 200
    page = response.text
    for text in ("Zephyr review other", "Zephyr gap other", "District zephyr review", "Budget meeting"):
        assert text.lower() in plain(page).lower(), text


def test_outsider_finds_nothing_of_another_district(records_a: Records, side_b: Side, coordinator_b):
    page = coordinator_b.get(URL, {"q": WORD}).text
    assert "Nothing found for" in page
    assert "Zephyr" not in page


def test_results_are_grouped_by_kind_each_linking_to_its_page(records_a: Records, coordinator_a):
    page = coordinator_a.get(URL, {"q": WORD}).text
    made = records_a.made
    headings = re.findall(r'<h2 class="h5" id="results-([a-z_]+)-heading">([^<]+)</h2>', page)
    assert {key for key, _ in headings} == set(KINDS)
    assert len(headings) == len(set(headings))
    assert dict(headings)["meeting"] == "Meetings and minutes"
    for url in (
        reverse("process_detail", args=[made["process"].pk]),
        reverse("plan_activity_detail", args=[made["plan_activity"].pk]),
        reverse("meeting_detail", args=[made["meeting:minutes"].pk]),
        reverse("barrier_detail", args=[made["barrier"].pk]),
        reverse("practice_detail", args=[made["practice"].pk]),
        reverse("review_detail", args=[made["data_review:own"].pk]),
        reverse("problem_detail", args=[made["problem:other"].pk]),
        reverse("school_detail", args=[made["school:new"].pk]),
        reverse("person_detail", args=[made["person"].pk]),
    ):
        assert f'href="{url}"' in page, url
    # Each group sits in its own section: a meeting's link is under the meetings heading.
    meetings = page.split('id="results-meeting"', 1)[1].split("</section>", 1)[0]
    assert reverse("meeting_detail", args=[made["meeting"].pk]) in meetings


def test_minutes_are_searched_with_their_meeting(records_a: Records):
    side = records_a.side
    found = found_ids(side, side.coordinator, "screening")
    assert records_a.made["meeting:minutes"].pk in found["meeting"]


def test_a_title_match_ranks_above_a_body_match(side_a: Side):
    body_only = PracticeFactory(
        district=side_a.district, name="Check-in check-out", description="Quokka notes."
    )
    in_title = PracticeFactory(district=side_a.district, name="Quokka mentoring", description="Weekly.")
    reindex(side_a.district.pk)
    answer = selectors.search_for(member_of(side_a, side_a.coordinator), "quokka")
    urls = [hit.url for hit in answer.groups[0].hits]
    assert urls == [
        reverse("practice_detail", args=[in_title.pk]),
        reverse("practice_detail", args=[body_only.pk]),
    ]


def test_every_word_must_match_and_a_word_may_be_half_typed(records_a: Records):
    side = records_a.side
    assert found_ids(side, side.coordinator, "zeph surv")["action_item"] == records_a.ids("action_item")
    assert found_ids(side, side.coordinator, "zephyr nonexistentword") == {}


def test_matched_words_are_marked_and_the_text_stays_escaped(side_a: Side, coordinator_a):
    PracticeFactory(
        district=side_a.district,
        name="Wombat <script>alert(1)</script> circles",
        description="Small groups.",
        success_criteria='Wombat groups "><img src=x onerror=alert(1)> meet weekly.',
    )
    reindex(side_a.district.pk)
    page = coordinator_a.get(URL, {"q": "wombat"}).text
    assert "<mark>Wombat</mark> &lt;script&gt;alert(1)&lt;/script&gt; circles" in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page
    assert "<script>alert(1)" not in page
    assert "<img src=x" not in page


def test_the_query_is_bounded(records_a: Records, coordinator_a):
    long_text = WORD + " " + "x" * (selectors.MAX_QUERY_LENGTH + 50)
    response = coordinator_a.get(URL, {"q": long_text})
    assert response.status_code == 200
    assert f"Searches are limited to {selectors.MAX_QUERY_LENGTH} characters" in response.text
    _text, terms, too_long = selectors.terms_of(" ".join(f"w{n}" for n in range(40)))
    assert too_long is False
    assert len(terms) == selectors.MAX_TERMS


def test_words_only_reach_the_query(records_a: Records, coordinator_a):
    response = coordinator_a.get(URL, {"q": "!&|:*()'\\"})
    assert response.status_code == 200
    assert "Nothing to search for: type letters or numbers." in response.text
    side = records_a.side
    assert found_ids(side, side.coordinator, "zephyr:* | !")["practice"] == records_a.ids("practice")


def test_each_kind_shows_a_few_results_and_says_there_are_more(side_a: Side, coordinator_a):
    for n in range(selectors.RESULTS_PER_KIND + 3):
        PracticeFactory(district=side_a.district, name=f"Numbat practice {n}")
    reindex(side_a.district.pk)
    page = coordinator_a.get(URL, {"q": "numbat"}).text
    assert page.count('class="list-group-item search-hit"') == selectors.RESULTS_PER_KIND
    assert f"Only the best {selectors.RESULTS_PER_KIND} practices are shown" in page


def test_empty_search_shows_the_box_and_a_hint(coordinator_a):
    response = coordinator_a.get(URL)
    assert response.status_code == 200
    assert 'id="search-page-q"' in response.text
    assert "Type a few words" in response.text


def _rows(side: Side, count: int) -> None:
    for n in range(count):
        PracticeFactory(district=side.district, name=f"Dingo routine {n}", description="Dingo steps.")
    reindex(side.district.pk)


@pytest.mark.parametrize("count", [5, 50])
def test_query_count_is_pinned_whatever_the_number_of_matches(
    side_a: Side, coordinator_a, count, django_assert_num_queries
):
    _rows(side_a, count)
    coordinator_a.get(URL, {"q": "dingo"})
    # The session, the person, their role in the district, the best matches, then their text.
    with django_assert_num_queries(5):
        response = coordinator_a.get(URL, {"q": "dingo"})
    assert response.status_code == 200
    assert response.text.count('class="list-group-item search-hit"') == min(count, selectors.RESULTS_PER_KIND)


def test_principal_query_count_is_pinned(records_a: Records, site_admin_a, django_assert_num_queries):
    site_admin_a.get(URL, {"q": WORD})
    with django_assert_num_queries(5):
        response = site_admin_a.get(URL, {"q": WORD})
    assert response.status_code == 200
    assert "Zephyr review own" in plain(response.text)
