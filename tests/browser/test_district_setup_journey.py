"""The coordinator of an empty district adds a school, invites two people from a CSV after a preview,
and sees the home page's checklist tick."""

from __future__ import annotations

import os

import pytest
from playwright.sync_api import Page, expect

from coordinators.models import Invitation, Role, School
from tests.browser.conftest import axe_violations
from tests.factories import DistrictFactory, MembershipFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 800}


def look(page: Page, name: str) -> None:
    """Screenshots at desktop and phone widths under /tmp when MTSS_SCREENSHOTS=1 (to look at)."""
    if os.environ.get("MTSS_SCREENSHOTS") != "1":
        return
    for label, size in (("desktop", DESKTOP), ("phone", PHONE)):
        page.set_viewport_size(size)
        page.screenshot(path=f"/tmp/schools-{name}-{label}.png", full_page=True)
    page.set_viewport_size(DESKTOP)


def test_coordinator_of_an_empty_district_sets_it_up_and_the_checklist_ticks(sign_in, tmp_path):
    district = DistrictFactory(name="Cedar Falls", slug="cedar-falls")
    user = UserFactory(email="cora@cedar.example.org", full_name="Cora Lind")
    MembershipFactory(user=user, district=district, role=Role.COORDINATOR)
    page = sign_in(user.email)

    checklist = page.get_by_role("region", name="Getting started")
    expect(checklist).to_contain_text("0 of 6 first steps done")
    assert axe_violations(page) == []
    look(page, "home-empty")

    checklist.get_by_role("link", name="Add a school").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Add a school to Cedar Falls")
    page.get_by_label("School name").fill("Maple Grove Elementary")
    page.get_by_label("Building code").fill("MGE")
    page.get_by_label("State school id").fill("41-0012")
    page.get_by_label("Level").select_option("elementary")
    page.get_by_label("Grades served").fill("K-5")
    assert axe_violations(page) == []
    look(page, "school-add")
    page.get_by_role("button", name="Add the school").click()
    expect(page.get_by_role("status")).to_contain_text("Maple Grove Elementary was added")
    expect(page.get_by_role("link", name="Edit Maple Grove Elementary")).to_be_visible()
    look(page, "school-list")

    page.goto(page.url.split("/schools/")[0] + "/people/")
    page.get_by_role("link", name="Invite from a file").click()
    staff = tmp_path / "staff.csv"
    staff.write_text(
        "email,name,role,schools\n"
        "rosa.delgado@cedar.example.org,Rosa Delgado,Site Admin,MGE\n"
        "sam.lee@cedar.example.org,Sam Lee,DIT Member,\n",
        encoding="utf-8",
    )
    page.get_by_label("Staff list (CSV)").set_input_files(str(staff))
    page.get_by_role("button", name="Check the file").click()
    preview = page.get_by_role("table", name="Each row of the file and what sending it would do")
    expect(preview).to_contain_text("rosa.delgado@cedar.example.org")
    expect(preview).to_contain_text("Maple Grove Elementary")
    expect(preview.get_by_text("Will be invited")).to_have_count(2)
    assert not Invitation.objects.filter(district=district).exists()
    assert axe_violations(page) == []
    look(page, "people-preview")
    page.get_by_role("button", name="Send 2 invitations").click()
    expect(page.get_by_role("status")).to_contain_text("2 invitations sent.")
    assert Invitation.objects.filter(district=district, status=Invitation.Status.PENDING).count() == 2

    page.get_by_role("link", name="Home").first.click()
    checklist = page.get_by_role("region", name="Getting started")
    expect(checklist).to_contain_text("2 of 6 first steps done")
    expect(checklist).to_contain_text("Done: Add your schools")
    expect(checklist).to_contain_text("Done: Invite your people or import a roster")
    expect(checklist.get_by_role("link", name="Import screener data")).to_be_visible()
    assert School.objects.get(district=district).state_id == "41-0012"
    look(page, "home-ticked")
