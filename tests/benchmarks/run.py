"""`make bench`: build the district-scale data set if absent, then measure P2, search, P3, P4, P5 in one run.

Needs PostgreSQL and Redis, e.g.
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/mtss_bench \
    CELERY_BROKER_URL=redis://127.0.0.1:6379/10 make bench
Writes var/bench-results.json and tests/benchmarks/RESULTS.md. Every step is bounded in time; all
traffic stays on loopback.
"""

from __future__ import annotations

import json
import os
import platform
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
RESULTS_JSON = ROOT / "var" / "bench-results.json"
RESULTS_MD = Path(__file__).resolve().parent / "RESULTS.md"
IMPORT_TIME_LIMIT = 300
# Every list page a coordinator opens (the load generator signs in as the coordinator).
RPS_PAGES = [
    "Schools",
    "People",
    "Meetings",
    "My action items",
    "Data reviews",
    "Imports",
    "Processes",
    "Plan",
    "Capacity",
    "Barriers",
    "Initiatives",
    "Practices",
    "Notifications",
]


def _require_services() -> None:
    database = os.environ.get("DATABASE_URL", "")
    broker = os.environ.get("CELERY_BROKER_URL", "")
    if not database.startswith(("postgres://", "postgresql://")) or not broker.startswith("redis://"):
        sys.exit(
            "make bench measures against PostgreSQL and Redis. Set both, e.g.\n"
            "  DATABASE_URL=postgres://postgres@127.0.0.1:5432/mtss_bench "
            "CELERY_BROKER_URL=redis://127.0.0.1:6379/10 make bench"
        )


def _machine() -> dict[str, Any]:
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {
        "cores": os.cpu_count(),
        "cpu": cpu,
        "python": platform.python_version(),
        "system": f"{platform.system()} {platform.release()}",
    }


def _section(title: str) -> None:
    print(f"\n== {title}", flush=True)


def _fmt(value: Any) -> str:
    return "-" if value is None else str(value)


