"""The one way into an object: scoped querysets, 404 outside the scope, 403 for read-only.

Every app's selectors build on these so no view checks a district by hand.

Who uses the pages: `member_required()` with no roles admits the district team (coordinators,
executive leaders, DIT members) and site admins, `Role.coordination_roles()`. School staff
(teachers, interventionists, counselors, school psychologists) are admitted page by page, where
the page names them, and see only what is theirs. Today that is:

- their home page: a welcome naming their schools, and their classes from the roster with the
  number of students in each (an empty state until a roster names them as a class's teacher);
- their profile, password, notifications and notification choices, their invitations, signing out;
- the monthly MTSS updates sent to the school staff of one of their schools (the archive lists
  those only; drafts and updates sent to other groups stay out of reach);
- "My students": the students enrolled in the roster classes they teach, and those students'
  records (coordinators.students; any other student answers 404, and every look is audited).

Everything else answers 403 (it is their own district): the district's processes, plan,
barriers, initiatives, practices, capacity and fidelity inventories, meetings and action items,
dashboards and data reviews, the school pages (their own school's included: its dashboard and
data reviews are school-wide data a teacher does not need), the people pages and search (whose
every result opens one of those pages). The selectors hold the same line on their own:
`sees_whole_district` is true for the district team only, and the school-scoped selectors give
school staff nothing, so a page opened to them by mistake still shows no district or school data.
DIT members with no school role see no student: the student pages answer them 403.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, NoReturn, TypeGuard

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.db.models import Model, QuerySet
from django.http import Http404, HttpRequest, HttpResponseBase
from django.shortcuts import redirect

from coordinators.models import District, Membership, Role, User
from mtss.audit.models import AuditEvent, RecordedAction, changing, opening, viewing
from mtss.audit.services import audit_record

# Downloads answer with a FileResponse, which is not an HttpResponse.
View = Callable[..., HttpResponseBase]


class DistrictRequest(HttpRequest):
    """Any request once coordinators.middleware has run: the person's membership in the current
    district, if they have one, and all their active memberships. For annotations only."""

    membership: Membership | None
    memberships: list[Membership]
    # The district whose suspension keeps a person who works nowhere else out (None otherwise).
    paused_district: District | None


class SignedInRequest(DistrictRequest):
    """What a view behind `login_required` receives: a signed-in person, who may have no role in
    any district (the operator, or someone whose invitation waits). For annotations only."""

    user: User


class MemberRequest(SignedInRequest):
    """What a view behind `member_required` receives: a signed-in person and their membership in
    the current district (set by coordinators.middleware). For annotations only."""

    membership: Membership


def is_signed_in(request: HttpRequest) -> TypeGuard[SignedInRequest]:
    """For pages outside `member_required` and `login_required` (the admin site's)."""
    return request.user.is_authenticated


def deny(
    member: Membership | None, *, action: RecordedAction, target: Model | None = None, status: int = 404
) -> NoReturn:
    """Record the refusal in the audit trail, then raise the answer the person gets."""
    audit_record(
        action=action,
        actor=member.user if member is not None else None,
        district=member.district if member is not None else None,
        target=target,
        outcome=AuditEvent.Outcome.DENIED,
        detail={"status": status},
    )
    if status == 403:
        raise PermissionDenied("You can see this but not change it.")
    # Missing and out-of-scope look the same to the person asking.
    raise Http404("Not found.")


def get_scoped_or_404[M: Model](
    queryset: QuerySet[M],
    pk: Any,
    member: Membership | None,
    *,
    write: bool = False,
    can_write: Callable[[Membership, M], bool] | None = None,
) -> M:
    """Fetch pk from a queryset already scoped to the member: 404 outside it, 403 if read-only."""
    try:
        obj = queryset.get(pk=pk)
    except (ObjectDoesNotExist, ValueError, TypeError):
        deny(member, action=viewing(queryset.model), status=404)
    # Without a membership (the operator) nothing is written through a scope.
    if write and (member is None or can_write is None or not can_write(member, obj)):
        deny(member, action=changing(queryset.model), target=obj, status=403)
    return obj


def member_required(*roles: str) -> Callable[[View], View]:
    """Require a signed-in person with one of `roles` in the current district.

    No roles means `Role.coordination_roles()`: the district team and site admins, never school
    staff, who are let in only by pages that name `Role.SCHOOL_STAFF`. A signed-in person whose
    role may not use the page gets a 403: it is their own district.
    """
    allowed = frozenset(roles or Role.coordination_roles())

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            member = getattr(request, "membership", None)
            if member is None:
                return redirect("no_district")
            if member.role not in allowed:
                match = request.resolver_match
                deny(member, action=opening(match.view_name if match else request.path), status=403)
            return view(request, *args, **kwargs)

        return wrapper

    return decorator
