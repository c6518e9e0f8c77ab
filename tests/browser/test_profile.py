"""A person chooses the name they go by from the menu under their name, and is greeted by it."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_doctor_is_greeted_by_first_name_and_then_by_the_name_she_chose(side_a, sign_in):
    side_a.leader.full_name = "Dr. Ana Ortiz"
    side_a.leader.save()
    page = sign_in(side_a.leader.email)
    expect(page.get_by_role("heading", level=1)).to_have_text("Good to see you, Ana")

    menu = page.get_by_role("button", name="your account")
    expect(menu).to_have_text("Ana: your account")
    menu.click()
    expect(page.locator("#person-menu + .dropdown-menu")).to_contain_text("Dr. Ana Ortiz")
    page.get_by_role("link", name="Your profile").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your profile")
    assert axe_violations(page) == []
    page.get_by_label("Name you go by").fill("Annie")
    page.get_by_role("button", name="Save my profile").click()
    expect(page.get_by_role("status")).to_contain_text("Greetings now say Annie")

    page.get_by_role("link", name="Home").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Good to see you, Annie")
    expect(page.get_by_role("button", name="your account")).to_have_text("Annie: your account")
