"""P4: drain 5,000 due reminders through 2 Celery workers and print the time (target: under 30 s).

Not part of `make test`. Needs PostgreSQL and Redis, as in production:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/mtss_h7 CELERY_BROKER_URL=redis://127.0.0.1:6379/8 \\
        .venv/bin/python -m tests.benchmarks.reminders_bench

It migrates that database, writes 5,000 due notification rows for a throw-away district, starts
two `celery -A mtss worker` processes and an SMTP server on loopback, runs one sweep and waits
until every row is SENT. The district and its rows are deleted afterwards.
"""

from __future__ import annotations

import os
import sys
import time

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mtss.settings")
django.setup()

from django.core.management import call_command  # noqa: E402
from django.utils import timezone  # noqa: E402

from coordinators.models import District, User  # noqa: E402
from mtss.notifications.delivery import notifications_sweep_due  # noqa: E402
from mtss.notifications.kinds import Kind  # noqa: E402
from mtss.notifications.models import Notification  # noqa: E402
from tests.notifications.realparts import SmtpServer, Worker, services_available  # noqa: E402

REMINDERS = 5_000
WORKERS = 2
# Each `celery -A mtss worker` with its default pool on a 2-core machine: 2 processes.
WORKER_CONCURRENCY = 2
TIMEOUT_SECONDS = 300


def main() -> int:
    if not services_available():
        print("Set DATABASE_URL to PostgreSQL and CELERY_BROKER_URL to Redis.", file=sys.stderr)
        return 2
    import redis

    call_command("migrate", verbosity=0)
    redis.Redis.from_url(os.environ["CELERY_BROKER_URL"]).flushdb()
    district, _ = District.objects.get_or_create(
        slug="reminder-benchmark", defaults={"name": "Benchmark District"}
    )
    Notification.objects.filter(district=district).delete()
    people = [
        User.objects.get_or_create(
            email=f"bench{n}@example.org", defaults={"full_name": f"Bench Person {n}"}
        )[0]
        for n in range(50)
    ]
    now = timezone.now()
    Notification.objects.bulk_create(
        Notification(
            district=district,
            recipient=people[n % len(people)],
            kind=Kind.DUE_SOON,
            subject=f"Due tomorrow: Benchmark item {n}",
            url="/",
            key=f"bench:{n}",
            due_at=now,
        )
        for n in range(REMINDERS)
    )
    with SmtpServer() as smtp:
        workers = [
            Worker(
                database_url=os.environ["DATABASE_URL"],
                email_url=smtp.url,
                name=f"bench{n}",
                concurrency=WORKER_CONCURRENCY,
            )
            for n in range(WORKERS)
        ]
        try:
            for worker in workers:
                worker.start()
            started = time.monotonic()
            result = notifications_sweep_due()
            queued = time.monotonic() - started
            rows = Notification.objects.filter(district=district)
            while rows.filter(email_state=Notification.EmailState.SENT).count() < REMINDERS:
                if time.monotonic() - started > TIMEOUT_SECONDS:
                    print("Timed out", file=sys.stderr)
                    return 1
                time.sleep(0.2)
            elapsed = time.monotonic() - started
        finally:
            for worker in workers:
                worker.stop()
        received = len(smtp.mailbox.raw)
    Notification.objects.filter(district=district).delete()
    district.delete()
    print(
        f"{REMINDERS} reminders claimed and queued in {queued:.2f} s ({result.claimed} claimed); "
        f"all sent through {WORKERS} workers in {elapsed:.2f} s; the mail server received {received}."
    )
    return 0 if received == REMINDERS and elapsed < 30 else 1


if __name__ == "__main__":
    sys.exit(main())
