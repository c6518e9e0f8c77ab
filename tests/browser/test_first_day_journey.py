"""A new district's first day, end to end, without the Django admin.

The installation's operator creates the district and invites its first coordinator (the email goes
over a real SMTP server on loopback); the coordinator joins, sets the screening windows and the role
rostered teachers are invited in, rosters the district from a OneRoster zip, imports a first
screener file for those students, and sees the tiers on the district dashboard and the home page's
checklist ticked.

With DATABASE_URL on PostgreSQL and CELERY_BROKER_URL on Redis a `celery -A mtss worker` process
sends the email and runs both imports; otherwise the tasks run eagerly in the live server.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import expect

from coordinators.models import District, Invitation, Role, RosterPerson, School, Student, User
from coordinators.roster.samples import sample_roster
from data_reviews.models import StudentResult
from tests.browser.conftest import axe_violations, screenshot
from tests.factories import PASSWORD
from tests.notifications.realparts import SmtpServer, mail_through_worker, services_available

REAL = services_available()
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)] + (
    [pytest.mark.services] if REAL else []
)
DESKTOP = {"width": 1366, "height": 800}
NEW_PASSWORD = "a-long-new-password-9"
COORDINATOR = "cora.lee@cedar.example.org"
SCHOOLS = 3
STUDENTS_PER_SCHOOL = 17
TEACHERS_PER_SCHOOL = 2
# sample_roster numbers the students from 100001 in school order; "School 1" has code S01.
NOT_ROSTERED = "999999"


@pytest.fixture
def smtp(settings, transactional_db) -> Iterator[SmtpServer]:
    with mail_through_worker(settings, name="first-day") as server:
        yield server


def _screener_csv() -> str:
    rows = ["student id,school,grade,subject,window,school year,date,score,percentile,benchmark category"]
    percentiles = [8, 22, 45, 60, 75, 90, 15, 35, 55, 70]
    for n in range(1, 11):
        rows.append(f"{100000 + n},S01,3,Reading,Fall,2025-2026,9/16/2025,{180 + n},{percentiles[n - 1]},")
    rows.append(f"{NOT_ROSTERED},S01,3,Reading,Fall,2025-2026,9/16/2025,201,50,")
    return "\n".join(rows) + "\n"


def test_a_new_district_is_created_configured_rostered_and_imports_its_first_screener_file(
    smtp, sign_in, live_server, tmp_path
):
    User.objects.create_superuser("operator@example.org", PASSWORD, full_name="Olive Operator")

    # The operator lands on the console and creates the district with its first coordinator.
    console = sign_in("operator@example.org")
    expect(console.get_by_role("heading", name="Districts")).to_be_visible()
    console.get_by_role("link", name="New district").click()
    console.get_by_label("District name").fill("Cedar Falls Schools")
    console.get_by_label("Short name (slug)").fill("cedar-falls")
    console.get_by_label("Time zone").select_option("America/Denver")
    console.get_by_label("First coordinator's name").fill("Cora Lee")
    console.get_by_label("First coordinator's email").fill(COORDINATOR)
    console.get_by_role("button", name="Create the district and invite its coordinator").click()
    expect(console.get_by_role("status")).to_contain_text(f"{COORDINATOR} has been invited")
    district = District.objects.get(slug="cedar-falls")

    # The coordinator follows the emailed link, sets a password and signs in.
    (message,) = smtp.mailbox.wait_for(1, timeout=60)
    assert str(message["To"]) == COORDINATOR
    plain = next(
        p.get_payload(decode=True).decode() for p in message.walk() if p.get_content_type() == "text/plain"
    )
    link = re.search(r"https?://\S+/invitations/join/\S+/", plain).group(0)
    page = console.context.browser.new_context(viewport=DESKTOP).new_page()
    page.goto(live_server.url + link[link.index("/invitations/") :])
    page.get_by_label("Your name").fill("Cora Lee")
    page.locator("#id_new_password1").fill(NEW_PASSWORD)
    page.locator("#id_new_password2").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Accept and set my password").click()
    page.get_by_label("Email address").fill(COORDINATOR)
    page.get_by_label("Password").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    checklist = page.get_by_role("region", name="Getting started")
    expect(checklist).to_contain_text("0 of 6 first steps done")
    assert Invitation.objects.get(email=COORDINATOR).status == Invitation.Status.ACCEPTED

    # District settings: the screening windows, and rostered teachers are invited as School staff.
    page.get_by_role("button", name="District").click()
    page.get_by_role("link", name="District settings", exact=True).click()
    expect(page.get_by_role("heading", name="District settings")).to_be_visible()
    for window, dates in (
        ("Fall", ("8", "20", "10", "15")),
        ("Winter", ("1", "6", "2", "15")),
        ("Spring", ("4", "15", "5", "30")),
    ):
        page.get_by_label(f"{window} opens (month)").select_option(dates[0])
        page.get_by_label(f"{window} opens (day)").fill(dates[1])
        page.get_by_label(f"{window} closes (month)").select_option(dates[2])
        page.get_by_label(f"{window} closes (day)").fill(dates[3])
    page.get_by_label("Teachers").select_option(Role.SCHOOL_STAFF.value)
    page.get_by_role("button", name="Save the settings").click()
    expect(page.get_by_role("status")).to_contain_text("The settings are saved.")
    district.refresh_from_db()
    assert district.roster_roles["teacher"] == Role.SCHOOL_STAFF

    # The roster: a preview of what it would change, then the import in the background.
    roster = tmp_path / "oneroster.zip"
    roster.write_bytes(
        sample_roster(
            schools=SCHOOLS, students_per_school=STUDENTS_PER_SCHOOL, teachers_per_school=TEACHERS_PER_SCHOOL
        ).zip()
    )
    students = SCHOOLS * STUDENTS_PER_SCHOOL
    page.get_by_role("button", name="Data", exact=True).click()
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Imports").click()
    page.get_by_label("What kind of file is it?").select_option("oneroster")
    page.get_by_label("File (CSV or XLSX)").set_input_files(str(roster))
    page.get_by_role("button", name="Upload and check").click()
    expect(page.get_by_text("No problems found.")).to_be_visible()
    counts = page.get_by_role("table", name="Rows of the roster per kind of record")
    expect(counts.get_by_role("row", name="Students")).to_contain_text(str(students))
    assert not Student.objects.filter(district=district).exists()
    page.get_by_role("button", name="Import").click()
    expect(page.get_by_role("progressbar")).to_have_attribute("aria-valuenow", "100")
    expect(page.get_by_role("heading", name="What the roster changed")).to_be_visible()
    counts = page.get_by_role("table", name="Rows of the roster per kind of record")
    expect(counts.get_by_role("row", name="Students")).to_contain_text(str(students))
    expect(counts.get_by_role("row", name="Schools")).to_contain_text(str(SCHOOLS))
    screenshot(page, "first-day-roster-done")
    assert Student.objects.filter(district=district, active=True).count() == students
    assert School.objects.filter(district=district).count() == SCHOOLS
    teachers = Invitation.objects.filter(district=district, role=Role.SCHOOL_STAFF)
    assert teachers.count() == SCHOOLS * TEACHERS_PER_SCHOOL
    assert RosterPerson.objects.filter(district=district, roster_role="teacher").count() == teachers.count()

    # The first screener file: its preview says how many results are for students not on the roster.
    screener = tmp_path / "fall_reading.csv"
    screener.write_text(_screener_csv(), encoding="utf-8")
    page.get_by_role("button", name="Data", exact=True).click()
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Imports").click()
    page.get_by_label("What kind of file is it?").select_option("generic")
    page.get_by_label("File (CSV or XLSX)").set_input_files(str(screener))
    page.get_by_role("button", name="Upload and check").click()
    expect(page.get_by_text("No problems found.")).to_be_visible()
    expect(page.locator("main")).to_contain_text("1 result is for students the roster does not list")
    assert axe_violations(page) == []
    page.get_by_role("button", name="Import 11 rows").click()
    expect(page.get_by_role("progressbar")).to_have_attribute("aria-valuenow", "100")
    expect(page.get_by_text("Imported 11 rows: 11 new, 0 changed, 0 unchanged.")).to_be_visible()
    results = StudentResult.objects.filter(district=district)
    assert results.count() == 11
    assert results.filter(rostered_student__isnull=False).count() == 10

    # The district dashboard shows the tiers.
    page.get_by_role("link", name="Open the district dashboard").click()
    expect(page.get_by_role("heading", name="District dashboard")).to_be_visible()
    expect(page.locator("#plain-summary")).to_contain_text("students were at Tier 1")
    expect(page.locator("[data-chart] .main-svg").first).to_be_visible()
    screenshot(page, "first-day-dashboard")

    # Home: settings, schools, people or roster and the first import are ticked.
    page.get_by_role("link", name="Home").first.click()
    checklist = page.get_by_role("region", name="Getting started")
    expect(checklist).to_contain_text("4 of 6 first steps done")
    for step in (
        "Review the district settings",
        "Add your schools",
        "Invite your people or import a roster",
        "Import your first screener file",
    ):
        expect(checklist).to_contain_text(f"Done: {step}")
    assert axe_violations(page) == []
    screenshot(page, "first-day-home")
    page.context.close()
