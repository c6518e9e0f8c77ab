"""Nobody joins a district, or gains power in it, without consent.

An invitation grants nothing until the person accepts it; until then the inviting district knows only
the address it typed and the role it offered. A Coordinator or Executive Leader role also needs an
executive leader of the district (or the installation's operator) to confirm it first.
"""

from __future__ import annotations

import hashlib
import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from coordinators import services
from coordinators.models import Invitation, Membership, Role, RosterPerson, User
from mtss.audit.models import AuditEvent
from mtss.notifications.delivery import deliver_inline, notifications_sweep_due
from mtss.notifications.kinds import Kind
from mtss.notifications.models import Notification
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

JOIN_LINK = re.compile(r"/invitations/join/([A-Za-z0-9_\-]+)/")


def _invite(client: Client, email: str, role: str = Role.MEMBER, full_name: str = "Typed Name"):
    return client.post(reverse("person_invite"), {"full_name": full_name, "email": email, "role": role})


def _open_link(client: Client, token: str):
    return client.get(reverse("invitation_set_password", args=[token]), follow=True)


def _send_emails() -> list:
    mail.outbox.clear()
    notifications_sweep_due(dispatch=deliver_inline)
    return list(mail.outbox)


def test_inviting_another_districts_person_grants_nothing_until_they_accept(side_a, side_b, coordinator_b):
    target = side_a.coordinator
    target.title = "Assistant Superintendent"
    target.save()
    response = _invite(coordinator_b, target.email.upper(), full_name="Whoever")
    assert response.status_code == 302
    assert not Membership.objects.filter(user=target, district=side_b.district).exists()
    invitation = Invitation.objects.get(district=side_b.district)
    assert invitation.status == Invitation.Status.PENDING
    assert invitation.person == target
    # The person's next sign-in still lands in their own district.
    client = Client()
    assert client.post(reverse("login"), {"username": target.email, "password": PASSWORD}).status_code == 302
    assert side_a.district.name in client.get(reverse("home")).text


def test_the_inviting_district_sees_only_what_it_typed(side_a, side_b, coordinator_b, login_as):
    target = side_a.coordinator
    target.title = "Assistant Superintendent"
    target.save()
    login_as(target)  # sets last_login
    _invite(coordinator_b, target.email, full_name="Whoever")
    people = coordinator_b.get(reverse("person_list")).text
    assert target.email in people
    assert "Whoever" in people
    assert target.full_name not in people
    assert "Assistant Superintendent" not in people
    audit = coordinator_b.get(reverse("audit_list")).text
    assert target.full_name not in audit
    assert not Membership.objects.filter(user=target, district=side_b.district).exists()


def test_the_invite_form_answers_the_same_whether_the_account_exists(side_a, side_b, coordinator_b):
    existing = _invite(coordinator_b, side_a.member.email)
    new = _invite(coordinator_b, "nobody-yet@example.org")
    assert existing.status_code == new.status_code == 302
    assert existing.url == new.url
    first = coordinator_b.get(existing.url).text
    assert f"Invitation sent to {side_a.member.email}." in first
    second = coordinator_b.get(reverse("person_list")).text
    assert "Invitation sent to" not in second  # messages are shown once
    invitations = Invitation.objects.filter(district=side_b.district)
    assert {i.status for i in invitations} == {Invitation.Status.PENDING}


def test_inviting_the_same_address_twice_keeps_one_invitation(side_a, coordinator_a):
    _invite(coordinator_a, "twice@example.org")
    _invite(coordinator_a, "twice@example.org")
    assert Invitation.objects.filter(email="twice@example.org").count() == 1
    assert Notification.objects.filter(recipient__email="twice@example.org").count() == 1


