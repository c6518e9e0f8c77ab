"""PostgreSQL stopped: pages answer a plain 503 within 5 s and recover by themselves (docs/quality.md R5).

A throwaway PostgreSQL cluster on its own port is started, stopped and started again, so the
machine's shared server is never touched. The app runs as a real server process (gunicorn).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PG_BIN = Path("/usr/lib/postgresql/15/bin")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _as_postgres(*args: str) -> None:
    command = list(args)
    if os.geteuid() == 0:
        command = ["runuser", "-u", "postgres", "--", *command]
    # No pipes: the server started by pg_ctl would hold them open and the call would never return.
    subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=60, check=True)


class Cluster:
    def __init__(self, data_dir: Path, port: int) -> None:
        self.data_dir, self.port = data_dir, port

    def start(self) -> None:
        _as_postgres(
            str(PG_BIN / "pg_ctl"),
            "-D",
            str(self.data_dir),
            "-w",
            "-l",
            str(self.data_dir / "log"),
            "-o",
            f"-p {self.port} -k {self.data_dir} -c listen_addresses=127.0.0.1",
            "start",
        )

    def stop(self) -> None:
        _as_postgres(str(PG_BIN / "pg_ctl"), "-D", str(self.data_dir), "-w", "-m", "fast", "stop")


@pytest.fixture
def cluster() -> Iterator[Cluster]:
    if not (PG_BIN / "initdb").exists():
        pytest.fail(f"PostgreSQL server binaries are needed at {PG_BIN} (Debian package postgresql)")
    # Directly under the system temp folder: the postgres user must be able to reach it.
    base = Path(tempfile.mkdtemp(prefix="mtss-pg-outage-"))
    data_dir = base / "data"
    data_dir.mkdir()
    if os.geteuid() == 0:
        shutil.chown(base, "postgres")
        shutil.chown(data_dir, "postgres")
    _as_postgres(str(PG_BIN / "initdb"), "-D", str(data_dir), "-U", "postgres", "--auth=trust", "-E", "UTF8")
    server = Cluster(data_dir, _free_port())
    server.start()
    yield server
    with contextlib.suppress(subprocess.CalledProcessError):
        _as_postgres(str(PG_BIN / "pg_ctl"), "-D", str(data_dir), "-m", "immediate", "stop")
    shutil.rmtree(base, ignore_errors=True)


def _get(url: str) -> tuple[int, str, float]:
    """GET as a signed-in person would: a session cookie makes the request need the database."""
    started = time.monotonic()
    cookie = {"Cookie": "sessionid=abcdefghijklmnopqrstuvwxyz012345"}
    request = urllib.request.Request(url, headers=cookie)  # noqa: S310 - loopback URL built here
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 - loopback URL built here
            return response.status, response.read().decode(), time.monotonic() - started
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode(), time.monotonic() - started


def test_pages_answer_503_while_postgres_is_down_and_recover(cluster: Cluster, tmp_path: Path):
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_", "DJANGO_"))},
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:{cluster.port}/postgres",
        "MTSS_VAR_DIR": str(tmp_path),
        "DEBUG": "false",
        "SECRET_KEY": "outage-test-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz-0123456789",
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "false",
    }
    for command in (["migrate", "--noinput", "-v0"], ["collectstatic", "--noinput", "-v0"]):
        subprocess.run([sys.executable, "manage.py", *command], cwd=ROOT, env=env, check=True, timeout=300)
    port = _free_port()
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "mtss.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "1",
            "--timeout",
            "30",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    page = f"http://127.0.0.1:{port}/accounts/login/"
    try:
        for _ in range(100):
            try:
                if _get(page)[0] == 200:
                    break
            except OSError:
                time.sleep(0.2)
        assert _get(page)[0] == 200

        cluster.stop()
        status, body, seconds = _get(page)
        assert status == 503
        assert seconds < 5
        assert "briefly unavailable" in body
        assert "Traceback" not in body
        assert "OperationalError" not in body

        cluster.start()
        status, body, _ = _get(page)
        assert status == 200, body[:500]
        assert "Sign in" in body
    finally:
        server.terminate()
        server.wait(timeout=10)
