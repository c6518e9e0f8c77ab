"""A teacher signs in and finds their school and classes, on a laptop and on a phone; the top bar
offers only what they may open, and both pages pass axe-core."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from coordinators.models import Enrollment, RosterClass, RosterPerson, Student
from tests.browser.conftest import axe_violations, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _classes(side) -> None:
    teacher = RosterPerson.objects.create(
        district=side.district, sourced_id="t", roster_role="teacher", person=side.school_staff
    )
    for title, size in (("Grade 2 Reading, Room 14", 18), ("Grade 2 Math, Room 14", 12)):
        roster_class = RosterClass.objects.create(
            district=side.district, sourced_id=title, title=title, school=side.school, grades="2"
        )
        Enrollment.objects.create(
            district=side.district,
            sourced_id=f"{title} t",
            roster_class=roster_class,
            staff=teacher,
            role="teacher",
        )
        for n in range(size):
            student, _ = Student.objects.get_or_create(
                district=side.district,
                student_number=f"S{n}",
                defaults={"first_name": "S", "last_name": str(n)},
            )
            Enrollment.objects.create(
                district=side.district,
                sourced_id=f"{title} {n}",
                roster_class=roster_class,
                student=student,
                role="student",
            )


def test_teacher_sees_their_school_and_classes_on_a_laptop_and_a_phone(side_a, sign_in, live_server):
    _classes(side_a)
    page = sign_in(side_a.school_staff.email)
    main = page.locator("main")
    expect(main.get_by_role("heading", name="Your school")).to_be_visible()
    expect(main).to_contain_text(side_a.school.name)
    classes = main.get_by_role("table", name="Your classes from the roster")
    expect(classes.get_by_role("row", name="Grade 2 Reading, Room 14")).to_contain_text("18")
    expect(classes.get_by_role("row", name="Grade 2 Math, Room 14")).to_contain_text("12")
    nav = page.locator("#main-nav a.nav-link, #main-nav a.dropdown-item")
    assert nav.evaluate_all("els => els.map(e => e.getAttribute('href'))") == [
        "/",
        "/students/",
        "/updates/",
        "/notifications/",
        "/profile/",
        "/accounts/password_change/",
    ]
    expect(page.get_by_role("search")).to_have_count(0)
    assert axe_violations(page) == []
    screenshot(page, "home-school-staff")

    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    expect(classes.get_by_role("row", name="Grade 2 Math, Room 14")).to_be_in_viewport()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(page, "home-school-staff-phone")

    page.get_by_role("button", name="Show navigation").click()
    page.get_by_role("link", name="Updates", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Monthly MTSS updates")
    expect(main).to_contain_text("No update has been sent to your school's staff yet.")
    assert axe_violations(page) == []