def test_existing_account_sees_the_invitation_after_signing_in_and_accepts(side_a, side_b, coordinator_b):
    target = side_a.coordinator
    _invite(coordinator_b, target.email)
    invitation = Invitation.objects.get(district=side_b.district)
    client = Client()
    client.post(reverse("login"), {"username": target.email, "password": PASSWORD})
    home = client.get(reverse("home")).text
    assert "Invitations waiting for your answer" in home
    assert side_b.district.name in client.get(reverse("invitation_list")).text
    response = client.post(reverse("invitation_accept", args=[invitation.pk]))
    assert response.status_code == 302
    membership = Membership.objects.get(user=target, district=side_b.district)
    assert membership.role == Role.MEMBER
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.ACCEPTED
    assert AuditEvent.objects.filter(
        action="accept invitation", district=side_b.district, actor=target
    ).exists()
    # Now working in district B.
    assert side_b.school.name in client.get(reverse("school_list")).text
    # Accepting again changes nothing.
    assert client.post(reverse("invitation_accept", args=[invitation.pk])).status_code == 404
    assert Membership.objects.filter(user=target, district=side_b.district).count() == 1


def test_existing_account_declines(side_a, side_b, coordinator_b, login_as):
    _invite(coordinator_b, side_a.member.email)
    invitation = Invitation.objects.get(district=side_b.district)
    client = login_as(side_a.member)
    assert client.post(reverse("invitation_decline", args=[invitation.pk])).status_code == 302
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.DECLINED
    assert not Membership.objects.filter(user=side_a.member, district=side_b.district).exists()


def test_nobody_else_can_accept_someone_elses_invitation(side_a, side_b, coordinator_b, login_as):
    _invite(coordinator_b, side_a.member.email)
    invitation = Invitation.objects.get(district=side_b.district)
    other = login_as(side_a.leader)
    assert other.post(reverse("invitation_accept", args=[invitation.pk])).status_code == 404
    assert other.post(reverse("invitation_decline", args=[invitation.pk])).status_code == 404
    assert not Membership.objects.filter(
        district=side_b.district, user__in=[side_a.member, side_a.leader]
    ).exists()
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.PENDING


def test_new_person_chooses_a_password_through_the_emailed_link_and_joins(side_a, coordinator_a):
    _invite(coordinator_a, "Rosa.Delgado@Example.org", full_name="Rosa Delgado")
    person = User.objects.get(email="rosa.delgado@example.org")
    assert not person.has_usable_password()
    assert not Membership.objects.filter(user=person).exists()
    (email,) = _send_emails()
    assert email.to == [person.email]
    token = JOIN_LINK.search(email.body).group(1)
    client = Client()
    page = _open_link(client, token)
    assert page.status_code == 200
    assert side_a.district.name in page.text
    response = client.post(
        page.request["PATH_INFO"],
        {
            "full_name": "Rosa M. Delgado",
            "new_password1": "a-long-new-pass-77",
            "new_password2": "a-long-new-pass-77",
        },
    )
    assert response.status_code == 302
    assert response.url == reverse("login")
    person.refresh_from_db()
    assert person.check_password("a-long-new-pass-77")
    assert person.full_name == "Rosa M. Delgado"
    assert Membership.objects.get(user=person).district == side_a.district
    # The link works once.
    assert _open_link(Client(), token).status_code == 404


def test_set_password_link_is_stored_nowhere_but_as_a_hash(side_a, coordinator_a):
    _invite(coordinator_a, "new.person@example.org")
    (email,) = _send_emails()
    token = JOIN_LINK.search(email.body).group(1)
    invitation = Invitation.objects.get(email="new.person@example.org")
    assert invitation.token_hash == hashlib.sha256(token.encode()).hexdigest()
    for notification in Notification.objects.all():
        assert token not in notification.url
        assert token not in notification.body
        assert "/accounts/reset/" not in notification.url


def test_the_link_takes_its_secret_out_of_the_address_bar(side_a, coordinator_a):
    _invite(coordinator_a, "new.person@example.org")
    (email,) = _send_emails()
    token = JOIN_LINK.search(email.body).group(1)
    client = Client()
    response = client.get(reverse("invitation_set_password", args=[token]))
    assert response.status_code == 302
    assert token not in response.url
    page = client.get(response.url)
    assert page.status_code == 200
    assert token not in page.text
    # Without the session that opened the link, the page without the secret shows nothing.
    assert Client().get(response.url).status_code == 404


