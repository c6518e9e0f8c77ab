"""P4: 5,000 due reminders drained through 2 Celery workers (concurrency 1 each, Redis broker).

Rows are created due now, as the reminder sweep leaves them; one `deliver_due_notifications` task
(what `notify` and the periodic sweep queue) claims them and fans out delivery tasks that both
workers take. Mail goes over SMTP to an aiosmtpd server on loopback that counts messages. The clock
runs from queueing the task until every row is SENT (read from the database), bounded by a timeout.
"""

from __future__ import annotations

import logging
import os
import signal
import subprocess
import sys
import threading
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller
from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from coordinators.models import District, User
from mtss.notifications.kinds import Kind
from mtss.notifications.models import Notification
from tests.benchmarks.load import free_port

ROOT = Path(__file__).resolve().parents[2]
REMINDERS = 5_000
RECIPIENTS = 100
KEY_PREFIX = "bench-reminder:"
TIME_LIMIT = 120.0
TARGET_SECONDS = 30.0


class CountingHandler:
    """Counts the benchmark's own emails, and apart from them anything else the sweep found due
    in the data set (e.g. the import benchmark's "Imported" notice)."""

    def __init__(self) -> None:
        self.count = 0
        self.others = 0
        self.lock = threading.Lock()

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        ours = b"Subject: Overdue: action item " in envelope.content
        with self.lock:
            if ours:
                self.count += 1
            else:
                self.others += 1
        return "250 OK"


def _recipients() -> list[User]:
    people = []
    for n in range(RECIPIENTS):
        user, _ = User.objects.get_or_create(
            email=f"reader{n:03d}@bench.mtss", defaults={"full_name": f"Benchmark Reader {n:03d}"}
        )
        people.append(user)
    return people


def _clean() -> None:
    Notification.objects.filter(key__startswith=KEY_PREFIX).delete()


def _create_rows(district: District) -> None:
    people = _recipients()
    now = timezone.now()
    rows = [
        Notification(
            district=district,
            recipient=people[n % RECIPIENTS],
            kind=Kind.OVERDUE,
            subject=f"Overdue: action item {n}",
            body="An action item you own is past its due date.",
            url="/action-items/",
            key=f"{KEY_PREFIX}{n}",
            due_at=now - timedelta(minutes=1),
        )
        for n in range(REMINDERS)
    ]
    with transaction.atomic():
        Notification.objects.bulk_create(rows, batch_size=1000)


def _start_worker(name: str, env: dict[str, str], log: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [
            str(Path(sys.executable).parent / "celery"),
            "-A",
            "mtss",
            "worker",
            "--concurrency",
            "1",
            "--pool",
            "prefork",
            "-n",
            f"{name}@%h",
            "--without-mingle",
            "--without-gossip",
            "--loglevel",
            "WARNING",
        ],
        cwd=ROOT,
        env=env,
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(5)


def measure(district: District) -> dict[str, Any]:
    from mtss.celery import app
    from mtss.notifications.tasks import deliver_due_notifications

    logging.getLogger("mail.log").setLevel(logging.WARNING)  # aiosmtpd logs every SMTP command
    handler = CountingHandler()
    port = free_port()
    smtp = Controller(handler, hostname="127.0.0.1", port=port)
    smtp.start()
    env = {**os.environ, "EMAIL_URL": f"smtp://127.0.0.1:{port}", "DJANGO_SETTINGS_MODULE": "mtss.settings"}
    logs = ROOT / "var"
    logs.mkdir(exist_ok=True)
    workers: list[subprocess.Popen] = []
    result: dict[str, Any] = {"reminders": REMINDERS, "workers": 2, "concurrency_each": 1}
    try:
        _clean()
        app.control.purge()
        _create_rows(district)
        workers = [_start_worker(f"bench{n}", env, logs / f"bench-worker-{n}.log") for n in (1, 2)]
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if len(app.control.ping(timeout=1.0) or []) >= 2:
                break
        else:
            raise RuntimeError("the two Celery workers did not answer within 60 s")
        ours = Notification.objects.filter(key__startswith=KEY_PREFIX)
        started = time.perf_counter()
        deliver_due_notifications.delay()
        sent = 0
        stop_at = time.monotonic() + TIME_LIMIT
        while time.monotonic() < stop_at:
            sent = ours.filter(email_state=Notification.EmailState.SENT).count()
            if sent >= REMINDERS:
                break
            time.sleep(0.2)
        seconds = time.perf_counter() - started
        states = dict(ours.values_list("email_state").annotate(n=Count("id")).order_by())
        result.update(
            seconds=round(seconds, 2),
            sent=sent,
            smtp_messages=handler.count,
            smtp_other_messages=handler.others,
            per_second=round(sent / seconds, 1) if seconds else None,
            states=states,
            finished=sent >= REMINDERS,
            meets_target=sent >= REMINDERS and seconds < TARGET_SECONDS,
        )
    finally:
        for worker in workers:
            _stop(worker)
        smtp.stop()
        _clean()
    return result
