"""Page weight and chart drawing time in Chromium (P5: under 1.5 MB of script, charts drawn under 1 s
with the CPU throttled 4x).

The app runs under gunicorn with its static files collected (as in production); Debian's Chromium,
driven by Playwright, opens each page as the coordinator with the CPU slowed 4x through the DevTools
protocol. For each page: the script and style bytes it loaded (uncompressed), and the time from the last byte
of its HTML until every chart on the page says it is drawn (`data-chart-drawn`, set by
static/js/charts.js) or, for a page without charts, until the page has loaded. A page with no
chart is measured beside the chart pages as the baseline.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from django.conf import settings
from django.urls import reverse

from tests.benchmarks.load import free_port, session_cookie, start_gunicorn, stop

ROOT = Path(__file__).resolve().parents[2]
THROTTLE = 4
RUNS = 3
SCRIPT_LIMIT_BYTES = 1_500_000
DRAWN_LIMIT_MS = 1000
# Every element a chart is drawn into; each must end with data-chart-drawn "true" (or "empty").
CHARTS = "[data-chart], #time-chart, #rating-chart, #plan-timeline, [data-capacity-trend]"


def pages_to_measure(district: Any) -> list[tuple[str, str]]:
    from data_reviews.models import StudentResult

    busiest = (
        StudentResult.objects.filter(district=district)
        .values_list("school", flat=True)
        .order_by("school")
        .first()
    )
    pages = [
        ("Schools (no chart)", reverse("school_list")),
        ("District dashboard", reverse("score_district_dashboard")),
        ("Plan timeline", reverse("plan_timeline")),
        ("Capacity", reverse("capacity_list")),
        ("Coordinator time summary", reverse("time_summary")),
        ("Meeting ratings", reverse("meeting_ratings")),
    ]
    if busiest:
        pages.insert(2, ("School dashboard", reverse("score_school_dashboard", args=[busiest])))
    return pages


def _collect_static(env: dict[str, str]) -> None:
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=ROOT,
        env=env,
        check=True,
        timeout=300,
    )


def _measure_page(page: Any, url: str) -> dict[str, Any]:
    page.goto(url, wait_until="load", timeout=120_000)
    return page.wait_for_function(
        """(selector) => {
            const charts = [...document.querySelectorAll(selector)];
            if (!charts.every((c) => ["true", "empty"].includes(c.dataset.chartDrawn))) return false;
            const now = performance.now();
            const html = performance.getEntriesByType("navigation")[0];
            const files = (ext) => performance.getEntriesByType("resource")
                .filter((r) => new URL(r.name).pathname.endsWith(ext))
                .reduce((sum, r) => sum + r.decodedBodySize, 0);
            return {
                charts: charts.length,
                script_bytes: files(".js"),
                style_bytes: files(".css"),
                // From the last byte of the page's HTML to the last chart drawn: the browser's share
                // (parsing, running the scripts, drawing), not the server's.
                drawn_ms: Math.round((now - html.responseEnd) * 10) / 10,
            };
        }""",
        arg=CHARTS,
        timeout=120_000,
        polling=50,
    ).json_value()


def measure(district: Any, user: Any) -> dict[str, Any]:
    from playwright.sync_api import sync_playwright

    static_root = tempfile.mkdtemp(prefix="mtss-bench-static-")
    env = {**os.environ, "STATIC_ROOT": static_root, "DJANGO_SETTINGS_MODULE": "tests.benchmarks.settings"}
    _collect_static(env)
    cookie = session_cookie(user)
    pages = pages_to_measure(district)  # Django's ORM before Playwright's event loop starts
    port = free_port()
    process = start_gunicorn(port, env)
    rows = []
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path="/usr/bin/chromium")
            base = f"http://127.0.0.1:{port}"

            def run(path: str, throttle: int) -> dict[str, Any]:
                # A new context each time: nothing comes from an earlier page's cache.
                context = browser.new_context(viewport={"width": 1366, "height": 800})
                session = {"name": settings.SESSION_COOKIE_NAME, "value": cookie}
                context.add_cookies([{**session, "domain": "127.0.0.1", "path": "/"}])
                page = context.new_page()
                context.new_cdp_session(page).send("Emulation.setCPUThrottlingRate", {"rate": throttle})
                try:
                    return _measure_page(page, base + path)
                finally:
                    context.close()

            for label, path in pages:
                run(path, 1)  # warm the server
                runs = [run(path, THROTTLE) for _ in range(RUNS)]
                drawn = sorted(r["drawn_ms"] for r in runs)
                median = drawn[len(drawn) // 2]
                rows.append({"page": label, "path": path, **runs[-1], "drawn_ms_median": median})
            browser.close()
    finally:
        stop(process)
    return {"throttle": THROTTLE, "runs": RUNS, "pages": rows}


def weight_rows(result: dict[str, Any]) -> tuple[list[str], list[list[Any]]]:
    header = [
        "Page",
        "Charts",
        "Script KB",
        "Style KB",
        f"Drawn ms ({result['throttle']}x CPU, median of {result['runs']})",
        "Script < 1.5 MB",
        "Drawn < 1 s",
    ]
    rows = []
    for p in result["pages"]:
        rows.append(
            [
                p["page"],
                p["charts"],
                round(p["script_bytes"] / 1000),
                round(p["style_bytes"] / 1000),
                p["drawn_ms_median"],
                "yes" if p["script_bytes"] < SCRIPT_LIMIT_BYTES else "NO",
                "yes" if p["drawn_ms_median"] < DRAWN_LIMIT_MS else "NO",
            ]
        )
    return header, rows
