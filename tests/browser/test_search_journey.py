"""Search from the top bar: the coordinator finds the district's work, the principal their school's.

The records are written as the app writes them (services and saves, each committed), so what the
search finds here was indexed by the write path itself, not by a rebuild.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from meetings import services as meeting_services
from tests.browser.conftest import axe_violations, screenshot
from tests.data_reviews.review_factories import DataReviewFactory, ProblemStatementFactory
from tests.implementation_plans.plan_factories import PlanActivityFactory, PracticeFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TIMEOUT = 20_000


def _records(side) -> dict:
    activity = PlanActivityFactory(
        goal__district=side.district, title="Train every bus driver in Kestrel routines"
    )
    PracticeFactory(
        district=side.district, name="Kestrel check-ins", success_criteria="Kestrel steps weekly."
    )
    meeting_services.action_item_create(
        district=side.district,
        title="Print the Kestrel posters",
        owner=side.member,
        due_date=None,
        member=side.membership(side.coordinator),
    )
    own = DataReviewFactory(district=side.district, school=side.school, title="Kestrel winter review")
    other = DataReviewFactory(district=side.district, school=side.other_school, title="Kestrel spring review")
    ProblemStatementFactory(review=other, what="Kestrel attendance gap")
    return {"activity": activity, "own": own, "other": other}


def _search_from_top_bar(page: Page, words: str) -> None:
    box = page.get_by_role("searchbox", name="Search the district")
    if not box.is_visible():
        page.get_by_role("button", name="Show navigation").click()
    box.fill(words)
    box.press("Enter")
    page.wait_for_url(re.compile(r"/search/\?q="), timeout=TIMEOUT)


def test_coordinator_searches_the_district_and_opens_a_result(side_a, sign_in, live_server):
    made = _records(side_a)
    page = sign_in(side_a.coordinator.email)
    _search_from_top_bar(page, "kestrel")
    results = page.locator("#search-results")
    expect(results.get_by_role("heading", name="Plan activities")).to_be_visible(timeout=TIMEOUT)
    for heading in ("Practices", "Action items", "Data reviews", "Problem statements"):
        expect(results.get_by_role("heading", name=heading)).to_be_visible()
    expect(results.locator("mark").first).to_have_text(re.compile("kestrel", re.IGNORECASE))
    expect(results.get_by_role("link", name="Kestrel spring review")).to_be_visible()
    screenshot(page, "search-coordinator-1366")
    assert axe_violations(page) == []

    page.set_viewport_size({"width": 390, "height": 844})
    expect(results.get_by_role("link", name="Kestrel winter review")).to_be_visible()
    screenshot(page, "search-coordinator-390")
    page.set_viewport_size({"width": 1366, "height": 850})

    results.get_by_role("link", name="Train every bus driver in Kestrel routines").click()
    page.wait_for_url(f"**/plan/activities/{made['activity'].pk}/", timeout=TIMEOUT)
    expect(page.get_by_role("heading", name="Train every bus driver in Kestrel routines")).to_be_visible()


def test_principal_finds_their_school_and_not_the_other(side_a, sign_in, live_server):
    made = _records(side_a)
    page = sign_in(side_a.site_admin.email)
    page.set_viewport_size({"width": 390, "height": 844})
    _search_from_top_bar(page, "kestrel")
    results = page.locator("#search-results")
    expect(results.get_by_role("link", name="Kestrel winter review")).to_be_visible(timeout=TIMEOUT)
    expect(results.get_by_text("Kestrel spring review")).to_have_count(0)
    expect(results.get_by_text("Kestrel attendance gap")).to_have_count(0)
    expect(results.get_by_role("heading", name="Plan activities")).to_have_count(0)
    expect(results.get_by_role("heading", name="Action items")).to_have_count(0)
    screenshot(page, "search-principal-390")
    assert axe_violations(page) == []

    # The page's own box searches again: the other school's review stays out of reach.
    page.get_by_label("Search for").fill("spring review")
    page.locator("main").get_by_role("button", name="Search", exact=True).click()
    expect(page.get_by_text("Nothing found for")).to_be_visible(timeout=TIMEOUT)

    page.goto(f"{live_server.url}/search/?q=winter+review")
    page.locator("#search-results").get_by_role("link", name="Kestrel winter review").click()
    page.wait_for_url(f"**/data/reviews/{made['own'].pk}/", timeout=TIMEOUT)
    expect(page.get_by_role("heading", name=re.compile("Kestrel winter review"))).to_be_visible()
