"""A teacher signs in through a real OpenID Connect provider's own sign-in page, end to end: one
invited by hand, and one who came from the district's roster and sees their roster classes."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import expect

from coordinators.models import Invitation, Role, RosterPerson, User
from coordinators.roster.samples import sample_roster
from coordinators.roster.services import roster_import
from coordinators.services import invitation_accept, person_invite
from mtss.audit.models import AuditEvent
from tests import oidc
from tests.browser.conftest import axe_violations, screenshot
from tests.coordinators.roster_zips import upload

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


@pytest.fixture
def rostered_teacher(side_a: Any) -> User:
    """A teacher of district A's roster, invited as School staff by the roster import (the district
    invites rostered teachers in that role) and accepted: no password, only the provider's account."""
    district = side_a.district
    district.roster_roles = {"teacher": Role.SCHOOL_STAFF}
    district.save()
    files = sample_roster(schools=1, students_per_school=4, teachers_per_school=1)
    row = next(row for row in files.rows["users"] if row["role"] == "teacher")
    row.update(email=oidc.TEACHER, givenName="Terry", familyName="Lee")
    report = roster_import(
        district=district, upload=upload(files), member=side_a.membership(side_a.coordinator)
    )
    assert report.ok
    assert report.invitations == 1
    invitation = Invitation.objects.get(district=district, email=oidc.TEACHER)
    assert (invitation.role, invitation.invited_by) == (Role.SCHOOL_STAFF, side_a.coordinator)
    person = User.objects.get(email=oidc.TEACHER)
    invitation_accept(invitation=invitation, person=person)
    assert RosterPerson.objects.get(district=district, email=oidc.TEACHER).person == person
    assert not person.has_usable_password()
    return person


def test_a_rostered_teacher_signs_in_through_the_provider_and_sees_their_roster_classes(
    provider, rostered_teacher, side_a, new_page, live_server
):
    page = new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_role("button", name=f"Sign in with {oidc.PROVIDER_NAME}").click()
    expect(page.get_by_role("heading", name="Test provider")).to_be_visible()
    page.get_by_label("Email").fill(oidc.TEACHER)
    page.get_by_label("Password").fill(oidc.ACCOUNT_PASSWORD)
    page.get_by_role("button", name="Sign in to the test provider").click()

    expect(page.get_by_role("heading", level=1)).to_contain_text("Good to see you, Terry")
    assert page.url == f"{live_server.url}/"
    classes = page.get_by_role("table", name="Your classes from the roster")
    expect(classes.get_by_role("row", name="Homeroom 1 (School 1)")).to_contain_text("4")
    assert axe_violations(page) == []
    screenshot(page, "single-sign-on-rostered-teacher-home")
    event = AuditEvent.objects.filter(action="login").latest("id")
    assert (event.actor, event.outcome, event.district) == (rostered_teacher, "success", side_a.district)


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
