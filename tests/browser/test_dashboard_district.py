"""The district dashboard by keyboard and mouse: sort the schools, open one school's page."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import screenshot
from tests.data_reviews.score_factories import TierSnapshotFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def serious_accessibility_problems(page, live_server) -> list[str]:
    page.add_script_tag(url=f"{live_server.url}/static/vendor/axe-core/axe.min.js")
    # The page's own content; the shared navigation bar is checked with the foundation's pages.
    found = page.evaluate("async () => (await axe.run(document.querySelector('main'))).violations")
    return [
        f"{v['id']}: {v['help']} {[n['html'][:120] for n in v['nodes']][:3]}"
        for v in found
        if v["impact"] in {"serious", "critical"}
    ]


def test_leader_sorts_schools_by_tier3_and_opens_a_school(side_a, sign_in, live_server):
    TierSnapshotFactory(school=side_a.school, tier1=45, tier2=4, tier3=1)
    TierSnapshotFactory(school=side_a.other_school, tier1=30, tier2=10, tier3=10)
    page = sign_in(side_a.leader.email)
    page.get_by_role("button", name="Data", exact=True).click()
    page.get_by_role("link", name="Dashboards").click()
    expect(page.locator("[data-chart='chart-schools']")).to_have_attribute("data-chart-drawn", "true")
    page.get_by_role("link", name="Tier 3 %").focus()
    page.keyboard.press("Enter")
    rows = page.get_by_role("table", name="All schools, reading, Fall 2025-26").locator("tbody tr")
    expect(rows.first).to_contain_text(side_a.other_school.name)
    screenshot(page, "district-dashboard-sorted")
    problems = serious_accessibility_problems(page, live_server)
    assert problems == []
    page.get_by_role("link", name=side_a.other_school.name).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(side_a.other_school.name)
    expect(page.locator("#plain-summary")).to_contain_text("60% of A Hilltop Middle students were at Tier 1")
    expect(page.get_by_role("link", name="CSV").first).to_be_visible()
    problems = serious_accessibility_problems(page, live_server)
    assert problems == []
