"""Home panels of the data apps; for executive leaders, the district's latest tier snapshot."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils import timezone

from data_reviews.reviews import home as review_home
from data_reviews.scores import dashboards
from data_reviews.scores import home as score_home
from data_reviews.scores import selectors as score_selectors
from mtss.access import MemberRequest
from mtss.navigation import HomePanel


def home_panels(request: MemberRequest) -> list[HomePanel]:
    panels = [*score_home.home_panels(request), *review_home.home_panels(request)]
    member = request.membership
    if member.is_leader:
        panels.append(
            HomePanel(
                title="Latest tier snapshot",
                template="coordinators/_home_snapshot.html",
                context={"wide": True, "subjects": district_snapshot(member)},
                order=17,
            )
        )
    return panels


def district_snapshot(member: Any) -> list[dict[str, Any]]:
    """Per subject, the district dashboard of the newest window with results in that subject.

    Each is the dashboard's own context (summary with its coverage sentence, triangle table),
    built by the same function as the district dashboard from the same rows.
    """
    schools = dict(score_selectors.dashboard_schools_for(member).values_list("pk", "name"))
    snapshot_rows = score_selectors.district_snapshots(member)
    today = timezone.localdate(timezone=member.district.tz)

    def dashboard(subject: str | None) -> dict[str, Any]:
        return dashboards.cached(
            ("home-district", member.district.name, today, tuple(schools.items()), subject, snapshot_rows),
            lambda: dashboards.district_dashboard(
                district_name=member.district.name,
                snapshot_rows=snapshot_rows,
                measure_rows=[],
                schools=schools,
                school_url=lambda pk: reverse("score_school_dashboard", args=[pk]),
                subject=subject,
                period=None,
                sort=None,
                today=today,
            ),
        )

    first = dashboard(None)
    if first["period"] is None:
        return []
    shown = []
    for subject, _label in first["subjects"]:
        context = first if subject == first["subject"] else dashboard(subject)
        if context["period"] is None:
            continue
        shown.append(
            {
                "label": context["subject_label"],
                "period_label": context["period_label"],
                "summary": context["summary"],
                "triangle": next(t for t in context["tables"] if t.key == "triangle"),
                "url": reverse("score_district_dashboard")
                + f"?subject={context['subject']}&period={context['period_value']}",
            }
        )
    return shown
