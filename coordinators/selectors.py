"""Reads for people and schools, always scoped to the member's district (and schools)."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from coordinators.models import Membership, Role, School, User
from mtss.access import get_scoped_or_404


def memberships_of(user: User) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(user=user, active=True)
        .select_related("district")
        .order_by("district__name")
    )


def schools_for(member: Membership) -> QuerySet[School]:
    """Schools the member may see: the whole district, or a site admin's own schools."""
    schools = School.objects.filter(district=member.district)
    if member.is_site_admin:
        schools = schools.filter(site_admins=member)
    return schools.order_by("name")


def get_school_for_user(member: Membership, pk: object, *, write: bool = False) -> School:
    return get_scoped_or_404(
        schools_for(member), pk, member, write=write, can_write=lambda m, _s: m.is_coordinator
    )


def people_for(member: Membership) -> QuerySet[Membership]:
    """The district's people, as memberships. Site admins see no people directory."""
    if member.is_site_admin:
        return Membership.objects.none()
    return (
        Membership.objects.filter(district=member.district)
        .select_related("user")
        .prefetch_related(Prefetch("schools", queryset=School.objects.order_by("name")))
        .order_by("user__full_name")
    )


def get_person_for_user(member: Membership, pk: object, *, write: bool = False) -> Membership:
    """A person in the member's district, addressed by their membership id."""
    return get_scoped_or_404(
        people_for(member), pk, member, write=write, can_write=lambda m, _p: m.is_coordinator
    )


def district_people(district_id: int, *roles: str) -> QuerySet[User]:
    """Active people of a district holding any of `roles` (all roles when none given)."""
    memberships = Membership.objects.filter(district_id=district_id, active=True, user__is_active=True)
    if roles:
        memberships = memberships.filter(role__in=roles)
    return User.objects.filter(memberships__in=memberships).distinct().order_by("full_name")


def leaders_of(district_id: int) -> QuerySet[User]:
    return district_people(district_id, Role.LEADER)


def coordinators_of(district_id: int) -> QuerySet[User]:
    return district_people(district_id, Role.COORDINATOR)
