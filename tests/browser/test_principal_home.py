"""A principal on a phone opens on their school: its summary first, then its action items."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from meetings.services import action_item_create
from tests.browser.conftest import screenshot
from tests.data_reviews.score_factories import TierSnapshotFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_principal_of_two_schools_reads_each_schools_home_at_390_px(side_a, sign_in, live_server):
    side_a.membership(side_a.site_admin).schools.add(side_a.other_school)
    TierSnapshotFactory(school=side_a.school, tier1=41, tier2=7, tier3=2)
    action_item_create(
        district=side_a.district,
        title="Walk the hallways at dismissal",
        owner=side_a.site_admin,
        due_date=timezone.localdate(timezone=side_a.district.tz) - timedelta(days=2),
        member=side_a.membership(side_a.coordinator),
    )

    page = sign_in(side_a.site_admin.email)
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/")
    picker = page.get_by_role("navigation", name="Your schools")
    expect(picker).to_be_in_viewport()
    # The first by name opens; the other is one tap away.
    expect(picker.get_by_role("link", name=side_a.other_school.name)).to_have_attribute(
        "aria-current", "page"
    )
    picker.get_by_role("link", name=side_a.school.name).click()
    expect(page.get_by_role("heading", name=f"{side_a.school.name}: how students are doing")).to_be_visible()
    expect(page.locator("main")).to_contain_text("82% of A Lakeside Elementary students were at Tier 1")
    items = page.get_by_role("heading", name=f"Open action items at {side_a.school.name}")
    items.scroll_into_view_if_needed()
    expect(page.locator("main")).to_contain_text("Walk the hallways at dismissal")
    expect(page.locator("main")).to_contain_text("1 overdue")
    screenshot(page, "home-principal-phone")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.get_by_role("link", name=f"Open the {side_a.school.name} dashboard").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(side_a.school.name)
