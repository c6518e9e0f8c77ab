"""Requests per second under gunicorn (2 sync workers, loopback) for list pages beside a trivial view (P2).

The load generator is bounded: a few threads, each with its own http.client connection per request
(gunicorn's sync workers close the connection after each response), for a fixed number of seconds.
"""

from __future__ import annotations

import http.client
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

from django.conf import settings
from django.test import Client

ROOT = Path(__file__).resolve().parents[2]
THREADS = 4
SECONDS = 8.0
LIST_RPS_RATIO = 1 / 15


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def session_cookie(user: Any) -> str:
    client = Client()
    client.force_login(user)
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def hammer(
    port: int, path: str, cookie: str, seconds: float = SECONDS, threads: int = THREADS
) -> dict[str, Any]:
    stop_at = time.monotonic() + seconds
    counts = {"ok": 0, "bad": 0}
    lock = threading.Lock()
    headers = {"Cookie": f"{settings.SESSION_COOKIE_NAME}={cookie}"} if cookie else {}

    def worker() -> None:
        ok = bad = 0
        while time.monotonic() < stop_at:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            try:
                conn.request("GET", path, headers=headers)
                response = conn.getresponse()
                response.read()
                if response.status == 200:
                    ok += 1
                else:
                    bad += 1
            except OSError:
                bad += 1
            finally:
                conn.close()
        with lock:
            counts["ok"] += ok
            counts["bad"] += bad

    started = time.monotonic()
    pool = [threading.Thread(target=worker, daemon=True) for _ in range(threads)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join(seconds + 15)
    elapsed = time.monotonic() - started
    return {
        "path": path,
        "ok": counts["ok"],
        "errors": counts["bad"],
        "rps": round(counts["ok"] / elapsed, 1),
    }


def start_gunicorn(port: int, env: dict[str, str]) -> subprocess.Popen:
    process = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "mtss.wsgi",
            "--workers",
            "2",
            "--bind",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
            "--timeout",
            "30",
        ],
        cwd=ROOT,
        env={**env, "DJANGO_SETTINGS_MODULE": "tests.benchmarks.settings"},
        start_new_session=True,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/bench/trivial")
            if conn.getresponse().status == 200:
                conn.close()
                return process
        except OSError:
            time.sleep(0.3)
    stop(process)
    raise RuntimeError("gunicorn did not answer within 30 s")


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(5)


def measure(list_pages: list[tuple[str, str]], user: Any) -> dict[str, Any]:
    """list_pages: (label, path). The anonymous trivial view runs before and after the list pages (signed in);
    the ratio uses the mean of those two runs."""
    cookie = session_cookie(user)
    port = free_port()
    process = start_gunicorn(port, dict(os.environ))
    try:
        for path in ["/bench/trivial", *[p for _l, p in list_pages]]:  # warm both workers
            hammer(port, path, cookie, seconds=1.0)
        # The baseline is anonymous (no session read); the signed-in run shows the session's share.
        trivial_runs = [hammer(port, "/bench/trivial", "")]
        signed_in = hammer(port, "/bench/trivial", cookie)
        pages = []
        for label, path in list_pages:
            pages.append({"page": label, **hammer(port, path, cookie)})
        trivial_runs.append(hammer(port, "/bench/trivial", ""))
    finally:
        stop(process)
    trivial_rps = sum(r["rps"] for r in trivial_runs) / len(trivial_runs)
    for page in pages:
        page["ratio"] = round(page["rps"] / trivial_rps, 3) if trivial_rps else None
        page["one_in"] = round(trivial_rps / page["rps"], 1) if page["rps"] else None
        page["meets_target"] = bool(page["ratio"] and page["ratio"] >= LIST_RPS_RATIO)
    return {
        "workers": 2,
        "threads": THREADS,
        "seconds_each": SECONDS,
        "trivial": trivial_runs,
        "trivial_rps": round(trivial_rps, 1),
        "trivial_signed_in": signed_in,
        "pages": pages,
    }
