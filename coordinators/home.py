"""Home panels: invitations waiting for an answer; the person's district, role and schools."""

from __future__ import annotations

from django.http import HttpRequest

from coordinators.selectors import invitations_of, schools_for
from mtss.navigation import HomePanel


def home_panels(request: HttpRequest) -> list[HomePanel]:
    member = request.membership
    schools = list(schools_for(member).filter(active=True))
    panels = [
        HomePanel(
            title="Your district" if member.sees_whole_district else "Your schools",
            template="coordinators/_home_district.html",
            context={"schools": schools},
            order=900,
        )
    ]
    invitations = list(invitations_of(request.user))
    if invitations:
        panels.append(
            HomePanel(
                title="Invitations waiting for your answer",
                template="coordinators/_home_invitations.html",
                context={"invitations": invitations},
                order=1,
            )
        )
    return panels
