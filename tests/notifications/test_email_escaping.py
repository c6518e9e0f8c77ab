"""Every email escapes what people typed: only the app's own links are links, no image loads from it.

A title carrying Markdown image and link syntax and raw HTML goes through each way text reaches an
email: the executive digest, a daily digest of notifications, a meeting reminder and a plain
notification. The HTML part must have no <img> and no <a> that came from the text; the text part
shows the text as it was typed.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from html.parser import HTMLParser

import pytest
from django.conf import settings
from django.core import mail

from meetings import services as meeting_services
from meetings.models import ActionItem, Meeting
from meetings.tasks import meeting_reminders_send
from mtss.notifications.delivery import build_message, deliver_inline
from mtss.notifications.kinds import Kind
from mtss.notifications.models import Delivery, DigestFrequency, DigestSetting, NotificationPreference
from mtss.notifications.sweep import reminders_sweep
from tests.meetings.factories import make_meeting
from tests.notifications.factories import NotificationFactory

pytestmark = pytest.mark.django_db

HOSTILE = (
    "Order kits ![pixel](https://evil.example/p.png) [Reset your password](https://evil.example/login) "
    '<a href="https://evil.example/raw">raw link</a> <img src="https://evil.example/raw.png"> '
    "<b>bold</b> https://evil.example/bare"
)
MONDAY = date(2026, 11, 9)


class Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.images: list[dict] = []
        self.links: list[str] = []
        self.bold: int = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "img":
            self.images.append(values)
        if tag == "a":
            self.links.append(values.get("href") or "")
        if tag == "b":
            self.bold += 1


def assert_inert(message: mail.EmailMessage) -> None:
    html = message.alternatives[0].content
    tags = Tags()
    tags.feed(html)
    assert tags.images == []
    assert tags.bold == 0
    assert tags.links, "the app's own links are still there"
    foreign = [href for href in tags.links if not href.startswith(settings.SITE_URL + "/")]
    assert not foreign, foreign
    assert "evil.example" in html, "the typed text is shown, escaped"
    assert "&lt;img" in html
    assert HOSTILE in message.body
    assert "<img" not in message.body.replace(HOSTILE, "")


def sweep() -> None:
    reminders_sweep(dispatch=deliver_inline)


def test_executive_digest_shows_a_hostile_action_item_title_as_text(side_a, time_machine):
    ActionItem.objects.create(
        district=side_a.district, title=HOSTILE, owner=side_a.member, due_date=MONDAY - timedelta(days=3)
    )
    time_machine.move_to(datetime(2026, 11, 9, 13, 0, tzinfo=UTC), tick=False)  # 07:00 Chicago
    sweep()
    (digest,) = [m for m in mail.outbox if m.subject.startswith("Weekly digest")]
    assert digest.to == [side_a.leader.email]
    assert_inert(digest)


def test_daily_digest_shows_hostile_notification_subjects_as_text(side_a, time_machine):
    NotificationPreference.objects.create(user=side_a.member, kind=Kind.MEETING, delivery=Delivery.DIGEST)
    DigestSetting.objects.create(user=side_a.member, frequency=DigestFrequency.DAILY)
    time_machine.move_to(datetime(2026, 11, 10, 9, 0, tzinfo=UTC), tick=False)
    NotificationFactory(district=side_a.district, recipient=side_a.member, kind=Kind.MEETING, subject=HOSTILE)
    sweep()
    time_machine.move_to(datetime(2026, 11, 10, 13, 5, tzinfo=UTC), tick=False)
    sweep()
    (digest,) = [m for m in mail.outbox if m.subject.startswith("Daily digest")]
    assert_inert(digest)


def test_meeting_reminder_shows_hostile_titles_as_text(side_a, time_machine):
    time_machine.move_to(datetime(2026, 11, 9, 15, 0, tzinfo=UTC), tick=False)
    make_meeting(side_a.district, side_a.coordinator, starts_at=datetime(2026, 11, 10, 21, 30, tzinfo=UTC))
    meeting = Meeting.objects.get()
    meeting_services.agenda_item_propose(
        meeting=meeting, title=HOSTILE[:200], member=side_a.membership(side_a.coordinator)
    )
    ActionItem.objects.create(district=side_a.district, title=HOSTILE, owner=side_a.member)
    assert meeting_reminders_send() > 0
    sweep()
    (reminder,) = [m for m in mail.outbox if m.to == [side_a.member.email]]
    html = reminder.alternatives[0].content
    tags = Tags()
    tags.feed(html)
    assert tags.images == []
    assert all(href.startswith(settings.SITE_URL + "/") for href in tags.links), tags.links
    assert HOSTILE in reminder.body


def test_plain_notification_escapes_its_subject_and_body(side_a):
    notification = NotificationFactory(
        district=side_a.district, recipient=side_a.member, kind=Kind.ASSIGNED, subject=HOSTILE, body=HOSTILE
    )
    message = build_message(notification)
    assert_inert(message)
    assert message.subject == HOSTILE
