"""Server time of each main page (P2): Django's test Client, signed in, p50 and p95 over N requests."""

from __future__ import annotations

import statistics
import time
from typing import Any

from django.db import connection
from django.db.models import Count
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from coordinators.models import District, Membership, Role, School
from data_reviews.models import StudentResult

REQUESTS = 30
WARM_UP = 3
DASHBOARD_P95_MS = 150.0
TIME_LIMIT_PER_PAGE = 60.0  # seconds; a page slower than this stops early and says so


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(share * (len(ordered) - 1))))
    return ordered[index]


class SqlTimer:
    """Adds up the time spent in the database during one request."""

    def __init__(self) -> None:
        self.ms = 0.0

    def __call__(self, execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.ms += (time.perf_counter() - started) * 1000


def _client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def pages_to_measure(district: District) -> list[tuple[str, str, str, Any, bool]]:
    """(label, role, url, user, is_dashboard)."""
    members = Membership.objects.filter(district=district).select_related("user")
    by_role = {}
    for membership in members.order_by("pk"):
        by_role.setdefault(membership.role, membership)
    coordinator = by_role[Role.COORDINATOR].user
    leader = by_role[Role.LEADER].user
    principal_membership = (
        members.filter(role=Role.SITE_ADMIN, user__email="principal@demo.mtss").first()
        or by_role[Role.SITE_ADMIN]
    )
    principal = principal_membership.user
    # The school with the most results: the heaviest school dashboard.
    busiest = (
        StudentResult.objects.filter(district=district)
        .values("school")
        .order_by()
        .annotate(n=Count("id"))
        .order_by("-n")
        .values_list("school", flat=True)
        .first()
    ) or School.objects.filter(district=district).values_list("pk", flat=True).first()
    pages = [
        ("Home", "coordinator", reverse("home"), coordinator, True),
        ("District dashboard", "coordinator", reverse("score_district_dashboard"), coordinator, True),
        (
            "School dashboard (largest school)",
            "coordinator",
            reverse("score_school_dashboard", args=[busiest]),
            coordinator,
            True,
        ),
        ("My school dashboard", "principal", reverse("score_my_school"), principal, True),
        ("Schools", "coordinator", reverse("school_list"), coordinator, False),
        ("People", "coordinator", reverse("person_list"), coordinator, False),
        ("Meetings", "coordinator", reverse("meeting_list"), coordinator, False),
        ("My action items", "coordinator", reverse("action_item_list"), coordinator, False),
        ("Data reviews", "coordinator", reverse("review_list"), coordinator, False),
        ("Imports", "coordinator", reverse("score_import_list"), coordinator, False),
        ("Processes", "coordinator", reverse("process_board"), coordinator, False),
        ("Approval queue", "leader", reverse("approval_queue"), leader, False),
        ("Plan", "coordinator", reverse("plan_list"), coordinator, False),
        ("Capacity", "coordinator", reverse("capacity_list"), coordinator, False),
        ("Barriers", "coordinator", reverse("barrier_list"), coordinator, False),
        ("Initiatives", "coordinator", reverse("initiative_list"), coordinator, False),
        ("Practices", "coordinator", reverse("practice_list"), coordinator, False),
        ("Notifications", "coordinator", reverse("notification_list"), coordinator, False),
    ]
    return pages


def measure(district: District, *, requests: int = REQUESTS) -> list[dict[str, Any]]:
    clients: dict[int, Client] = {}
    rows = []
    for label, role, url, user, dashboard in pages_to_measure(district):
        client = clients.get(user.pk) or clients.setdefault(user.pk, _client_for(user))
        with CaptureQueriesContext(connection) as queries:
            first = client.get(url)
        if first.status_code == 302 and first["Location"].startswith("/"):
            url = first["Location"]  # e.g. "My school" sends a principal on to their school's dashboard
            with CaptureQueriesContext(connection) as queries:
                first = client.get(url)
        status = first.status_code
        row: dict[str, Any] = {
            "page": label,
            "role": role,
            "url": url,
            "status": status,
            "queries": len(queries.captured_queries),
            "bytes": len(first.content),
            "dashboard": dashboard,
        }
        if status != 200:
            rows.append({**row, "p50_ms": None, "p95_ms": None, "n": 0, "note": "not 200; not timed"})
            continue
        for _ in range(WARM_UP - 1):
            client.get(url)
        timings: list[float] = []
        deadline = time.monotonic() + TIME_LIMIT_PER_PAGE
        for _ in range(requests):
            started = time.perf_counter()
            client.get(url)
            timings.append((time.perf_counter() - started) * 1000)
            if time.monotonic() > deadline:
                break
        timer = SqlTimer()
        with connection.execute_wrapper(timer):
            started = time.perf_counter()
            client.get(url)
            whole = (time.perf_counter() - started) * 1000
        row.update(
            sql_ms=round(timer.ms, 1),
            sql_share=round(timer.ms / whole, 2) if whole else None,
            n=len(timings),
            p50_ms=round(statistics.median(timings), 1),
            p95_ms=round(percentile(timings, 0.95), 1),
            max_ms=round(max(timings), 1),
        )
        if dashboard:
            row["meets_target"] = row["p95_ms"] < DASHBOARD_P95_MS
        rows.append(row)
    return rows
