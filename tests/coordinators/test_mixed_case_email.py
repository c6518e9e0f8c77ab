"""One person, however their email is typed: invitation, its emailed link, sign-in and password reset
all treat Ana.Reyes@Example.ORG as ana.reyes@example.org."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from coordinators.models import Invitation, Membership, Role, User
from mtss.notifications.delivery import deliver_inline, notifications_sweep_due

pytestmark = pytest.mark.django_db

TYPED = "Ana.Reyes@Example.ORG"
STORED = "ana.reyes@example.org"
JOIN_LINK = re.compile(r"/invitations/join/([A-Za-z0-9_\-]+)/")
RESET_LINK = re.compile(r"http://[^/\s]+(/accounts/reset/\S+/)")


def _sign_in(client: Client, email: str, password: str):
    return client.post(reverse("login"), {"username": email, "password": password}, REMOTE_ADDR="10.0.0.21")


def _join(side, coordinator_client: Client) -> tuple[Client, str]:
    """Invite Ana in two spellings, follow the emailed link, choose a password; return her browser."""
    for typed in (TYPED, "ANA.REYES@example.org"):
        response = coordinator_client.post(
            reverse("person_invite"), {"full_name": "Ana Reyes", "email": typed, "role": Role.MEMBER}
        )
        assert response.status_code == 302
    person = User.objects.get(email__iexact=TYPED)
    assert person.email == STORED
    assert Invitation.objects.filter(district=side.district).count() == 1
    mail.outbox.clear()
    notifications_sweep_due(dispatch=deliver_inline)
    (invitation_email,) = mail.outbox
    assert invitation_email.to == [STORED]
    token = JOIN_LINK.search(invitation_email.body).group(1)
    browser = Client()
    page = browser.get(reverse("invitation_set_password", args=[token]), follow=True)
    assert page.status_code == 200
    assert side.district.name in page.text
    password = "Ana-chooses-77-words"
    response = browser.post(
        page.request["PATH_INFO"],
        {"full_name": "Ana Reyes", "new_password1": password, "new_password2": password},
    )
    assert response.status_code == 302
    assert response.url == reverse("login")
    return browser, password


def test_an_invited_person_follows_the_link_sets_a_password_and_signs_in_in_any_case(side_a, coordinator_a):
    browser, password = _join(side_a, coordinator_a)
    assert Membership.objects.get(user__email=STORED).district == side_a.district
    response = _sign_in(browser, TYPED, password)
    assert response.status_code == 302
    assert response.url == reverse("home")
    home = browser.get(reverse("home"))
    assert home.status_code == 200
    assert side_a.district.name in home.text
    browser.post(reverse("logout"))
    assert _sign_in(Client(), STORED.upper(), password).status_code == 302
    assert _sign_in(Client(), TYPED, "not-her-password").status_code == 200


def test_password_reset_typed_in_another_case_reaches_the_account_and_its_new_password_signs_in(
    side_a, coordinator_a, celery_eager, django_capture_on_commit_callbacks
):
    _join(side_a, coordinator_a)
    mail.outbox.clear()
    browser = Client()
    with django_capture_on_commit_callbacks(execute=True):
        response = browser.post(
            reverse("password_reset"), {"email": "ANA.reyes@EXAMPLE.org"}, REMOTE_ADDR="10.0.0.21"
        )
    assert response.status_code == 302
    (reset_email,) = mail.outbox
    assert reset_email.to == [STORED]
    form_page = browser.get(RESET_LINK.search(reset_email.body).group(1), follow=True)
    assert "new_password1" in form_page.text
    new_password = "Ana-new-Pass-99x"
    done = browser.post(
        form_page.redirect_chain[-1][0], {"new_password1": new_password, "new_password2": new_password}
    )
    assert done.status_code == 302
    assert _sign_in(Client(), TYPED, new_password).status_code == 302
