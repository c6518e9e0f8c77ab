"""The foundation's home panel: the person's district, role and schools."""

from __future__ import annotations

from django.http import HttpRequest

from coordinators.selectors import schools_for
from mtss.navigation import HomePanel


def home_panels(request: HttpRequest) -> list[HomePanel]:
    member = request.membership
    schools = list(schools_for(member).filter(active=True))
    return [
        HomePanel(
            title="Your district" if member.sees_whole_district else "Your schools",
            template="coordinators/_home_district.html",
            context={"schools": schools},
            order=900,
        )
    ]
