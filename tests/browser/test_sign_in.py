from __future__ import annotations

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from coordinators.models import Role
from coordinators.services import person_invite
from mtss.notifications.delivery import deliver_inline, notifications_sweep_due
from tests.browser.conftest import axe_violations, screenshot

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


def test_invited_person_follows_the_emailed_link_sets_a_password_and_joins(
    side_a, sign_in, new_page, live_server
):
    coordinator = sign_in(side_a.coordinator.email)
    coordinator.goto(f"{live_server.url}/people/invite/")
    coordinator.get_by_label("Full name").fill("Rosa Delgado")
    coordinator.get_by_label("Email address").fill("rosa.delgado@example.org")
    coordinator.get_by_label("Role in this district").select_option(label="DIT Member")
    coordinator.get_by_role("button", name="Send invitation").click()
    expect(coordinator.get_by_role("status")).to_contain_text("Invitation sent to rosa.delgado@example.org")
    expect(coordinator.locator("main")).to_contain_text("Waiting for the person to accept")

    mail.outbox.clear()
    notifications_sweep_due(dispatch=deliver_inline)
    (email,) = [m for m in mail.outbox if m.to == ["rosa.delgado@example.org"]]
    link = re.search(r"https?://\S+/invitations/join/\S+/", email.body).group(0)
    path = link[link.index("/invitations/") :]

    page = new_page()
    page.goto(f"{live_server.url}{path}")
    expect(page.get_by_role("heading", level=1)).to_contain_text(f"Join {side_a.district.name}")
    assert axe_violations(page) == []
    page.get_by_label("Your name").fill("Rosa M. Delgado")
    page.locator("#id_new_password1").fill("a-long-new-pass-77")
    page.locator("#id_new_password2").fill("a-long-new-pass-77")
    page.get_by_role("button", name="Accept and set my password").click()
    expect(page.get_by_role("status")).to_contain_text("Your password is set")
    page.get_by_label("Email address").fill("rosa.delgado@example.org")
    page.get_by_label("Password").fill("a-long-new-pass-77")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Good to see you, Rosa")
    expect(page.locator("main")).to_contain_text(side_a.district.name)


def test_existing_account_accepts_an_invitation_after_signing_in(side_a, side_b, sign_in):
    person_invite(
        member=side_b.membership(side_b.coordinator),
        email=side_a.member.email,
        full_name="Typed by B",
        role=Role.MEMBER,
    )
    page = sign_in(side_a.member.email)
    expect(page.locator("main")).to_contain_text(side_a.district.name)
    expect(page.locator("main")).to_contain_text("Invitations waiting for your answer")
    page.get_by_role("link", name="Accept or decline").click()
    expect(page.get_by_role("heading", level=2)).to_contain_text(side_b.district.name)
    assert axe_violations(page) == []
    page.get_by_role("button", name="Accept").click()
    expect(page.get_by_role("status")).to_contain_text(f"Welcome to {side_b.district.name}")
    expect(page.locator("main")).to_contain_text(side_b.district.name)
    expect(page.locator("main")).to_contain_text("DIT Member")


def test_leader_confirms_a_new_coordinator_on_the_people_page(side_a, sign_in, live_server):
    person_invite(
        member=side_a.membership(side_a.coordinator),
        email="second.coordinator@example.org",
        full_name="Second Coordinator",
        role=Role.COORDINATOR,
    )
    page = sign_in(side_a.leader.email)
    page.goto(f"{live_server.url}/people/")
    confirmation = page.get_by_role("region", name="Waiting for your confirmation")
    expect(confirmation).to_contain_text("second.coordinator@example.org")
    assert axe_violations(page) == []
    confirmation.get_by_role("button", name="Confirm second.coordinator@example.org", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text("on its way to second.coordinator@example.org")
    expect(page.get_by_role("region", name="Waiting for your confirmation")).to_have_count(0)
    expect(page.locator("main")).to_contain_text("Waiting for the person to accept")
