"""Home panel: the open problem statements the person's team is working on."""

from __future__ import annotations

from data_reviews.models import ProblemStatement
from data_reviews.reviews.selectors import problems_for
from mtss.access import MemberRequest
from mtss.navigation import HomePanel

NEWEST_SHOWN = 5


def home_panels(request: MemberRequest) -> list[HomePanel]:
    member = request.membership
    if not (member.is_coordinator or member.is_member or member.is_site_admin):
        return []
    open_problems = problems_for(member).filter(status=ProblemStatement.Status.OPEN)
    newest = list(
        open_problems.select_related("school", "review").order_by("-review__held_on", "-id")[:NEWEST_SHOWN]
    )
    context = {"count": open_problems.count(), "newest": newest}
    if member.is_site_admin:
        context["school_names"] = ", ".join(s.name for s in member.schools.order_by("name"))
    return [
        HomePanel(
            title="Open problem statements",
            template="data_reviews/reviews/_home_problems.html",
            context=context,
            order=300,
            empty="" if context["count"] else "No open problem statements.",
        )
    ]