def test_a_wrong_link_changes_nothing(side_a, coordinator_a):
    _invite(coordinator_a, "new.person@example.org")
    response = Client().post(
        reverse("invitation_set_password", args=["not-the-token"]),
        {"full_name": "X", "new_password1": "a-long-new-pass-77", "new_password2": "a-long-new-pass-77"},
    )
    assert response.status_code == 404
    assert not User.objects.get(email="new.person@example.org").has_usable_password()


# Separation of duties ----------------------------------------------------------------------------


@pytest.mark.parametrize("role", [Role.LEADER, Role.COORDINATOR])
def test_powerful_role_waits_for_a_leader_and_grants_nothing(side_a, coordinator_a, leader_a, role):
    response = _invite(coordinator_a, "boss@example.org", role=role)
    assert response.status_code == 302
    invitation = Invitation.objects.get(email="boss@example.org")
    assert invitation.status == Invitation.Status.AWAITING_CONFIRMATION
    assert "waits for an executive leader to confirm" in coordinator_a.get(reverse("person_list")).text
    # The invitee hears nothing and cannot accept; the leader is asked.
    assert not Notification.objects.filter(recipient__email="boss@example.org").exists()
    assert Notification.objects.filter(recipient=side_a.leader, kind=Kind.ROLE_CONFIRMATION).exists()
    invitee = Client()
    invitee.force_login(invitation.person)
    assert invitee.post(reverse("invitation_accept", args=[invitation.pk])).status_code == 404
    assert not Membership.objects.filter(user=invitation.person).exists()
    page = leader_a.get(reverse("person_list")).text
    assert "Waiting for your confirmation" in page
    assert "boss@example.org" in page


def test_coordinator_cannot_approve_their_own_leader_invitation(side_a, coordinator_a):
    _invite(coordinator_a, "my-other-address@example.org", role=Role.LEADER)
    invitation = Invitation.objects.get()
    assert coordinator_a.post(reverse("invitation_confirm", args=[invitation.pk])).status_code == 403
    with pytest.raises(services.InvitationNotYours):
        services.invitation_confirm(invitation=invitation, member=side_a.membership(side_a.coordinator))
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.AWAITING_CONFIRMATION
    assert invitation.confirmed_by is None


def test_leader_confirms_then_the_person_accepts_and_the_trail_says_who_asked_and_who_confirmed(
    side_a, coordinator_a, leader_a
):
    _invite(coordinator_a, "new.leader@example.org", role=Role.LEADER)
    invitation = Invitation.objects.get()
    assert leader_a.post(reverse("invitation_confirm", args=[invitation.pk])).status_code == 302
    # A second click changes nothing.
    assert leader_a.post(reverse("invitation_confirm", args=[invitation.pk])).status_code == 302
    assert Notification.objects.filter(recipient=invitation.person).count() == 1
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.PENDING
    assert invitation.confirmed_by == side_a.leader
    event = AuditEvent.objects.get(action="confirm invitation")
    assert event.actor == side_a.leader
    assert event.district == side_a.district
    assert event.detail["asked_by"] == side_a.coordinator.email
    assert AuditEvent.objects.get(action="invite person").actor == side_a.coordinator
    (email,) = [e for e in _send_emails() if e.to == ["new.leader@example.org"]]
    token = JOIN_LINK.search(email.body).group(1)
    client = Client()
    client.post(
        _open_link(client, token).request["PATH_INFO"],
        {
            "full_name": "New Leader",
            "new_password1": "a-long-new-pass-77",
            "new_password2": "a-long-new-pass-77",
        },
    )
    assert Membership.objects.get(user__email="new.leader@example.org").role == Role.LEADER


