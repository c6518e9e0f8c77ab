"""Two `celery beat` processes for a full minute: each reminder still reaches each person once.

Real parts only: two beats and a two-process worker on the real Redis, the test's PostgreSQL
database, and a real SMTP server on loopback. The sweep interval is cut to two seconds, so the
two beats queue about sixty sweeps in the minute, often two at the same moment, while new
reminders and notifications keep arriving. CI sets DATABASE_URL and CELERY_BROKER_URL, so it
always runs there; on the embedded default (SQLite, filesystem broker) there is no second
database connection to race, so it is left to CI.
"""

from __future__ import annotations

import os
import subprocess
import time
from collections import Counter
from datetime import timedelta
from pathlib import Path

import factory
from django.db import connection
from django.utils import timezone

from meetings.models import ActionItem
from mtss.notifications.models import Notification
from tests.implementation_plans.process_factories import backdate_submission, submitted
from tests.notifications.factories import NotificationFactory
from tests.notifications.realparts import (
    BASE_DIR,
    SmtpServer,
    Worker,
    database_url_for,
    real_services_only,
    start_celery,
    stop_group,
    wait_until,
)

pytestmark = real_services_only()

SWEEP_SECONDS = 2
RUN_SECONDS = 60


class Beat:
    """`celery -A mtss beat` with its own schedule file, in its own process group."""

    def __init__(self, name: str, env: dict[str, str], schedule_dir: Path) -> None:
        self.name = name
        self.env = env
        self.schedule = schedule_dir / f"celerybeat-{name}"
        self.log = BASE_DIR / "var" / f"test-beat-{name}.log"
        self.process: subprocess.Popen[str] | None = None

    def start(self) -> Beat:
        self.process = start_celery(
            ["beat", "--loglevel=INFO", "-s", str(self.schedule)], env=self.env, log=self.log
        )
        return self

    def stop(self) -> None:
        stop_group(self.process)

    def sweeps_sent(self) -> int:
        return self.log.read_text().count("Sending due task send-reminders")


def _due_work(side, *, suffix: str) -> None:
    """Reminders the rules will write (due soon, overdue past escalation) and direct notifications."""
    today = timezone.now().astimezone(side.district.tz).date()
    ActionItem.objects.create(
        district=side.district,
        title=f"Send parent letters {suffix}",
        owner=side.member,
        due_date=today + timedelta(days=5),
    )
    ActionItem.objects.create(
        district=side.district,
        title=f"Book the data room {suffix}",
        owner=side.member,
        due_date=today - timedelta(days=16),
    )
    NotificationFactory.create_batch(
        6,
        district=side.district,
        recipient=side.leader,
        subject=factory.Sequence(lambda n: f"Approval requested: Process {suffix}-{n}"),
        key=factory.Sequence(lambda n: f"test-process:{suffix}-{n}:submitted"),
    )


def test_two_beats_for_a_minute_give_one_email_per_person_and_occurrence(side_a, tmp_path):
    import redis

    redis.Redis.from_url(os.environ["CELERY_BROKER_URL"]).flushdb()
    with SmtpServer() as smtp:
        database_url = database_url_for(connection.settings_dict["NAME"])
        env = {
            **os.environ,
            "DATABASE_URL": database_url,
            "EMAIL_URL": smtp.url,
            "REMINDER_SWEEP_SECONDS": str(SWEEP_SECONDS),
            "LOG_LEVEL": "INFO",
        }
        version = submitted(side_a.membership(side_a.coordinator))
        backdate_submission(version, days=4)  # one round of "waiting" (every 3 days) for the leader
        _due_work(side_a, suffix="first")

        worker = Worker(database_url=database_url, email_url=smtp.url, name="beats", concurrency=2)
        beats = [Beat(name, env, tmp_path) for name in ("one", "two")]
        try:
            worker.start()
            for beat in beats:
                beat.start()
            started = time.monotonic()
            time.sleep(RUN_SECONDS / 2)
            _due_work(side_a, suffix="second")  # new work half-way through
            time.sleep(max(0.0, RUN_SECONDS - (time.monotonic() - started)))
            for beat in beats:
                beat.stop()
            sweeps = [beat.sweeps_sent() for beat in beats]
            emailed = Notification.objects.exclude(
                email_state__in=[
                    Notification.EmailState.NOT_EMAILED,
                    Notification.EmailState.IN_DIGEST,
                    Notification.EmailState.DIGESTED,
                ]
            )
            assert wait_until(
                lambda: not emailed.exclude(email_state=Notification.EmailState.SENT).exists(), timeout=30
            ), list(
                emailed.exclude(email_state=Notification.EmailState.SENT).values_list("key", "email_state")
            )
            time.sleep(3)  # room for any second copy to arrive
        finally:
            for beat in beats:
                beat.stop()
            worker.stop()

        rows = list(emailed.values_list("recipient__email", "subject"))
        messages = [(str(m["To"]), str(m["Subject"])) for m in smtp.mailbox.parsed()]

    # Both beats really ran the whole minute, queueing the sweep many times each.
    assert all(count >= RUN_SECONDS // SWEEP_SECONDS - 5 for count in sweeps), sweeps
    # The rules wrote every kind of reminder, and each person got each one exactly once.
    subjects = {subject.split(":")[0] for _, subject in rows}
    assert {
        "Approval requested",
        "Approval waiting 3 days",
        "Due in 5 days",
        "Overdue by 16 days",
        "Overdue more than 14 days",
    } <= subjects
    assert len(rows) >= 2 * (6 + 4) + 2
    duplicates = {key: n for key, n in Counter(messages).items() if n > 1}
    assert duplicates == {}
    assert sorted(messages) == sorted(rows)
