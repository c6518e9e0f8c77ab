"""Home panels: invitations waiting for an answer; the person's district, role and schools.

A site admin's home is about one of their schools at a time: `home_school` is the one chosen
(with ?school=), or the first by name; the other apps' panels read it from here.

A school staff member's home is a welcome: their schools and their classes from the roster (the
other apps add nothing for them; see mtss/access.py for what they may open).
"""

from __future__ import annotations

from typing import Any, cast

from coordinators.models import School
from coordinators.onboarding import onboarding_for
from coordinators.selectors import classes_taught_by, get_school_for_user, invitations_of, schools_for
from mtss import navigation
from mtss.access import MemberRequest
from mtss.navigation import HomePanel

HOME_SCHOOL_PARAMETER = "school"
# A teacher has a handful of classes; an interventionist pulling small groups may have dozens.
HOME_CLASS_LIMIT = 60


class HomeRequest(MemberRequest):
    """A request while its home page is drawn: what the panels share is read once and kept on it."""

    _home_schools: list[School]
    _home_school: School | None


def home_schools(request: MemberRequest) -> list[School]:
    """The member's active schools, read once per request."""
    home = cast(HomeRequest, request)
    if not hasattr(home, "_home_schools"):
        home._home_schools = list(schools_for(home.membership).filter(active=True))
    return home._home_schools


def home_school(request: MemberRequest) -> School | None:
    """The school a site admin's home shows: the one asked for (404 outside their schools) or their first."""
    home = cast(HomeRequest, request)
    member = home.membership
    if not member.is_site_admin:
        return None
    if not hasattr(home, "_home_school"):
        asked = home.GET.get(HOME_SCHOOL_PARAMETER)
        schools = home_schools(home)
        if asked:
            chosen = next((s for s in schools if str(s.pk) == asked), None)
            # Outside the list: the selector answers (and audits) as any other page would.
            home._home_school = chosen or get_school_for_user(member, asked)
        else:
            home._home_school = schools[0] if schools else None
    return home._home_school


def home_panels(request: MemberRequest) -> list[HomePanel]:
    member = request.membership
    schools = home_schools(request)
    panels = []
    chosen = home_school(request)
    if chosen is not None and len(schools) > 1:
        panels.append(
            HomePanel(
                title="Your schools",
                template="coordinators/_home_school_picker.html",
                context={"wide": True, "schools": schools, "chosen": chosen},
                order=0,
            )
        )
    elif member.is_school_staff:
        panels.append(
            HomePanel(
                title="Your school" if len(schools) == 1 else "Your schools",
                template="coordinators/_home_staff_schools.html",
                context={"schools": schools},
                order=0,
            )
        )
        classes = list(classes_taught_by(member)[: HOME_CLASS_LIMIT + 1])
        panels.append(
            HomePanel(
                title="Your classes",
                template="coordinators/_home_classes.html",
                context={
                    "classes": classes[:HOME_CLASS_LIMIT],
                    "more": len(classes) > HOME_CLASS_LIMIT,
                },
                order=10,
            )
        )
    else:
        panels.append(
            HomePanel(
                title="Your district" if member.sees_whole_district else "Your school",
                template="coordinators/_home_district.html",
                context={"schools": schools},
                order=900,
                empty="" if schools else "No schools are set up yet.",
            )
        )
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
    if member.is_coordinator:
        onboarding = onboarding_for(member.district)
        if not onboarding.complete:
            panels.append(
                HomePanel(
                    title="Getting started",
                    template="coordinators/_home_onboarding.html",
                    context={"wide": True, "onboarding": onboarding},
                    order=-10,
                )
            )
    return panels


def home_page(request: MemberRequest) -> dict[str, Any]:
    """The home page's cards, and the one-line states of the panels with nothing to show.

    While a new district's checklist shows, it takes the place of the empty panels: each of its
    steps links to where that work starts.
    """
    panels = navigation.home_panels(request)
    checklist = any("onboarding" in panel.context for panel in panels)
    return {
        "panels": [panel for panel in panels if not panel.empty],
        "quiet_panels": [] if checklist else [panel for panel in panels if panel.empty],
    }