def test_leader_can_decline_to_confirm(side_a, coordinator_a, leader_a):
    _invite(coordinator_a, "boss@example.org", role=Role.COORDINATOR)
    invitation = Invitation.objects.get()
    assert leader_a.post(reverse("invitation_refuse", args=[invitation.pk])).status_code == 302
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.NOT_CONFIRMED
    assert not Notification.objects.filter(recipient=invitation.person).exists()
    assert AuditEvent.objects.filter(action="not confirm invitation", actor=side_a.leader).exists()


def test_another_districts_leader_cannot_confirm(side_a, side_b, coordinator_a, leader_b):
    _invite(coordinator_a, "boss@example.org", role=Role.LEADER)
    invitation = Invitation.objects.get()
    assert leader_b.post(reverse("invitation_confirm", args=[invitation.pk])).status_code == 404
    with pytest.raises(services.InvitationNotYours):
        services.invitation_confirm(invitation=invitation, member=side_b.membership(side_b.leader))
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.AWAITING_CONFIRMATION


def test_district_without_a_leader_waits_for_the_operator(side_a, coordinator_a):
    Membership.objects.filter(user=side_a.leader, district=side_a.district).update(active=False)
    _invite(coordinator_a, "first.leader@example.org", role=Role.LEADER)
    invitation = Invitation.objects.get()
    assert not Notification.objects.filter(kind=Kind.ROLE_CONFIRMATION).exists()
    with pytest.raises(services.InvitationNotYours):
        services.invitation_confirm(invitation=invitation, member=side_a.membership(side_a.leader))
    operator = User.objects.create_superuser(email="operator@example.org", password=PASSWORD, full_name="Op")
    admin = Client()
    admin.force_login(operator)
    response = admin.post(
        reverse("admin:coordinators_invitation_changelist"),
        {"action": "confirm", "_selected_action": [invitation.pk]},
    )
    assert response.status_code == 302
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.PENDING
    assert invitation.confirmed_by == operator
    assert Notification.objects.filter(recipient=invitation.person, kind=Kind.INVITATION).exists()


def test_a_failed_invitation_email_shows_the_typed_address_not_the_persons_name(
    side_a, side_b, coordinator_b
):
    _invite(coordinator_b, side_a.coordinator.email)
    Notification.objects.filter(recipient=side_a.coordinator).update(
        email_state=Notification.EmailState.FAILED, attempts=5, last_error="SMTPRecipientsRefused"
    )
    page = coordinator_b.get(reverse("email_problems")).text
    assert side_a.coordinator.email in page
    assert side_a.coordinator.full_name not in page


@pytest.mark.parametrize("persona", ["coordinator", "leader"])
def test_people_page_query_count_does_not_grow_with_invitations(side_a, login_as, persona):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = login_as(getattr(side_a, persona))

    def count_queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("person_list")).status_code == 200
        return len(captured)

    def invite(count: int, start: int) -> None:
        for n in range(start, start + count):
            role = Role.LEADER if n % 2 else Role.MEMBER
            services.person_invite(
                member=side_a.membership(side_a.coordinator),
                email=f"invitee{n}@example.org",
                full_name=f"Invitee {n}",
                role=role,
            )

    invite(5, 0)
    with_five = count_queries()
    invite(45, 5)
    page = client.get(reverse("person_list")).text
    assert page.count("invitee") >= 50
    assert count_queries() == with_five


def test_person_with_no_district_yet_answers_the_invitation_on_the_no_district_page(side_a, coordinator_a):
    newcomer = User.objects.create_user(email="newcomer@example.org", password=PASSWORD, full_name="Newcomer")
    _invite(coordinator_a, newcomer.email)
    invitation = Invitation.objects.get(person=newcomer)
    client = Client()
    client.force_login(newcomer)
    page = client.get(reverse("home"), follow=True)
    assert page.status_code == 403
    assert "A district has invited you" in page.text
    assert reverse("invitation_accept", args=[invitation.pk]) in page.text
    client.post(reverse("invitation_accept", args=[invitation.pk]))
    assert client.get(reverse("home")).status_code == 200


