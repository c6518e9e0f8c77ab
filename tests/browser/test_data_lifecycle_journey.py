"""The coordinator exports the district's data and deletes one student's screener results."""

from __future__ import annotations

import zipfile

import pytest
from playwright.sync_api import expect

from data_reviews.models import StudentResult
from tests.browser.conftest import screenshot
from tests.browser.test_dashboard_district import serious_accessibility_problems
from tests.data_reviews.score_factories import StudentResultFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_coordinator_exports_the_district_and_deletes_a_students_records(
    side_a, sign_in, live_server, celery_eager
):
    for window in ("fall", "winter"):
        StudentResultFactory(school=side_a.school, student_id="S-77", window=window)
        StudentResultFactory(school=side_a.school, student_id="S-78", window=window)

    page = sign_in(side_a.coordinator.email)
    page.get_by_role("button", name="District", exact=True).click()
    page.get_by_role("link", name="Export the district's data").click()
    page.get_by_role("button", name="Export everything").click()
    progress = page.get_by_role("progressbar").first
    expect(progress).to_have_attribute("aria-valuenow", "100")
    expect(page.get_by_text("Ready to download").first).to_be_visible()
    screenshot(page, "district-export-ready")
    assert serious_accessibility_problems(page, live_server) == []
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download the zip").first.click()
    with zipfile.ZipFile(download_info.value.path()) as archive:
        results = archive.read("data_reviews/student_results.csv").decode("utf-8-sig")
    assert "S-77" in results

    page.get_by_role("button", name="Data", exact=True).click()
    page.get_by_role("link", name="Delete a student's records").click()
    page.get_by_label("Student id").fill("S-77")
    page.get_by_role("button", name="Show what would be deleted").click()
    expect(page.get_by_role("alert")).to_contain_text("2 screener results")
    assert serious_accessibility_problems(page, live_server) == []
    screenshot(page, "student-records-confirm")
    page.get_by_role("button", name="Delete these 2 records").click()
    expect(page.get_by_text("2 screener results of that student were deleted")).to_be_visible()
    assert not StudentResult.objects.filter(student_id="S-77").exists()
    assert StudentResult.objects.filter(student_id="S-78").count() == 2
