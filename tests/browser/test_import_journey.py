"""The coordinator imports a screener file; the principal sees only their own school's dashboard."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.db import connection
from django.urls import reverse
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect

from data_reviews.models import StudentResult, TierSnapshot
from tests.browser.conftest import screenshot
from tests.browser.test_dashboard_district import serious_accessibility_problems
from tests.notifications.realparts import SmtpServer, services_available

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FIXTURES = Path(__file__).resolve().parents[1] / "data_reviews" / "fixtures"


def test_coordinator_imports_and_principal_sees_only_their_school(
    side_a, sign_in, live_server, celery_eager, tmp_path
):
    data = (
        (FIXTURES / "generic_long.csv")
        .read_bytes()
        .replace(b"5003,A Lakeside Elementary", b"5003,Lakeside Elem")
    ) + b"5005,A Riverside High School,9,Math,Winter,2025-2026,1/12/2026,70,60,,Mr. Fox\n"
    upload = tmp_path / "winter_screening.csv"
    upload.write_bytes(data)

    page = sign_in(side_a.coordinator.email)
    page.get_by_role("button", name="Data", exact=True).click()
    page.get_by_role("link", name="Imports").click()
    page.get_by_label("What kind of file is it?").select_option("generic")
    page.get_by_label("File (CSV or XLSX)").set_input_files(str(upload))
    page.get_by_role("button", name="Upload and check").click()

    expect(page.get_by_text("School “Lakeside Elem” matched nothing: 1 row")).to_be_visible()
    page.get_by_text("Show problem rows one by one").click()
    problems = page.get_by_role("table", name="Every row that stops the import")
    expect(problems.locator("tbody tr")).to_have_count(2)
    expect(problems).to_contain_text("Lakeside Elem")
    expect(problems).to_contain_text("This school matches no school in the district.")
    screenshot(page, "import-preview-problem")
    assert serious_accessibility_problems(page, live_server) == []

    # The misspelt name has its likely school chosen already; the other school is not in the district yet.
    expect(page.get_by_label("School “Lakeside Elem” means")).to_have_value(str(side_a.school.pk))
    expect(page.get_by_label("School “A Riverside High School” means")).to_have_value("")
    page.get_by_text("Add a school that is missing").click()
    page.get_by_label("For the name in the file").select_option("A Riverside High School")
    page.get_by_role("textbox", name="School name").fill("A Riverside High")
    page.get_by_label("Building code").fill("A09")
    page.get_by_label("Level").select_option("high")
    page.get_by_label("Grades served").fill("9-12")
    page.get_by_role("button", name="Add the school and check again").click()
    expect(page.get_by_text("A Riverside High was added to the district")).to_be_visible()

    page.get_by_role("button", name="Use all 1 suggestion and check again").click()
    expect(page.get_by_text("No problems found.")).to_be_visible()
    page.get_by_role("button", name="Import 5 rows").click()

    expect(page.get_by_role("progressbar")).to_have_attribute("aria-valuenow", "100")
    expect(page.get_by_text("Imported 5 rows: 5 new, 0 changed, 0 unchanged.")).to_be_visible()
    screenshot(page, "import-done")
    assert StudentResult.objects.filter(district=side_a.district).count() == 5
    assert StudentResult.objects.filter(school__code="A09").count() == 1

    page.get_by_role("link", name="Open the district dashboard").click()
    expect(page.get_by_role("heading", name="District dashboard")).to_be_visible()
    expect(page.locator("#plain-summary")).to_contain_text("students were at Tier 1")
    expect(page.locator("[data-chart] .main-svg").first).to_be_visible()
    screenshot(page, "district-dashboard")
    page.context.close()

    principal = sign_in(side_a.site_admin.email)
    expect(principal.locator("main")).to_contain_text(f"{side_a.school.name} students were at Tier 1")
    principal.get_by_role("link", name=f"Open the {side_a.school.name} dashboard").click()
    expect(principal.get_by_role("heading", level=1)).to_have_text(side_a.school.name)
    # The newest window with results (winter, math only), not reading's older fall window.
    expect(principal.locator("#plain-summary")).to_contain_text(
        "In winter, 100% of A Lakeside Elementary students were at Tier 1 in math"
    )
    expect(principal.get_by_role("link", name="Dashboards")).to_have_count(0)
    screenshot(principal, "school-dashboard-principal")
    assert serious_accessibility_problems(principal, live_server) == []

    response = principal.goto(
        live_server.url + reverse("score_school_dashboard", args=[side_a.other_school.pk])
    )
    assert response.status == 404


@pytest.mark.services
@pytest.mark.skipif(
    not services_available(), reason="needs the real PostgreSQL, Redis and worker; CI always runs it"
)
def test_the_progress_bar_shows_the_stages_of_a_real_workers_import(side_a, sign_in, live_server, tmp_path):
    """The worker saves every row in one transaction; the bar on the page still moves through it.

    Working out tiers can take less than one of the page's polls, so the test holds it there: another
    connection locks the tier snapshots against writes until the page has shown a stage inside the
    write (the stage is written outside the import's transaction, so it shows while the write waits).
    """
    from tests.data_reviews.test_import_progress import long_file
    from tests.data_reviews.test_import_worker import start_worker

    upload = tmp_path / "district_fall.csv"
    upload.write_bytes(long_file(100_000))
    with SmtpServer() as smtp:
        worker = start_worker(smtp)
        try:
            page = sign_in(side_a.coordinator.email)
            page.goto(live_server.url + reverse("score_import_list"))
            page.get_by_label("What kind of file is it?").select_option("generic")
            page.get_by_label("File (CSV or XLSX)").set_input_files(str(upload))
            page.get_by_role("button", name="Upload and check").click()
            expect(page.get_by_text("No problems found.")).to_be_visible(timeout=180_000)
            with snapshots_held():
                page.get_by_role("button", name="Import 100000 rows").click()
                seen = bar_values(page, timeout=240, until=lambda value: 40 < value < 100)
            seen += bar_values(page, timeout=240)
        finally:
            worker.stop()
    # Past "Saving results" (40%) and short of done: a stage written inside the write transaction.
    assert any(40 < value < 100 for value in seen), seen
    assert seen[-1] == 100
    expect(page.get_by_text("Imported 100000 rows: 100,000 new, 0 changed, 0 unchanged.")).to_be_visible()
    assert StudentResult.objects.filter(district=side_a.district).count() == 100_000


@contextmanager
def snapshots_held() -> Iterator[None]:
    """Another connection keeps every write to the tier snapshots waiting, until the block ends."""
    import psycopg2

    db = connection.settings_dict
    held = psycopg2.connect(
        dbname=db["NAME"], user=db["USER"], host=db["HOST"], port=db["PORT"], password=db["PASSWORD"]
    )
    try:
        with held.cursor() as cursor:
            cursor.execute(f"LOCK TABLE {TierSnapshot._meta.db_table} IN EXCLUSIVE MODE")
        yield
    finally:
        held.rollback()
        held.close()


def bar_values(
    page, *, timeout: float, until: Callable[[int], bool] = lambda value: value == 100
) -> list[int]:
    """The values the progress bar shows, as the page's own polling changes them, until one is `until`."""
    seen: list[int] = []
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and (not seen or not until(seen[-1])):
        try:
            value = int(page.get_by_role("progressbar").get_attribute("aria-valuenow", timeout=5_000) or 0)
        except PlaywrightError:
            continue  # the page reloads itself when the import ends
        if not seen or seen[-1] != value:
            seen.append(value)
            if 40 < value < 100:
                screenshot(page, f"import-progress-{value}")
        page.wait_for_timeout(100)
    return seen
