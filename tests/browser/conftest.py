"""Playwright driving Debian's Chromium against Django's live server.

Browser tests sign in through the real login form. Screenshots land in var/screenshots/
when MTSS_SCREENSHOTS=1, for looking at pages while building them.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in this thread; the ORM calls in tests are still
# synchronous and safe here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

from playwright.sync_api import Browser, Page, expect, sync_playwright

from tests.factories import PASSWORD

CHROMIUM = os.environ.get("MTSS_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SCREENSHOT_DIR = Path(__file__).resolve().parents[2] / "var" / "screenshots"
# Waits hold on a loaded 2-core machine: CI runs the browser beside PostgreSQL, Redis and workers.
# Tests wait for what the app signals (a chart's data-chart-drawn, a progress bar's state), never
# for a fixed time.
WAIT_MS = 20_000
expect.set_options(timeout=WAIT_MS)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def new_page(browser: Browser) -> Iterator[Callable[[], Page]]:
    contexts = []

    def make() -> Page:
        context = browser.new_context(viewport={"width": 1366, "height": 850})
        context.set_default_timeout(WAIT_MS)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()
    _wait_for_live_server_requests()


def _wait_for_live_server_requests(timeout: float = 5.0) -> None:
    """On PostgreSQL, let requests still in flight (the bell polls) finish before the test's
    tables are truncated: a request reading while TRUNCATE locks its tables can deadlock it."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                "AND pid <> pg_backend_pid() AND state IN ('active', 'idle in transaction')"
            )
            if cursor.fetchone()[0] == 0:
                return
        time.sleep(0.05)


@pytest.fixture
def sign_in(live_server, new_page: Callable[[], Page]) -> Callable[..., Page]:
    """Open a fresh browser page and sign in through the login form as `email`."""

    def login(email: str, password: str = PASSWORD) -> Page:
        page = new_page()
        page.goto(f"{live_server.url}/accounts/login/")
        page.get_by_label("Email address").fill(email)
        page.get_by_label("Password").fill(password)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_load_state("networkidle")
        return page

    return login


def screenshot(page: Page, name: str) -> None:
    """Save a full-page screenshot when MTSS_SCREENSHOTS=1 (for looking, not for asserting)."""
    if os.environ.get("MTSS_SCREENSHOTS") == "1":
        SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOT_DIR / f"{name}.png"), full_page=True)


AXE_SOURCE = Path(__file__).resolve().parents[2] / "static" / "vendor" / "axe-core" / "axe.min.js"
AXE_BLOCKING_IMPACTS = {"serious", "critical"}


def axe_violations(page: Page) -> list[str]:
    """Run axe-core (served from static/vendor) on the page; return serious and critical violations.

    axe is injected through Playwright's evaluate, which the page's CSP does not govern, so the
    page under test keeps its strict policy.
    """
    page.evaluate(AXE_SOURCE.read_text(encoding="utf-8") + "\n;undefined")
    results = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
        for v in results["violations"]
        if v["impact"] in AXE_BLOCKING_IMPACTS
    ]
