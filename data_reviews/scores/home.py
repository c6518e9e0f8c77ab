"""A site admin's home page opens on their school's dashboard summary (the school they chose)."""

from __future__ import annotations

from django.utils import timezone

from coordinators.home import home_school
from data_reviews.scores import dashboards, selectors
from mtss.access import MemberRequest
from mtss.navigation import HomePanel


def home_panels(request: MemberRequest) -> list[HomePanel]:
    member = getattr(request, "membership", None)
    if member is None or not member.is_site_admin:
        return []
    school = home_school(request)
    if school is None:
        return []
    context = dashboards.school_dashboard(
        school_name=school.name,
        snapshot_rows=selectors.school_snapshots(school),
        measure_rows=[],
        subject=None,
        period=None,
        today=timezone.localdate(),
        min_group_size=member.district.min_group_size,
    )
    triangle = next((t for t in context["tables"] if t.key == "triangle"), None)
    return [
        HomePanel(
            title=f"{school.name}: how students are doing",
            template="data_reviews/scores/_home_school.html",
            context={"wide": True, "school": school, "dash": context, "triangle": triangle},
            order=1,
        )
    ]