def _table(headers: list[str], rows: list[list[Any]]) -> list[str]:
    cells = [[_fmt(c) for c in row] for row in rows]
    widths = [max(len(h), *(len(r[i]) for r in cells)) if cells else len(h) for i, h in enumerate(headers)]
    lines = [" | ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True))]
    lines.append("-+-".join("-" * w for w in widths))
    lines += [" | ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)) for row in cells]
    return lines


def _md_table(headers: list[str], rows: list[list[Any]]) -> list[str]:
    lines = ["| " + " | ".join(headers) + " |", "|" + "|".join("---" for _ in headers) + "|"]
    lines += ["| " + " | ".join(_fmt(c) for c in row) + " |" for row in rows]
    return lines


def _yes(flag: Any) -> str:
    return "-" if flag is None else ("yes" if flag else "NO")


def page_rows(pages: list[dict[str, Any]]) -> tuple[list[str], list[list[Any]]]:
    headers = ["Page", "As", "Status", "Queries", "SQL ms", "p50 ms", "p95 ms", "max ms", "n", "p95 < 150 ms"]
    rows = [
        [
            p["page"],
            p["role"],
            p["status"],
            p["queries"],
            p.get("sql_ms"),
            p.get("p50_ms"),
            p.get("p95_ms"),
            p.get("max_ms"),
            p.get("n"),
            _yes(p.get("meets_target")) if p["dashboard"] else "(list)",
        ]
        for p in pages
    ]
    return headers, rows


def rps_rows(load: dict[str, Any]) -> tuple[list[str], list[list[Any]]]:
    headers = ["Path", "Requests/s", "OK", "Errors", "Ratio to trivial", "At least 1/15"]
    rows = [
        [f"/bench/trivial, anonymous (run {n})", t["rps"], t["ok"], t["errors"], "1", "-"]
        for n, t in enumerate(load["trivial"], start=1)
    ]
    if load.get("trivial_signed_in"):
        t = load["trivial_signed_in"]
        ratio = round(t["rps"] / load["trivial_rps"], 3) if load["trivial_rps"] else None
        rows.append(["/bench/trivial, signed in", t["rps"], t["ok"], t["errors"], ratio, "-"])
    rows += [
        [
            f"{p['page']} {p['path']}",
            p["rps"],
            p["ok"],
            p["errors"],
            f"{p['ratio']} (1/{p['one_in']})",
            _yes(p["meets_target"]),
        ]
        for p in load["pages"]
    ]
    return headers, rows


def import_rows(imp: dict[str, Any]) -> tuple[list[str], list[list[Any]]]:
    ratio = round(imp["run_seconds"] / imp["copy_seconds"], 1) if imp.get("copy_seconds") else None
    total_ratio = round(imp["total_seconds"] / imp["copy_seconds"], 1) if imp.get("copy_seconds") else None
    imp["ratio_run_to_copy"], imp["ratio_total_to_copy"] = ratio, total_ratio
    imp["meets_time"] = imp["total_seconds"] < 10
    imp["meets_ratio"] = bool(ratio and ratio <= 8)
    imp["meets_memory"] = imp["maxrss_mb_peak"] < 500
    headers = ["Measure", "Value", "Target", "Met"]
    rows = [
        ["Rows (generic long CSV, MB)", f"{imp['rows']} ({imp['csv_mb']} MB)", "", ""],
        [
            "Outcome",
            f"{imp['status']}, {imp['rows_stored']} stored, {imp['rows_with_tier']} with a tier",
            "all",
            "",
        ],
        ["Preview: upload checks, parse, validate (s)", imp["check_seconds"], "", ""],
        ["Import: validate again, store, tiers (s)", imp["run_seconds"], "", ""],
        ["Preview + import (s)", imp["total_seconds"], "< 10 s", _yes(imp["meets_time"])],
        *[[f"  of which {label} (s)", seconds, "", ""] for label, seconds in imp.get("phases", {}).items()],
        ["PostgreSQL COPY of the same rows (s)", imp["copy_seconds"], "", ""],
        ["Import / COPY", f"{ratio}x", "<= 8x", _yes(imp["meets_ratio"])],
        ["(Preview + import) / COPY", f"{total_ratio}x", "", ""],
        ["Peak memory, whole process (MB)", imp["maxrss_mb_peak"], "< 500 MB", _yes(imp["meets_memory"])],
        ["  of which before the import began (MB)", imp["maxrss_mb_before_import"], "", ""],
    ]
    return headers, rows


def reminder_rows(rem: dict[str, Any]) -> tuple[list[str], list[list[Any]]]:
    headers = ["Measure", "Value", "Target", "Met"]
    rows = [
        ["Reminders due", rem["reminders"], "", ""],
        ["Workers", f"{rem['workers']} x concurrency {rem['concurrency_each']}", "", ""],
        ["Sent (database) / received (SMTP)", f"{rem.get('sent')} / {rem.get('smtp_messages')}", "all", ""],
        ["Other due emails the same sweep sent", str(rem.get("smtp_other_messages", 0)), "", ""],
        ["Time to drain (s)", rem.get("seconds"), "< 30 s", _yes(rem.get("meets_target"))],
        ["Emails per second", rem.get("per_second"), "", ""],
    ]
    return headers, rows


def run_import() -> dict[str, Any]:
    completed = subprocess.run(
        [sys.executable, "-m", "tests.benchmarks.import_run"],
        cwd=ROOT,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "tests.benchmarks.settings"},
        capture_output=True,
        text=True,
        timeout=IMPORT_TIME_LIMIT,
        check=False,
    )
    if completed.returncode != 0:
        return {"error": completed.stderr[-2000:]}
    return json.loads(completed.stdout.strip().splitlines()[-1])


def main() -> None:
    _require_services()
    os.environ["DJANGO_SETTINGS_MODULE"] = "tests.benchmarks.settings"
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    from coordinators.models import District, Membership, Role
    from tests.benchmarks import dataset, load, page_weight, pages, reminders, search_bench

    results: dict[str, Any] = {
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "machine": _machine(),
        "database": "PostgreSQL",
        "load_average_at_start": [round(x, 2) for x in os.getloadavg()],
    }
    started = time.perf_counter()

    _section("Data set (district scale)")
    call_command("migrate", verbosity=0, interactive=False)
    results["dataset"] = dataset.ensure()
    print(json.dumps(results["dataset"], indent=2), flush=True)
    district = District.objects.get(slug=dataset.DISTRICT_SLUG)
    coordinator = (
        Membership.objects.filter(district=district, role=Role.COORDINATOR).order_by("pk").first().user
    )

    # Chart drawing under a throttled CPU is the figure a busy machine distorts most: measure it first.
    _section(f"Page weight and chart drawing in Chromium, CPU throttled {page_weight.THROTTLE}x")
    try:
        results["page_weight"] = page_weight.measure(district, coordinator)
        print("\n".join(_table(*page_weight.weight_rows(results["page_weight"]))), flush=True)
    except Exception as error:
        results["page_weight"] = {"error": f"{type(error).__name__}: {error}"}
        print(results["page_weight"]["error"], flush=True)

    _section(f"Page server time (Django test Client, {pages.REQUESTS} requests each)")
    results["pages"] = pages.measure(district)
    print("\n".join(_table(*page_rows(results["pages"]))), flush=True)

    _section(f"Search server time (Django test Client, {search_bench.REQUESTS} requests each)")
    results["search"] = search_bench.measure(district)
    print(search_bench.describe(results["search"]), flush=True)
    print("\n".join(_table(*search_bench.rows_for_table(results["search"]))), flush=True)

    _section("Requests per second, gunicorn 2 workers on loopback, beside a trivial view")
    by_label = {p["page"]: p["url"] for p in results["pages"] if p["status"] == 200}
    list_pages = [(label, by_label[label]) for label in RPS_PAGES if label in by_label]
    results["load"] = load.measure(list_pages, coordinator)
    print("\n".join(_table(*rps_rows(results["load"]))), flush=True)

    _section("100,000-row screener import against PostgreSQL COPY (own process)")
    results["import"] = run_import()
    if "error" in results["import"]:
        print(results["import"]["error"], flush=True)
    else:
        print("\n".join(_table(*import_rows(results["import"]))), flush=True)

    _section("5,000 due reminders through 2 Celery workers")
    try:
        results["reminders"] = reminders.measure(district)
        print("\n".join(_table(*reminder_rows(results["reminders"]))), flush=True)
    except Exception as error:
        results["reminders"] = {"error": f"{type(error).__name__}: {error}"}
        print(results["reminders"]["error"], flush=True)

    results["seconds"] = round(time.perf_counter() - started, 1)
    results["load_average_at_end"] = [round(x, 2) for x in os.getloadavg()]
    RESULTS_JSON.parent.mkdir(exist_ok=True)
    RESULTS_JSON.write_text(json.dumps(results, indent=2, default=str))
    RESULTS_MD.write_text(markdown(results))
    print(
        f"\nWrote {RESULTS_JSON.relative_to(ROOT)} and {RESULTS_MD.relative_to(ROOT)} "
        f"({results['seconds']} s in all)."
    )


def markdown(results: dict[str, Any]) -> str:
    machine = results["machine"]
    data = results["dataset"]
    counts = data["counts"]
    out = [
        "# Benchmark results",
        "",
        f"Measured {results['date']} by `make bench` on {machine['cores']} cores ({machine['cpu']}), "
        f"{machine['system']}, Python {machine['python']}, PostgreSQL and Redis on loopback. "
        "The machine was shared with other work while it ran (load average 1/5/15 min: "
        f"{results['load_average_at_start']} at the start, {results['load_average_at_end']} at the end), "
        "so treat the figures as an upper bound; on a busy machine the dashboards' p95 moves by 2x.",
        "",
        "## Data set",
        "",
        ", ".join(f"{k.replace('_', ' ')}: {v:,}" for k, v in counts.items()) + ".",
        "",
    ]
    if data.get("seeder_failures"):
        out += ["Demo seeders that failed while building it (their content is missing):", ""]
        out += [f"- `{name}`: {reason}" for name, reason in data["seeder_failures"].items()]
        out.append("")
    out += ["## Page server time (P2: dashboards p95 < 150 ms)", ""]
    out += _md_table(*page_rows(results["pages"]))
    if "search" in results:
        from tests.benchmarks import search_bench

        out += ["", "## Search server time (issue 14: p95 < 100 ms at district scale)", ""]
        out += [search_bench.describe(results["search"]), ""]
        out += _md_table(*search_bench.rows_for_table(results["search"]))
    out += ["", "## Requests per second beside a trivial view (P2: list pages at least 1/15)", ""]
    load = results["load"]
    out.append(
        f"gunicorn with {load['workers']} sync workers on 127.0.0.1, {load['threads']} client threads "
        f"(Python http.client, one connection per request) for {load['seconds_each']} s "
        "per path; the trivial view (`/bench/trivial`, full middleware stack) ran before and after "
        "the list pages. The load generator shares the 2 cores, which caps the trivial view's figure most."
    )
    out.append("")
    out += _md_table(*rps_rows(load))
    out += ["", "## 100,000-row import against PostgreSQL COPY (P3)", ""]
    if "error" in results["import"]:
        out += ["Not measured: the import process failed:", "", "```", results["import"]["error"], "```"]
    else:
        out += _md_table(*import_rows(results["import"]))
    out += ["", "## 5,000 due reminders through 2 Celery workers (P4)", ""]
    if "error" in results["reminders"]:
        out += [f"Not measured: {results['reminders']['error']}"]
    else:
        out += _md_table(*reminder_rows(results["reminders"]))
    if "page_weight" in results:
        from tests.benchmarks import page_weight

        out += ["", "## Page weight and chart drawing (P5: script < 1.5 MB, drawn < 1 s at 4x CPU)", ""]
        if "error" in results["page_weight"]:
            out += [f"Not measured: {results['page_weight']['error']}"]
        else:
            out += [
                "Debian's Chromium through Playwright, gunicorn serving collected static files, a new "
                "browser context (empty cache) for each run. Drawn: from the last byte of the page's HTML "
                "until every chart on it has drawn (`data-chart-drawn`), or until the load event on a page "
                "without charts.",
                "",
            ]
            out += _md_table(*page_weight.weight_rows(results["page_weight"]))
    out.append("")
    return "\n".join(out)


if __name__ == "__main__":
    main()
