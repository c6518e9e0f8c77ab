"""A principal opens the Tier 3 count on their school's dashboard, sees those students, opens one,
and the district's audit trail shows the look. The list and the record are looked at on a laptop
and a phone (screenshots with MTSS_SCREENSHOTS=1)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from coordinators.models import Student
from data_reviews.models import StudentResult
from data_reviews.scores import services as score_services
from tests.browser.conftest import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WAIT = 20_000


def _students(side) -> Student:
    first = None
    for n, (name, tiers) in enumerate([("Maya Ortiz", (2, 3)), ("Leo Park", (1, 1)), ("Ines Diaz", (3, 3))]):
        given, family = name.split()
        student = Student.objects.create(
            district=side.district,
            student_number=f"10{n}",
            first_name=given,
            last_name=family,
            grade="2",
            school=side.school,
            english_learner=n == 0,
        )
        first = first or student
        for window, tier in zip(("fall", "winter"), tiers, strict=True):
            StudentResult.objects.create(
                district=side.district,
                school=side.school,
                student_id=student.student_number,
                grade="2",
                subject="reading",
                school_year=2025,
                window=window,
                tier=tier,
                percentile={1: 60, 2: 25, 3: 6}[tier],
                measure="Acadience",
                rostered_student=student,
            )
    score_services.snapshots_recompute(district_id=side.district.pk)
    assert first is not None
    return first


def test_principal_opens_the_tier_3_count_and_a_student_and_the_look_is_audited(side_a, sign_in, live_server):
    maya = _students(side_a)
    page = sign_in(side_a.site_admin.email)
    page.set_viewport_size({"width": 1366, "height": 800})
    page.goto(f"{live_server.url}/data/schools/{side_a.school.pk}/?subject=reading")
    triangle = page.get_by_role(
        "region", name=f"{side_a.school.name}: tiers against the healthy triangle (table)"
    )
    triangle.get_by_role("link", name="2 (list the students)").click()
    expect(page.get_by_role("heading", level=1, name="Students")).to_be_visible(timeout=WAIT)
    main = page.locator("main")
    expect(main).to_contain_text("2 students at Tier 3 in reading, Winter 2025-26", timeout=WAIT)
    expect(main).to_contain_text("Ortiz, Maya")
    expect(main).to_contain_text("Diaz, Ines")
    expect(main).not_to_contain_text("Park, Leo")
    screenshot(page, "students-list-laptop")
    page.screenshot(path="/tmp/students-list-1366.png", full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path="/tmp/students-list-390.png", full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

    page.get_by_role("link", name="Ortiz, Maya").click()
    expect(page.get_by_role("heading", level=1, name="Maya Ortiz")).to_be_visible(timeout=WAIT)
    expect(main).to_contain_text("English learners")
    expect(main).to_contain_text("Intervention plans")
    page.screenshot(path="/tmp/students-profile-390.png", full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.set_viewport_size({"width": 1366, "height": 800})
    page.screenshot(path="/tmp/students-profile-1366.png", full_page=True)

    leader = sign_in(side_a.leader.email)
    leader.goto(f"{live_server.url}/audit/")
    trail = leader.get_by_role("region", name="Audit events (table)")
    row = trail.locator("tr", has_text="Opened a student's record")
    expect(row).to_have_count(1, timeout=WAIT)
    expect(row).to_contain_text(side_a.site_admin.full_name)
    expect(row).to_contain_text(maya.full_name)
