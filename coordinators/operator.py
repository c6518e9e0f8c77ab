"""The installation's operator: every district at a glance, a new district, suspending one.

The operator is an active superuser who may have no role in any district. A suspended district
keeps everything: its people see a "paused" page instead of its pages (coordinators.middleware)
and its reminders and digests stop (mtss.notifications) until the operator reactivates it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.db import IntegrityError, transaction
from django.db.models import Count, IntegerField, Model, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import HttpRequest
from django.utils import timezone

from coordinators.models import District, Invitation, Membership, Role, School, Student, User
from coordinators.services import _send_invitation as send_invitation
from data_reviews.models import ImportBatch
from mtss.audit.models import AuditAction, AuditEvent
from mtss.audit.services import audit_record


def is_operator(user: User | AnonymousUser) -> bool:
    """The installation's operator: an active superuser (services.may_confirm lets them confirm roles)."""
    return bool(user.is_active and user.is_superuser)


class NotTheOperator(PermissionError):
    """Only the installation's operator may do this."""


class DistrictSlugTaken(ValueError):
    """Another district already has that short name."""


def _count(queryset: QuerySet[Model]) -> Coalesce:
    """A correlated count per district, so the list stays one query however many districts there are."""
    counted = (
        queryset.filter(district=OuterRef("pk"))
        .order_by()
        .values("district")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def districts_overview() -> QuerySet[District]:
    """Every district with its size and its latest activity, in one query.

    Last sign-in comes from the audit trail's successful logins scoped to the district (a person in
    two districts signs in to one of them at a time); last import is the newest screener upload.
    """
    last_login = AuditEvent.objects.filter(
        district=OuterRef("pk"), action=AuditAction.LOGIN, outcome=AuditEvent.Outcome.SUCCESS
    ).order_by("-at")
    last_import = ImportBatch.objects.filter(district=OuterRef("pk")).order_by("-created_at")
    return District.objects.order_by("name").annotate(
        school_count=_count(School.objects.filter(active=True)),
        people_count=_count(Membership.objects.filter(active=True)),
        student_count=_count(Student.objects.filter(active=True)),
        last_import_at=Subquery(last_import.values("created_at")[:1]),
        last_sign_in_at=Subquery(last_login.values("at")[:1]),
    )


def operator_contact() -> str:
    """Who the people of a paused district should ask: the OPERATOR_CONTACT setting, if set."""
    return settings.OPERATOR_CONTACT or "the operator of this installation"


@dataclass(frozen=True)
class NewDistrict:
    district: District
    invitation: Invitation


def district_create(
    *,
    operator: User,
    name: str,
    slug: str,
    time_zone: str,
    coordinator_email: str,
    coordinator_name: str,
    request: HttpRequest | None = None,
) -> NewDistrict:
    """Create a district and invite its first coordinator by email, in one step.

    The operator's invitation needs no leader's confirmation (the district has none yet, and the
    operator may confirm the role). Sent twice (a double click) it gives the same district and
    invitation; a slug another district has is refused.
    """
    if not is_operator(operator):
        raise NotTheOperator("Only the operator of the installation creates districts.")
    name, slug = " ".join(name.split()), slug.strip().lower()
    email = coordinator_email.strip().lower()
    with transaction.atomic():
        existing = District.objects.select_for_update().filter(slug=slug).first()
        if existing is not None:
            invitation = Invitation.objects.filter(
                district=existing, email=email, role=Role.COORDINATOR, invited_by=operator
            ).first()
            if existing.name == name and invitation is not None:
                return NewDistrict(district=existing, invitation=invitation)
            raise DistrictSlugTaken(f"Another district already has the short name {slug}; choose another.")
        try:
            with transaction.atomic():
                district = District.objects.create(name=name, slug=slug, time_zone=time_zone)
        except IntegrityError as error:  # the same slug created by another request just now
            raise DistrictSlugTaken(
                f"Another district already has the short name {slug}; choose another."
            ) from error
        audit_record(
            action=AuditAction.CREATE_DISTRICT,
            actor=operator,
            district=district,
            target=district,
            request=request,
            detail={"name": name, "slug": slug, "time_zone": time_zone, "first_coordinator": email},
        )
        invitation = _first_coordinator_invite(
            operator=operator, district=district, email=email, full_name=" ".join(coordinator_name.split())
        )
    return NewDistrict(district=district, invitation=invitation)


def _first_coordinator_invite(
    *, operator: User, district: District, email: str, full_name: str
) -> Invitation:
    """Invite a new district's first coordinator, as people.person_invite does, already confirmed.

    The role needs a confirmation by someone who may confirm it (the district's leaders, or the
    operator: services.may_confirm); a new district has no leader, and the operator is the one
    inviting, so the invitation is confirmed by the operator and sent at once. Nothing is granted
    until the person accepts. Called in the transaction that created the district, so the district
    has no member and no other invitation yet.
    """
    person = User.objects.filter(email__iexact=email).first()
    if person is None:
        person = User.objects.create_user(email=email, password=None, full_name=full_name)
    invitation = Invitation.objects.create(
        district=district,
        email=email,
        full_name=full_name,
        role=Role.COORDINATOR,
        person=person,
        invited_by=operator,
        confirmed_by=operator,
        status=Invitation.Status.PENDING,
    )
    audit_record(
        action=AuditAction.INVITE_PERSON,
        actor=operator,
        district=district,
        target=invitation,
        detail={"role": Role.COORDINATOR, "needs_confirmation": False, "confirmed_by_operator": True},
    )
    # The invitation email, with its set-password link made when it is sent, as for any invitation.
    send_invitation(invitation)
    return invitation


def _set_suspended(
    *, operator: User, district: District, suspended_at: datetime | None, request: HttpRequest | None
) -> District:
    if not is_operator(operator):
        raise NotTheOperator("Only the operator of the installation suspends districts.")
    with transaction.atomic():
        district = District.objects.select_for_update().get(pk=district.pk)
        if district.is_suspended == (suspended_at is not None):
            return district  # a repeated click changes nothing
        district.suspended_at = suspended_at
        district.save(update_fields=["suspended_at"])
        audit_record(
            action=AuditAction.SUSPEND_DISTRICT
            if suspended_at is not None
            else AuditAction.REACTIVATE_DISTRICT,
            actor=operator,
            district=district,
            target=district,
            request=request,
        )
    return district


def district_suspend(*, operator: User, district: District, request: HttpRequest | None = None) -> District:
    """Pause a district: its people cannot use it and its reminders stop. Nothing is deleted."""
    return _set_suspended(operator=operator, district=district, suspended_at=timezone.now(), request=request)


def district_reactivate(
    *, operator: User, district: District, request: HttpRequest | None = None
) -> District:
    """Give a suspended district back to its people, as it was."""
    return _set_suspended(operator=operator, district=district, suspended_at=None, request=request)
