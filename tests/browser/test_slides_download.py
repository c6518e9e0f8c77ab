"""The leader downloads the district dashboard as slides and the deck opens."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect
from pptx import Presentation
from pptx.enum.shapes import MSO_SHAPE_TYPE

from tests.browser.conftest import screenshot
from tests.browser.test_dashboard_district import serious_accessibility_problems
from tests.data_reviews.score_factories import TierSnapshotFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_leader_downloads_the_district_dashboard_as_slides(side_a, sign_in, live_server, celery_eager):
    TierSnapshotFactory(school=side_a.school, window="winter", tier1=45, tier2=4, tier3=1)
    TierSnapshotFactory(school=side_a.other_school, window="winter", tier1=30, tier2=10, tier3=10)
    TierSnapshotFactory(school=side_a.school, window="winter", subject="math", tier1=35, tier2=10, tier3=5)
    page = sign_in(side_a.leader.email)
    page.goto(f"{live_server.url}/data/?subject=math")
    # The task runs in the server's request here (eagerly), so the click waits for the drawing.
    page.get_by_role("button", name="Download as slides").click(timeout=120_000)
    expect(page.get_by_role("heading", level=1)).to_have_text("Slides of District A")
    expect(page.get_by_role("progressbar")).to_have_attribute("aria-valuenow", "100", timeout=60_000)
    expect(page.get_by_role("status")).to_contain_text("Ready to download")
    screenshot(page, "slides-ready")
    assert serious_accessibility_problems(page, live_server) == []
    with page.expect_download(timeout=30_000) as download_info:
        page.get_by_role("link", name="Download the slides").click()
    download = download_info.value
    assert download.suggested_filename == "district-a-winter-2025-26-slides.pptx"
    presentation = Presentation(download.path())
    titles = [slide.shapes.title.text for slide in presentation.slides]
    # The subject chosen on the dashboard comes first, then the other subjects tested that window.
    assert titles == [
        "District A",
        "Math, Winter 2025-26: tiers against the healthy triangle",
        "All schools, math, Winter 2025-26",
        "Tiers in math across windows",
        "Reading, Winter 2025-26: tiers against the healthy triangle",
        "All schools, reading, Winter 2025-26",
        "Tiers in reading across windows",
    ]
    charts = [
        [shape for shape in slide.shapes if shape.shape_type == MSO_SHAPE_TYPE.PICTURE]
        for slide in list(presentation.slides)[1:]
    ]
    assert [len(found) for found in charts] == [1] * 6
    page.get_by_role("link", name="District dashboard").click()
    expect(page.get_by_label("Subject")).to_have_value("math")
