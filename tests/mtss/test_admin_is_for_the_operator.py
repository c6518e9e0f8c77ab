"""The Django admin spans every district: only the installation's operator (a superuser) opens it."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission
from django.core import mail
from django.test import Client
from django.urls import reverse

from coordinators.models import Invitation, Role, User
from mtss.notifications.delivery import deliver_inline, notifications_sweep_due
from mtss.notifications.models import Notification
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture
def invitation_notification(side_a, coordinator_a) -> Notification:
    coordinator_a.post(
        reverse("person_invite"), {"full_name": "Rosa", "email": "rosa@example.org", "role": Role.MEMBER}
    )
    notifications_sweep_due(dispatch=deliver_inline)
    assert len(mail.outbox) == 1
    return Notification.objects.get(recipient__email="rosa@example.org")


def test_staff_with_a_view_permission_cannot_open_the_admin(side_a, invitation_notification):
    staff = User.objects.create_user(
        email="staff@example.org", password=PASSWORD, full_name="Staff", is_staff=True
    )
    staff.user_permissions.add(Permission.objects.get(codename="view_notification"))
    client = Client()
    client.force_login(staff)
    for url in (
        reverse("admin:index"),
        reverse("admin:notifications_notification_changelist"),
        reverse("admin:notifications_notification_change", args=[invitation_notification.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response.url.startswith(reverse("admin:login"))


def test_operator_opens_the_admin_but_sees_no_invitation_link(side_a, invitation_notification):
    operator = User.objects.create_superuser(email="operator@example.org", password=PASSWORD, full_name="Op")
    client = Client()
    client.force_login(operator)
    token = mail.outbox[0].body.split("/invitations/join/")[1].split("/")[0]
    invitation = Invitation.objects.get(email="rosa@example.org")
    pages = [
        client.get(reverse("admin:notifications_notification_changelist")),
        client.get(reverse("admin:notifications_notification_change", args=[invitation_notification.pk])),
        client.get(reverse("admin:coordinators_invitation_changelist")),
        client.get(reverse("admin:coordinators_invitation_change", args=[invitation.pk])),
    ]
    for page in pages:
        assert page.status_code == 200
        assert token not in page.text
        assert invitation.token_hash not in page.text
        assert "/invitations/join/" not in page.text
