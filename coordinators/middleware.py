"""Attach the district the person is working in (one district at a time) to each request.

While the request runs, the district's time zone is the current one: every date and time the page,
its forms and its exports show is district-local, and "today" is the district's today.
"""

from __future__ import annotations

from collections.abc import Callable

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from coordinators.models import Membership, User
from mtss.access import DistrictRequest, SignedInRequest, is_signed_in

CURRENT_DISTRICT_KEY = "mtss_district_id"


class CurrentDistrictMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: DistrictRequest) -> HttpResponse:
        request.membership = None
        request.memberships = []
        request.paused_district = None
        if is_signed_in(request):
            request.membership = current_membership(request)
        if request.membership is None:
            # The operator keeps the console even when their only district is the one they paused.
            paused = request.paused_district is not None and not request.user.is_superuser
            if paused and not _open_while_paused(request.path):
                return district_paused(request)
            return self.get_response(request)
        # Always deactivated afterwards: the thread serves other districts' requests next.
        timezone.activate(request.membership.district.tz)
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()


def _open_while_paused(path: str) -> bool:
    """Signing out, and invitations to another district, still work for a paused district's people."""
    return path == reverse("logout") or path.startswith(reverse("invitation_list"))


def district_paused(request: DistrictRequest) -> HttpResponse:
    from coordinators.operator import operator_contact

    context = {"district": request.paused_district, "contact": operator_contact()}
    return render(request, "coordinators/district_paused.html", context, status=403)


def _memberships(user: User) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(user=user, active=True)
        .select_related("district", "user")
        .order_by("district__name")
    )


def district_at_sign_in(sender: object, request: HttpRequest, user: User, **kwargs: object) -> None:
    """At sign-in (a `user_logged_in` receiver): start in the first district, so pages need not write it."""
    district_id = _memberships(user).values_list("district_id", flat=True).first()
    if district_id is not None and CURRENT_DISTRICT_KEY not in request.session:
        request.session[CURRENT_DISTRICT_KEY] = district_id


def current_membership(request: SignedInRequest) -> Membership | None:
    """The membership for the district in the session (else the first), in one query.

    Every active membership is read at once and kept on `request.memberships`: the district
    switcher in the page header lists them without a second query.
    """
    everywhere = list(_memberships(request.user))
    # A suspended district is out of reach until the operator reactivates it; its people who work
    # nowhere else see the "paused" page instead of any of its pages.
    memberships = [m for m in everywhere if not m.district.is_suspended]
    if not memberships and everywhere:
        request.paused_district = everywhere[0].district
    request.memberships = memberships
    wanted = request.session.get(CURRENT_DISTRICT_KEY)
    chosen = next((m for m in memberships if m.district_id == wanted), None)
    if chosen is None and memberships:
        chosen = memberships[0]
        request.session[CURRENT_DISTRICT_KEY] = chosen.district_id
    return chosen
