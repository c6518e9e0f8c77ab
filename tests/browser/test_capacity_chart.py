"""The capacity page read as a principal would: one administration, a phone screen."""

from __future__ import annotations

import datetime

import pytest
from playwright.sync_api import expect

from implementation_plans.models import CapacityAssessment
from tests.browser.conftest import screenshot
from tests.implementation_plans.plan_factories import AssessmentItemFactory, CapacityAssessmentFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_one_administration_is_named_on_the_axis_and_its_total_shows_on_a_phone(side_a, sign_in, live_server):
    assessment = CapacityAssessmentFactory(
        district=side_a.district,
        instrument=CapacityAssessment.Instrument.TFI,
        school=side_a.school,
        administered_on=datetime.date(2026, 10, 12),
        window=CapacityAssessment.Window.FALL,
    )
    AssessmentItemFactory(assessment=assessment, score=2)
    page = sign_in(side_a.coordinator.email)
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/capacity/")
    expect(page.locator("#tfi-trend")).to_have_attribute("data-chart-drawn", "true")
    ticks = page.locator("#tfi-trend .xtick text")
    labels = ticks.evaluate_all("texts => texts.map((t) => t.textContent)")
    assert labels == ["Fall Oct 2026"]  # not milliseconds around one instant
    table = page.get_by_role("table", name="Tiered Fidelity Inventory administrations")
    table.scroll_into_view_if_needed()
    total = table.get_by_role("columnheader", name="Total")
    expect(total).to_be_in_viewport()
    expect(table.get_by_role("cell", name="100%")).to_be_in_viewport()
    screenshot(page, "capacity-one-administration-phone")
