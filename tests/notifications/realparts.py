"""A real SMTP server on loopback and a real Celery worker, for tests and the benchmark."""

from __future__ import annotations

import contextlib
import email
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from email.message import Message
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller

BASE_DIR = Path(__file__).resolve().parents[2]
CELERY = str(Path(sys.executable).with_name("celery"))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Mailbox:
    """An aiosmtpd handler that keeps every message it accepts.

    With `hold` set, it records each message as received and then waits (without answering the
    client) until `hold` is cleared: that is the moment to kill a worker in the middle of a send.
    """

    def __init__(self) -> None:
        self.raw: list[bytes] = []
        self.arrived = threading.Event()
        self.hold = threading.Event()
        self._lock = threading.Lock()

    async def handle_DATA(self, server: object, session: object, envelope: object) -> str:
        import asyncio

        with self._lock:
            self.raw.append(envelope.content)
        self.arrived.set()
        while self.hold.is_set():
            await asyncio.sleep(0.05)
        return "250 Message accepted for delivery"

    def parsed(self) -> list[Message]:
        # A method, not a property: aiosmtpd inspects the handler's attributes per connection.
        with self._lock:
            raw = list(self.raw)
        return [email.message_from_bytes(content) for content in raw]

    def wait_for(self, count: int, timeout: float = 30.0) -> list[Message]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and len(self.raw) < count:
            time.sleep(0.05)
        return self.parsed()

    def subjects(self) -> list[str]:
        return [str(m["Subject"]) for m in self.parsed()]


class SmtpServer:
    def __init__(self) -> None:
        self.mailbox = Mailbox()
        self.port = free_port()
        self.controller = Controller(self.mailbox, hostname="127.0.0.1", port=self.port)

    @property
    def url(self) -> str:
        return f"smtp://127.0.0.1:{self.port}"

    def __enter__(self) -> SmtpServer:
        self.controller.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.mailbox.hold.clear()
        self.controller.stop()


def services_available() -> bool:
    """True when the environment names the real PostgreSQL and Redis (as in CI)."""
    return os.environ.get("DATABASE_URL", "").startswith("postgres") and os.environ.get(
        "CELERY_BROKER_URL", ""
    ).startswith("redis")


def real_services_only() -> list[pytest.MarkDecorator]:
    """The marks of a test module that needs the real PostgreSQL, Redis and worker processes.

    On the embedded set-up its tests are skipped, saying why; in CI a missing service is an error
    instead, since a skip there would hide that these tests never ran.
    """
    real = services_available()
    if os.environ.get("CI") == "true" and not real:  # pragma: no cover - a misconfigured CI run
        raise RuntimeError("CI must set DATABASE_URL (PostgreSQL) and CELERY_BROKER_URL (Redis).")
    return [
        pytest.mark.django_db(transaction=True),
        pytest.mark.services,
        pytest.mark.skipif(not real, reason="needs the real PostgreSQL and Redis; CI always runs it"),
    ]


def database_url_for(database_name: str) -> str:
    """DATABASE_URL with the database swapped for `database_name` (the test database)."""
    base = os.environ["DATABASE_URL"].rsplit("/", 1)[0]
    return f"{base}/{database_name}"


class Worker:
    """`celery -A mtss worker` in its own process group, solo pool so kill -9 stops the send itself."""

    def __init__(self, *, database_url: str, email_url: str, name: str = "w1", concurrency: int = 1) -> None:
        self.env = {
            **os.environ,
            "DATABASE_URL": database_url,
            "EMAIL_URL": email_url,
            "LOG_LEVEL": "WARNING",
        }
        self.name = name
        self.concurrency = concurrency
        self.process: subprocess.Popen[str] | None = None
        self.log = BASE_DIR / "var" / f"test-worker-{name}.log"

    def start(self, timeout: float = 60.0) -> Worker:
        pool = ["--pool=solo"] if self.concurrency == 1 else [f"--concurrency={self.concurrency}"]
        self.process = start_celery(
            [
                "worker",
                *pool,
                "--loglevel=INFO",
                "--without-mingle",
                "--without-gossip",
                "--without-heartbeat",
                "-n",
                f"{self.name}@%h",
            ],
            env=self.env,
            log=self.log,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if "ready." in self.log.read_text():
                return self
            if self.process.poll() is not None:
                raise RuntimeError(f"The worker stopped: {self.log.read_text()[-2000:]}")
            time.sleep(0.2)
        raise RuntimeError(f"The worker did not start: {self.log.read_text()[-2000:]}")

    def kill_9(self) -> None:
        assert self.process is not None
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self) -> None:
        stop_group(self.process)


def start_celery(args: list[str], *, env: dict[str, str], log: Path) -> subprocess.Popen[str]:
    """`celery -A mtss <args>` in its own process group, its output in `log`."""
    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("w") as out:
        return subprocess.Popen(
            [CELERY, "-A", "mtss", *args],
            cwd=BASE_DIR,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,
        )


def stop_group(process: subprocess.Popen[str] | None) -> None:
    """SIGTERM a process group started with start_new_session; SIGKILL it if it lingers."""
    if process is not None and process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)


def wait_until(condition: Callable[[], bool], timeout: float = 30.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return condition()


@contextlib.contextmanager
def mail_through_worker(settings: Any, *, name: str) -> Iterator[SmtpServer]:
    """The app's email goes to a loopback SMTP server, sent by a real worker where one can run.

    With the real PostgreSQL and Redis, a `celery -A mtss worker` process (reading the test
    database) sends it; otherwise tasks run eagerly in this process and the mail still goes over
    SMTP. `settings` is pytest-django's fixture; the test needs a transactional database.
    """

    from mtss.celery import app as celery_app

    real = services_available()
    if os.environ.get("CI") == "true" and not real:
        pytest.fail("CI must set DATABASE_URL (PostgreSQL) and CELERY_BROKER_URL (Redis) for these tests.")
    with SmtpServer() as server:
        settings.MAILERS = {
            "default": {
                "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
                "OPTIONS": {"host": "127.0.0.1", "port": server.port, "timeout": 10},
            }
        }
        if not real:
            before = celery_app.conf.task_always_eager
            celery_app.conf.task_always_eager = True
            try:
                yield server
            finally:
                celery_app.conf.task_always_eager = before
            return
        with worker_on_test_database(name=name, email_url=server.url):
            yield server


@contextlib.contextmanager
def worker_on_test_database(*, name: str, email_url: str, concurrency: int = 1) -> Iterator[Worker]:
    """A real worker on an emptied broker queue, reading the test database; stopped at the end."""
    import redis
    from django.db import connection

    redis.Redis.from_url(os.environ["CELERY_BROKER_URL"]).flushdb()
    worker = Worker(
        database_url=database_url_for(connection.settings_dict["NAME"]),
        email_url=email_url,
        name=name,
        concurrency=concurrency,
    )
    worker.start()
    try:
        yield worker
    finally:
        worker.stop()
