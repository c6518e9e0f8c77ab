"""On a 390 px phone the pages a coordinator reads most fit the screen: nothing scrolls the whole page
sideways, the plan keeps Due, Status and Progress in view, the timeline's names sit above its bars,
and wide tables scroll inside their own box with their first column kept in view."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.urls import reverse
from playwright.sync_api import Page, expect

from coordinators.models import School
from implementation_plans.models import Process
from mtss.demo import DEMO_PASSWORD
from tests.browser.conftest import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
LONG = 30_000  # charts draw after Plotly loads; a shared machine can be slow


@pytest.fixture
def demo(settings) -> None:
    settings.DEBUG = True
    call_command("seed_demo", verbosity=0)
    settings.DEBUG = False


@pytest.fixture
def phone(demo, sign_in) -> Page:
    page = sign_in("coordinator@demo.mtss", DEMO_PASSWORD)
    page.set_viewport_size(PHONE)
    return page


def page_width(page: Page) -> int:
    return page.evaluate("document.documentElement.scrollWidth")


def right_edges(page: Page, selector: str) -> list[float]:
    return page.locator(selector).evaluate_all("els => els.map(e => e.getBoundingClientRect().right)")


def plan_table_keeps_due_status_and_progress_on_screen(phone: Page, live_server) -> None:
    phone.goto(f"{live_server.url}{reverse('plan_list')}")
    table = phone.get_by_role("table").first
    expect(table.get_by_role("columnheader", name="Progress")).to_be_visible()
    screenshot(phone, "phone-plan")
    assert page_width(phone) <= PHONE["width"]
    for header in ("Activity", "Due", "Status", "Progress"):
        expect(table.get_by_role("columnheader", name=header, exact=True)).to_be_visible()
    for header in ("Type", "Stage", "Start", "Evaluate"):
        expect(table.get_by_role("columnheader", name=header, exact=True)).to_be_hidden()
    # Every cell shown, in every goal's table, ends inside the screen: none waits behind a sideways scroll.
    edges = right_edges(phone, "table.table-phone-compact tr > :is(th, td):not(.d-none)")
    assert edges
    assert max(edges) <= PHONE["width"]


def timeline_puts_names_above_bars_and_no_toolbar_over_the_chart(phone: Page, live_server) -> None:
    phone.goto(f"{live_server.url}{reverse('plan_timeline')}")
    chart = phone.locator("#plan-timeline[data-layout='narrow']")
    expect(chart).to_be_attached(timeout=LONG)
    screenshot(phone, "phone-timeline")
    assert page_width(phone) <= PHONE["width"]
    names = chart.locator(".annotation-text")
    expect(names.filter(has_text="Train every school PBIS team")).to_be_visible()
    # The axis keeps only a short key, so the bars have most of the width.
    axis = chart.locator(".yaxislayer-above").bounding_box()
    plot = chart.locator(".nsewdrag").first.bounding_box()
    assert axis is not None
    assert plot is not None
    assert axis["width"] < 50
    assert plot["width"] > 0.75 * PHONE["width"]
    expect(chart.locator(".modebar")).to_have_count(0)


def version_history_fits_with_its_version_column_in_view(phone: Page, live_server) -> None:
    process = Process.objects.filter(versions__number=2).first()
    phone.goto(f"{live_server.url}{reverse('process_versions', args=[process.pk])}")
    table = phone.get_by_role("table", name="Versions and decisions")
    expect(table.get_by_role("link", name="Version 1", exact=True)).to_be_visible()
    screenshot(phone, "phone-versions")
    assert page_width(phone) <= PHONE["width"]
    assert (
        max(right_edges(phone, "table.table-phone-compact tr > :is(th, td):not(.d-none)")) <= PHONE["width"]
    )
    first = table.locator("tbody th").first
    assert first.evaluate("e => getComputedStyle(e).position") == "sticky"


def dashboard_fits_and_its_tables_scroll_in_their_own_box(phone: Page, live_server, which: str) -> None:
    if which == "district":
        url = reverse("score_district_dashboard")
    else:
        school = School.objects.get(name="Three Sisters Elementary")
        url = reverse("score_school_dashboard", args=[school.pk])
    phone.goto(f"{live_server.url}{url}")
    charts = phone.locator("[data-chart]")
    expect(charts.first).to_have_attribute("data-chart-drawn", "true", timeout=LONG)
    expect(charts.last).to_have_attribute("data-chart-drawn", "true", timeout=LONG)
    screenshot(phone, f"phone-dashboard-{which}")
    assert page_width(phone) <= PHONE["width"]
    # Wider tables scroll inside their box, the first column staying in view.
    for box in phone.locator(".table-responsive").all():
        overflow = box.evaluate("e => e.scrollWidth > e.clientWidth")
        if overflow:
            first = box.locator("tbody tr > :first-child").first
            assert first.evaluate("e => getComputedStyle(e).position") == "sticky"


def student_group_chart_names_every_group_in_full(phone: Page, live_server) -> None:
    school = School.objects.get(name="Three Sisters Elementary")
    phone.goto(f"{live_server.url}{reverse('score_school_dashboard', args=[school.pk])}")
    figure = phone.get_by_role("heading", name="By student group").locator("xpath=ancestor::section[1]")
    chart = figure.locator("[data-chart]")
    expect(chart).to_have_attribute("data-chart-drawn", "true", timeout=LONG)
    labels = chart.locator(".ytick text")
    expect(labels.first).to_be_visible()
    chart_box = chart.bounding_box()
    assert chart_box is not None
    for label in labels.all():
        box = label.bounding_box()
        assert box is not None
        assert box["x"] >= chart_box["x"] - 1, label.text_content()
    assert page_width(phone) <= PHONE["width"]


def test_coordinators_pages_fit_a_phone(phone: Page, live_server) -> None:
    """One walk, since the demo district takes minutes to seed; each check names what it shows."""
    plan_table_keeps_due_status_and_progress_on_screen(phone, live_server)
    timeline_puts_names_above_bars_and_no_toolbar_over_the_chart(phone, live_server)
    version_history_fits_with_its_version_column_in_view(phone, live_server)
    dashboard_fits_and_its_tables_scroll_in_their_own_box(phone, live_server, "district")
    dashboard_fits_and_its_tables_scroll_in_their_own_box(phone, live_server, "school")
    student_group_chart_names_every_group_in_full(phone, live_server)
