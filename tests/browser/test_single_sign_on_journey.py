"""A teacher signs in through a real OpenID Connect provider's own sign-in page, end to end."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import expect

from coordinators.models import Invitation, Role, User
from coordinators.services import invitation_accept, person_invite
from mtss.audit.models import AuditEvent
from tests import oidc
from tests.browser.conftest import axe_violations, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def provider(live_server: Any, settings: Any) -> Iterator[oidc.LoopbackProvider]:
    callback = f"{live_server.url}/accounts/oidc/{oidc.PROVIDER_ID}/login/callback/"
    for running in oidc.running_provider([callback]):
        settings.SOCIALACCOUNT_PROVIDERS = running.app_settings()
        # As mtss/settings.py does for a configured issuer: the sign-in form may lead there.
        settings.SECURE_CSP = {
            **settings.SECURE_CSP,
            "form-action": [*settings.SECURE_CSP["form-action"], running.issuer],
        }
        yield running


@pytest.fixture
def teacher(side_a: Any) -> User:
    """Invited by district A's coordinator and accepted: no password, only the provider's account."""
    invitation = person_invite(
        member=side_a.membership(side_a.coordinator),
        email=oidc.TEACHER,
        full_name="Terry Lee",
        role=Role.MEMBER,
    )
    person = User.objects.get(email=oidc.TEACHER)
    invitation_accept(invitation=invitation, person=person)
    assert Invitation.objects.get(pk=invitation.pk).status == Invitation.Status.ACCEPTED
    assert not person.has_usable_password()
    return person


def test_a_teacher_signs_in_through_the_districts_provider_and_lands_on_home(
    provider, teacher, side_a, new_page, live_server
):
    page = new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    button = page.get_by_role("button", name=f"Sign in with {oidc.PROVIDER_NAME}")
    expect(button).to_be_visible()
    assert axe_violations(page) == []
    button.click()

    expect(page.get_by_role("heading", name="Test provider")).to_be_visible()
    assert page.url.startswith(provider.issuer)
    page.get_by_label("Email").fill(oidc.TEACHER)
    page.get_by_label("Password").fill(oidc.ACCOUNT_PASSWORD)
    page.get_by_role("button", name="Sign in to the test provider").click()

    expect(page.get_by_role("heading", level=1)).to_contain_text("Good to see you, Terry")
    expect(page.locator("main")).to_contain_text(side_a.district.name)
    assert page.url == f"{live_server.url}/"
    screenshot(page, "single-sign-on-home")
    event = AuditEvent.objects.filter(action="login").latest("id")
    assert (event.actor, event.outcome, event.district) == (teacher, "success", side_a.district)
    assert event.detail == {"method": oidc.PROVIDER_NAME}


def test_someone_the_district_does_not_know_is_told_to_ask_the_coordinator(
    provider, side_a, new_page, live_server
):
    page = new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_role("button", name=f"Sign in with {oidc.PROVIDER_NAME}").click()
    page.get_by_label("Email").fill(oidc.STRANGER)
    page.get_by_label("Password").fill(oidc.ACCOUNT_PASSWORD)
    page.get_by_role("button", name="Sign in to the test provider").click()

    expect(page.get_by_role("alert")).to_contain_text("Ask your district coordinator")
    expect(page.get_by_role("heading", level=1)).to_contain_text(
        f"You cannot sign in with {oidc.PROVIDER_NAME}"
    )
    assert axe_violations(page) == []
    page.goto(f"{live_server.url}/")
    expect(page).to_have_url(f"{live_server.url}/accounts/login/?next=/")
