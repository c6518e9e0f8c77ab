"""The operator creates a district; its first coordinator gets the invitation by email (a real SMTP
server on loopback), joins, and changes a screening window on the District settings page. Then the
operator suspends the district and its coordinator sees that access is paused.

With DATABASE_URL on PostgreSQL and CELERY_BROKER_URL on Redis a `celery -A mtss worker` process
sends the email; otherwise the tasks run eagerly in the live server (the mail still goes over SMTP).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import expect

from coordinators.models import District, Invitation, User
from data_reviews.models import ScreeningWindow
from tests.browser.conftest import axe_violations
from tests.factories import PASSWORD
from tests.notifications.realparts import SmtpServer, mail_through_worker, services_available

REAL = services_available()
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)] + (
    [pytest.mark.services] if REAL else []
)
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 800}
SHOTS = Path("/tmp/admin-screens")
NEW_PASSWORD = "a-long-new-password-9"


@pytest.fixture
def smtp(settings, transactional_db) -> Iterator[SmtpServer]:
    with mail_through_worker(settings, name="operator") as server:
        yield server


def _shoot(page, name: str) -> None:
    SHOTS.mkdir(exist_ok=True)
    for size, suffix in ((DESKTOP, "1366"), (PHONE, "390")):
        page.set_viewport_size(size)
        page.screenshot(path=str(SHOTS / f"{name}-{suffix}.png"), full_page=True)
    page.set_viewport_size(DESKTOP)


def test_operator_creates_a_district_whose_coordinator_joins_and_sets_a_screening_window(
    side_a, smtp, sign_in, live_server, settings
):
    settings.OPERATOR_CONTACT = "help@tac.example.org"
    User.objects.create_superuser("operator@example.org", PASSWORD, full_name="Olive Operator")
    console = sign_in("operator@example.org")
    expect(console.get_by_role("heading", name="Districts")).to_be_visible()
    expect(console.locator("main")).to_contain_text(side_a.district.name)
    assert not axe_violations(console)

    console.get_by_role("link", name="New district").click()
    console.get_by_label("District name").fill("Cedar Falls Schools")
    console.get_by_label("Short name (slug)").fill("cedar-falls")
    console.get_by_label("Time zone").select_option("America/Denver")
    console.get_by_label("First coordinator's name").fill("Cora Lee")
    console.get_by_label("First coordinator's email").fill("cora.lee@cedar.example.org")
    console.get_by_role("button", name="Create the district and invite its coordinator").click()
    expect(console.get_by_role("status")).to_contain_text("cora.lee@cedar.example.org has been invited")
    expect(console.locator("tbody")).to_contain_text("Cedar Falls Schools")
    _shoot(console, "operator-console")

    (message,) = smtp.mailbox.wait_for(1, timeout=60)
    assert str(message["To"]) == "cora.lee@cedar.example.org"
    assert "Cedar Falls Schools" in message["Subject"]
    plain = next(
        p.get_payload(decode=True).decode() for p in message.walk() if p.get_content_type() == "text/plain"
    )
    link = re.search(r"https?://\S+/invitations/join/\S+/", plain).group(0)

    coordinator = console.context.browser.new_context(viewport=DESKTOP).new_page()
    coordinator.goto(live_server.url + link[link.index("/invitations/") :])
    coordinator.get_by_label("Your name").fill("Cora Lee")
    coordinator.locator("#id_new_password1").fill(NEW_PASSWORD)
    coordinator.locator("#id_new_password2").fill(NEW_PASSWORD)
    coordinator.get_by_role("button", name="Accept and set my password").click()
    coordinator.get_by_label("Email address").fill("cora.lee@cedar.example.org")
    coordinator.get_by_label("Password").fill(NEW_PASSWORD)
    coordinator.get_by_role("button", name="Sign in").click()
    assert Invitation.objects.get(email="cora.lee@cedar.example.org").status == Invitation.Status.ACCEPTED

    coordinator.get_by_role("button", name="District").click()
    coordinator.get_by_role("link", name="District settings", exact=True).click()
    expect(coordinator.get_by_role("heading", name="District settings")).to_be_visible()
    for window, dates in (
        ("Fall", ("9", "1", "10", "15")),
        ("Winter", ("1", "20", "3", "15")),
        ("Spring", ("4", "15", "5", "30")),
    ):
        coordinator.get_by_label(f"{window} opens (month)").select_option(dates[0])
        coordinator.get_by_label(f"{window} opens (day)").fill(dates[1])
        coordinator.get_by_label(f"{window} closes (month)").select_option(dates[2])
        coordinator.get_by_label(f"{window} closes (day)").fill(dates[3])
    coordinator.get_by_role("button", name="Save the settings").click()
    expect(coordinator.get_by_role("status")).to_contain_text("The settings are saved.")
    expect(coordinator.get_by_label("Winter opens (day)")).to_have_value("20")
    district = District.objects.get(slug="cedar-falls")
    winter = ScreeningWindow.objects.get(district=district, window="winter")
    assert (winter.opens_month, winter.opens_day) == (1, 20)
    assert not axe_violations(coordinator)
    _shoot(coordinator, "district-settings")

    # The operator suspends the district (after a confirmation); its coordinator's pages pause.
    console.goto(f"{live_server.url}/operator/districts/")
    console.get_by_role("link", name="Suspend Cedar Falls Schools").click()
    console.get_by_role("button", name="Suspend Cedar Falls Schools").click()
    expect(console.get_by_role("status")).to_contain_text("Cedar Falls Schools is suspended")
    expect(console.get_by_role("button", name="Reactivate Cedar Falls Schools")).to_be_visible()
    assert not axe_violations(console)
    _shoot(console, "operator-console-suspended")
    coordinator.reload()
    expect(coordinator.get_by_role("heading", name="Your district's access is paused")).to_be_visible()
    expect(coordinator.locator("main")).to_contain_text("help@tac.example.org")
    _shoot(coordinator, "district-paused")
