from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_each_role_signs_in_and_sees_home(side_a, sign_in, live_server):
    for user, role_label in [
        (side_a.coordinator, "District Coordinator"),
        (side_a.leader, "Executive Leader"),
        (side_a.member, "DIT Member"),
        (side_a.site_admin, "Site Admin"),
    ]:
        page = sign_in(user.email)
        expect(page.get_by_role("heading", level=1)).to_contain_text("Good to see you")
        expect(page.locator("main")).to_contain_text(role_label)
        expect(page.locator("main")).to_contain_text(side_a.district.name)
        screenshot(page, f"home-{user.email}")
        page.context.close()


def test_wrong_password_shows_clear_message(side_a, sign_in):
    page = sign_in(side_a.coordinator.email, password="not-the-password")
    expect(page.get_by_role("alert")).to_contain_text("That email address and password do not match")
    expect(page.get_by_label("Email address")).to_have_value(side_a.coordinator.email)
