"""Every date and time a person sees is in their district's time zone, written the US way.

The moment used throughout is 2026-03-10 06:30 UTC: in Los Angeles it is still the evening of
March 9 (11:30 PM, daylight saving time began on March 8), so a page that shows UTC or the
server's date shows the wrong day.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from coordinators import lifecycle
from coordinators.district_export import export_files, write_csv
from data_reviews.models import ImportBatch
from implementation_plans.models import ProcessVersion
from implementation_plans.processes.services import comment_add
from meetings.models import ActionItem
from meetings.tasks import meeting_reminders_send
from mtss.audit.models import AuditEvent
from mtss.audit.services import audit_record
from mtss.notifications.delivery import build_message
from mtss.notifications.models import Notification
from tests.implementation_plans.process_factories import drafted
from tests.meetings.factories import make_meeting
from tests.notifications.factories import NotificationFactory

pytestmark = pytest.mark.django_db

NEAR_MIDNIGHT_UTC = datetime(2026, 3, 10, 6, 30, tzinfo=UTC)


@pytest.fixture
def los_angeles(side_a):
    side_a.district.time_zone = "America/Los_Angeles"
    side_a.district.save()
    return side_a


def test_audit_trail_shows_the_district_local_date_and_time(los_angeles, leader_a, time_machine):
    time_machine.move_to(NEAR_MIDNIGHT_UTC, tick=False)
    audit_record(action="approve", actor=los_angeles.leader, district=los_angeles.district)
    assert AuditEvent.objects.get(action="approve").at == NEAR_MIDNIGHT_UTC
    page = leader_a.get(reverse("audit_list")).text
    assert "Mar 9, 2026, 11:30 PM" in page
    assert "2026-03-10" not in page
    assert "UTC" not in page


def test_process_detail_says_when_the_draft_was_last_saved_in_local_time(los_angeles, coordinator_a):
    process = drafted(los_angeles.membership(los_angeles.coordinator))
    ProcessVersion.objects.filter(process=process).update(updated_at=NEAR_MIDNIGHT_UTC)
    page = coordinator_a.get(reverse("process_detail", args=[process.pk])).text
    assert "Last saved Mar 9, 2026, 11:30 PM." in page
    assert "p.m." not in page


def test_import_list_shows_the_upload_time_in_local_time(los_angeles, coordinator_a):
    batch = ImportBatch.objects.create(
        district=los_angeles.district, uploaded_by=los_angeles.coordinator, file_name="f.csv",
        file_format="generic", payload=b"x", sha256="0", status=ImportBatch.Status.PREVIEW,
    )  # fmt: skip
    ImportBatch.objects.filter(pk=batch.pk).update(created_at=NEAR_MIDNIGHT_UTC)
    page = coordinator_a.get(reverse("score_import_list")).text
    assert "Mar 9, 2026, 11:30 PM" in page
    assert "Mar 10, 2026" not in page


def test_email_says_when_it_was_written_in_the_recipients_district_time(los_angeles):
    notification = NotificationFactory(district=los_angeles.district, recipient=los_angeles.leader)
    type(notification).objects.filter(pk=notification.pk).update(created_at=NEAR_MIDNIGHT_UTC)
    notification.refresh_from_db()
    message = build_message(notification)
    assert "Written Monday, March 9, 2026, 11:30 PM PDT." in message.body
    assert "Written Monday, March 9, 2026, 11:30 PM PDT." in message.alternatives[0][0]
    assert timezone.get_current_timezone_name() == "UTC"


def test_action_items_due_today_in_the_district_are_not_overdue_yet(los_angeles, coordinator_a, time_machine):
    time_machine.move_to(NEAR_MIDNIGHT_UTC, tick=False)
    ActionItem.objects.create(
        district=los_angeles.district,
        title="Call the families",
        owner=los_angeles.coordinator,
        due_date=date(2026, 3, 9),
    )
    page = coordinator_a.get(reverse("action_item_list")).text
    assert "Call the families" in page
    assert "Overdue" not in page


def test_the_district_time_zone_is_active_only_during_the_request(los_angeles, coordinator_a):
    assert coordinator_a.get(reverse("home")).status_code == 200
    assert timezone.get_current_timezone_name() == "UTC"


def test_district_export_writes_local_times_with_their_offset(los_angeles):
    batch = ImportBatch.objects.create(
        district=los_angeles.district, uploaded_by=los_angeles.coordinator, file_name="f.csv",
        file_format="generic", payload=b"x", sha256="0", status=ImportBatch.Status.PREVIEW,
    )  # fmt: skip
    ImportBatch.objects.filter(pk=batch.pk).update(created_at=NEAR_MIDNIGHT_UTC)
    imports = next(f for f in export_files() if f.name == "data_reviews/import_batches.csv")
    text = write_csv(imports, los_angeles.district).decode("utf-8-sig")
    assert "2026-03-09T23:30:00-07:00" in text
    assert "2026-03-10T06:30" not in text


def test_meeting_reminder_gives_the_local_day_and_time_the_us_way(los_angeles, time_machine):
    time_machine.move_to(datetime(2026, 3, 8, 12, 0, tzinfo=UTC), tick=False)
    meeting = make_meeting(
        los_angeles.district, los_angeles.coordinator, starts_at=datetime(2026, 3, 10, 2, 30, tzinfo=UTC)
    )
    meeting_reminders_send()
    reminder = Notification.objects.filter(key=f"meeting:{meeting.pk}:2-days").first()
    assert reminder.subject == "DIT meeting on Monday, March 9"
    assert reminder.body.startswith("DIT meeting is on Monday, March 9 at 7:30 PM")


def test_district_export_readme_says_times_are_in_the_district_time_zone(los_angeles, time_machine):
    time_machine.move_to(NEAR_MIDNIGHT_UTC, tick=False)
    export = lifecycle.district_export_request(member=los_angeles.membership(los_angeles.coordinator))
    readme = lifecycle._readme(export)
    assert "exported Mar 9, 2026, 11:30 PM (America/Los_Angeles)" in readme
    assert "Times are in America/Los_Angeles time" in readme
    assert "UTC." not in readme


def test_notification_list_shows_when_each_was_written_in_local_time(los_angeles, leader_a):
    notification = NotificationFactory(district=los_angeles.district, recipient=los_angeles.leader)
    Notification.objects.filter(pk=notification.pk).update(created_at=NEAR_MIDNIGHT_UTC)
    page = leader_a.get(reverse("notification_list")).text
    assert "Mon Mar 9, 2026, 11:30 PM" in page


def test_process_comments_show_when_they_were_written_in_local_time(los_angeles, coordinator_a, time_machine):
    process = drafted(los_angeles.membership(los_angeles.coordinator))
    time_machine.move_to(NEAR_MIDNIGHT_UTC, tick=False)
    comment_add(
        member=los_angeles.membership(los_angeles.leader),
        version=process.versions.get(),
        body="Add the dates.",
    )
    page = coordinator_a.get(reverse("process_detail", args=[process.pk])).text
    assert "Add the dates." in page
    assert "· Mar 9, 2026, 11:30 PM" in page
