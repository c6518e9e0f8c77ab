"""The coordinator rosters the district from a OneRoster zip on the imports page."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from coordinators.models import Student
from tests.browser.conftest import screenshot
from tests.browser.test_dashboard_district import serious_accessibility_problems
from tests.coordinators.roster_zips import sample_roster

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_coordinator_previews_and_imports_a_roster(side_a, sign_in, live_server, celery_eager, tmp_path):
    upload = tmp_path / "oneroster.zip"
    upload.write_bytes(sample_roster(students_per_school=5).zip())

    page = sign_in(side_a.coordinator.email)
    page.get_by_role("button", name="Data", exact=True).click()
    page.get_by_role("link", name="Imports").click()
    page.get_by_label("What kind of file is it?").select_option("oneroster")
    page.get_by_label("File (CSV or XLSX)").set_input_files(str(upload))
    page.get_by_role("button", name="Upload and check").click()

    expect(page.get_by_text("No problems found.")).to_be_visible(timeout=20_000)
    counts = page.get_by_role("table", name="Rows of the roster per kind of record")
    expect(counts.get_by_role("row", name="Students")).to_contain_text("10")
    screenshot(page, "roster-preview")
    assert serious_accessibility_problems(page, live_server) == []
    assert Student.objects.count() == 0

    page.get_by_role("button", name="Import").click()
    expect(page.get_by_role("progressbar")).to_have_attribute("aria-valuenow", "100", timeout=20_000)
    expect(page.get_by_role("heading", name="What the roster changed")).to_be_visible(timeout=20_000)
    screenshot(page, "roster-done")
    assert Student.objects.filter(district=side_a.district, active=True).count() == 10
    page.context.close()