def test_accepting_links_the_person_to_their_own_districts_roster_entry_only(side_a, side_b):
    email = "Rosa.Teacher@district-a.example.org"
    mine = RosterPerson.objects.create(
        district=side_a.district, sourced_id="tch-1", roster_role="teacher", email=email
    )
    elsewhere = RosterPerson.objects.create(
        district=side_b.district, sourced_id="tch-1", roster_role="teacher", email=email
    )
    invitation = services.district_invite(
        district=side_a.district,
        invited_by=side_a.coordinator,
        email=email,
        full_name="Rosa Teacher",
        role=Role.SCHOOL_STAFF,
        schools=[side_a.school],
    )
    person = User.objects.get(email=email.lower())
    mine.refresh_from_db()
    assert mine.person is None
    services.invitation_accept(invitation=invitation, person=person)
    mine.refresh_from_db()
    elsewhere.refresh_from_db()
    assert mine.person == person
    assert elsewhere.person is None


PROVIDER = {
    "openid_connect": {
        "APPS": [
            {
                "provider_id": "cedar",
                "name": "Cedar ID",
                "client_id": "mtss",
                "secret": "not-used",
                "settings": {"server_url": "https://id.cedar.example.org"},
            }
        ]
    }
}


def _single_sign_on_only_invitee(side_a, coordinator_a) -> tuple[User, str]:
    side_a.district.single_sign_on_only = True
    side_a.district.save(update_fields=["single_sign_on_only"])
    _invite(coordinator_a, "sso.person@example.org", full_name="Sam Sso")
    (email,) = _send_emails()
    return User.objects.get(email="sso.person@example.org"), JOIN_LINK.search(email.body).group(1)


def test_single_sign_on_only_invitee_is_offered_the_provider_not_a_password(
    side_a, coordinator_a, settings, django_assert_num_queries
):
    settings.SOCIALACCOUNT_PROVIDERS = PROVIDER
    person, token = _single_sign_on_only_invitee(side_a, coordinator_a)
    client = Client()
    client.get(reverse("invitation_set_password", args=[token]))
    page_url = reverse("invitation_set_password", args=["continue"])
    with django_assert_num_queries(3):
        page = client.get(page_url)
    assert page.status_code == 200
    assert f"Join {side_a.district.name}" in page.text
    assert "Sign in with Cedar ID" in page.text
    assert f'action="{reverse("openid_connect_login", kwargs={"provider_id": "cedar"})}"' in page.text
    assert f'name="next" value="{reverse("invitation_list")}"' in page.text
    assert "new_password1" not in page.text
    # A password sent anyway is not set, and nothing is accepted.
    response = client.post(
        page_url,
        {"full_name": "Sam", "new_password1": "a-long-new-pass-77", "new_password2": "a-long-new-pass-77"},
    )
    assert response.status_code == 200
    person.refresh_from_db()
    assert not person.has_usable_password()
    assert not Membership.objects.filter(user=person).exists()
    assert Invitation.objects.get(person=person).status == Invitation.Status.PENDING


def test_single_sign_on_only_invitee_without_a_provider_is_told_to_ask_the_coordinator(
    side_a, coordinator_a, settings
):
    settings.SOCIALACCOUNT_PROVIDERS = {}
    _person, token = _single_sign_on_only_invitee(side_a, coordinator_a)
    page = _open_link(Client(), token)
    assert page.status_code == 200
    assert "single sign-on, which is not set up here yet" in page.text
    assert "Ask your district coordinator" in page.text
    assert "Sign in with" not in page.text
    assert "new_password1" not in page.text


def test_a_district_with_passwords_still_offers_the_password_form_beside_a_provider(
    side_a, coordinator_a, settings
):
    settings.SOCIALACCOUNT_PROVIDERS = PROVIDER
    _invite(coordinator_a, "pw.person@example.org")
    (email,) = _send_emails()
    page = _open_link(Client(), JOIN_LINK.search(email.body).group(1))
    assert "new_password1" in page.text
    assert "Sign in with Cedar ID" not in page.text
