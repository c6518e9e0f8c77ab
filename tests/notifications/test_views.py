"""The notification centre, the bell, preferences and the coordinators' email problems page."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import time_machine
from django.urls import reverse

from mtss.notifications.kinds import Kind
from mtss.notifications.models import Delivery, DigestSetting, Notification, NotificationPreference
from tests.notifications.factories import NotificationFactory

pytestmark = pytest.mark.django_db
State = Notification.EmailState


def preferences_post(**changes: str) -> dict[str, str]:
    data = {f"kind_{kind}": Delivery.EMAIL for kind in Kind.values if kind != Kind.DIGEST}
    data["digest_frequency"] = "weekly"
    data.update(changes)
    return data


def test_leader_sees_own_notifications_in_the_current_district_only(side_a, side_b, leader_a):
    mine = NotificationFactory(
        district=side_a.district, recipient=side_a.leader, subject="Approval requested: Coaching System"
    )
    NotificationFactory(district=side_a.district, recipient=side_a.coordinator, subject="Someone else's")
    NotificationFactory(district=side_b.district, recipient=side_b.leader, subject="Other district")
    response = leader_a.get(reverse("notification_list"))
    assert response.status_code == 200
    assert list(response.context["page"].object_list) == [mine]
    assert response.context["unread"] == 1


def test_bell_shows_the_unread_count(side_a, leader_a):
    NotificationFactory.create_batch(3, district=side_a.district, recipient=side_a.leader)
    NotificationFactory(district=side_a.district, recipient=side_a.leader, read_at="2026-01-01T00:00Z")
    response = leader_a.get(reverse("notification_bell"))
    assert b'data-unread="3"' in response.content
    page = leader_a.get(reverse("home"))
    assert reverse("notification_bell").encode() in page.content


def test_opening_a_notification_marks_it_read_and_goes_to_the_thing(side_a, leader_a):
    row = NotificationFactory(district=side_a.district, recipient=side_a.leader, url="/processes/5/")
    response = leader_a.post(reverse("notification_open", args=[row.pk]))
    assert response.status_code == 302
    assert response["Location"] == "/processes/5/"
    row.refresh_from_db()
    assert row.read_at is not None


def test_mark_all_read(side_a, leader_a):
    NotificationFactory.create_batch(4, district=side_a.district, recipient=side_a.leader)
    other = NotificationFactory(district=side_a.district, recipient=side_a.coordinator)
    leader_a.post(reverse("notification_read_all"))
    assert not Notification.objects.filter(recipient=side_a.leader, read_at__isnull=True).exists()
    other.refresh_from_db()
    assert other.read_at is None


def test_outsider_cannot_open_anothers_notification(side_a, coordinator_b):
    row = NotificationFactory(district=side_a.district, recipient=side_a.leader)
    response = coordinator_b.post(reverse("notification_open", args=[row.pk]))
    assert response.status_code == 404
    row.refresh_from_db()
    assert row.read_at is None


def test_colleague_cannot_mark_anothers_notification_read(side_a, coordinator_a):
    row = NotificationFactory(district=side_a.district, recipient=side_a.leader)
    assert coordinator_a.post(reverse("notification_open", args=[row.pk])).status_code == 404
    row.refresh_from_db()
    assert row.read_at is None


@pytest.mark.parametrize("rows", [5, 50])
def test_list_query_count_does_not_grow(side_a, leader_a, django_assert_num_queries, rows):
    NotificationFactory.create_batch(rows, district=side_a.district, recipient=side_a.leader)
    leader_a.get(reverse("notification_list"))  # warm the session
    with django_assert_num_queries(6):
        response = leader_a.get(reverse("notification_list"))
    assert len(response.context["page"].object_list) == min(rows, 30)


def test_preferences_save_choices(side_a, member_a):
    response = member_a.post(
        reverse("notification_preferences"),
        preferences_post(
            kind_overdue=Delivery.IN_APP, kind_due_soon=Delivery.DIGEST, digest_frequency="daily"
        ),
    )
    assert response.status_code == 302
    chosen = dict(NotificationPreference.objects.filter(user=side_a.member).values_list("kind", "delivery"))
    assert chosen[Kind.OVERDUE] == Delivery.IN_APP
    assert chosen[Kind.DUE_SOON] == Delivery.DIGEST
    assert DigestSetting.objects.get(user=side_a.member).frequency == "daily"
    page = member_a.get(reverse("notification_preferences"))
    assert page.context["form"].initial["kind_overdue"] == Delivery.IN_APP


def test_leader_cannot_make_approval_requests_in_app_only(side_a, leader_a):
    response = leader_a.post(
        reverse("notification_preferences"), preferences_post(kind_approval_request=Delivery.IN_APP)
    )
    assert response.status_code == 200
    assert "kind_approval_request" in response.context["form"].errors
    assert not NotificationPreference.objects.filter(user=side_a.leader).exists()


def test_member_may_make_approval_requests_in_app_only(side_a, member_a):
    response = member_a.post(
        reverse("notification_preferences"), preferences_post(kind_approval_request=Delivery.IN_APP)
    )
    assert response.status_code == 302
    stored = NotificationPreference.objects.get(user=side_a.member, kind=Kind.APPROVAL_REQUEST)
    assert stored.delivery == Delivery.IN_APP
    page = member_a.get(reverse("notification_preferences"))
    assert page.context["form"].initial["kind_approval_request"] == Delivery.IN_APP


def test_coordinator_sees_email_problems_and_sends_again(side_a, coordinator_a):
    failed = NotificationFactory(
        district=side_a.district, recipient=side_a.leader, email_state=State.FAILED, last_error="SMTP 550"
    )
    NotificationFactory(district=side_a.district, recipient=side_a.leader, email_state=State.SENT)
    page = coordinator_a.get(reverse("email_problems"))
    assert list(page.context["page"].object_list) == [failed]
    coordinator_a.post(reverse("email_send_again", args=[failed.pk]))
    failed.refresh_from_db()
    assert failed.email_state == State.PENDING


def test_email_problems_are_for_coordinators(leader_a):
    assert leader_a.get(reverse("email_problems")).status_code == 403


def test_outsider_cannot_send_again(side_a, coordinator_b):
    failed = NotificationFactory(district=side_a.district, recipient=side_a.leader, email_state=State.FAILED)
    assert coordinator_b.post(reverse("email_send_again", args=[failed.pk])).status_code == 404
    failed.refresh_from_db()
    assert failed.email_state == State.FAILED


def test_admin_lists_failed_emails_with_filters(side_a, client, django_user_model):
    admin = django_user_model.objects.create_superuser(
        "admin@example.org", "pw-long-enough-1", full_name="Admin"
    )
    client.force_login(admin)
    failed = NotificationFactory(
        district=side_a.district, recipient=side_a.leader, kind=Kind.OVERDUE, email_state=State.FAILED
    )
    failed_approval = NotificationFactory(
        district=side_a.district,
        recipient=side_a.leader,
        kind=Kind.APPROVAL_REQUEST,
        email_state=State.FAILED,
    )
    for state in (State.SENT, State.PENDING):
        NotificationFactory(
            district=side_a.district, recipient=side_a.leader, kind=Kind.OVERDUE, email_state=state
        )
    changelist = reverse("admin:notifications_notification_changelist")
    assert client.get(changelist).context["cl"].result_count == 4
    response = client.get(changelist, {"email_state": "failed"})
    assert response.status_code == 200
    assert set(response.context["cl"].result_list) == {failed, failed_approval}
    response = client.get(changelist, {"email_state": "failed", "kind": Kind.OVERDUE})
    assert response.status_code == 200
    assert list(response.context["cl"].result_list) == [failed]


def test_send_reminders_command_runs_one_sweep(side_a, capsys, mailoutbox):
    from django.core.management import call_command

    # A Sunday noon in the district: no weekly digest (Monday 07:00) is due, only the notification.
    with time_machine.travel(datetime(2026, 12, 6, 18, 0, tzinfo=UTC), tick=False):
        NotificationFactory(district=side_a.district, recipient=side_a.leader)
        call_command("send_reminders")
    assert len(mailoutbox) == 1
    assert "1 emails sent or tried" in capsys.readouterr().out
