"""Writes for people, schools and the current district."""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone

from coordinators.middleware import CURRENT_DISTRICT_KEY
from coordinators.models import (
    ROLES_NEEDING_CONFIRMATION,
    District,
    Invitation,
    Membership,
    Role,
    RosterPerson,
    School,
    Student,
    TimeActivity,
    TimeEntry,
    User,
)
from coordinators.selectors import invitation_token_hash, leaders_of
from meetings.models import Meeting, MeetingKind
from mtss.audit.models import AuditAction
from mtss.audit.services import audit_record
from mtss.models_update import model_update
from mtss.notifications.kinds import Kind
from mtss.notifications.services import notifications_resolve, notify


class PersonAlreadyInDistrict(Exception):
    """The email already belongs to someone in this district."""


class InvitationNotYours(Exception):
    """The person may not confirm, accept or decline this invitation (or it is no longer open)."""


INVITATION_TOKEN_BYTES = 32


def invitation_key(invitation: Invitation) -> str:
    """The notification key of the invitation email; delivery recognises it to add the link."""
    return f"invitation:{invitation.pk}:sent"


def confirmation_key(invitation: Invitation) -> str:
    """The notification key of the leaders' request to confirm a Coordinator or Leader role."""
    return f"invitation:{invitation.pk}:confirm"


def person_invite(
    *,
    member: Membership,
    email: str,
    full_name: str,
    role: str,
    schools: Iterable[School] = (),
    title: str = "",
) -> Invitation:
    """Offer a person a role in the member's district. Nothing is granted until they accept."""
    return district_invite(
        district=member.district,
        invited_by=member.user,
        email=email,
        full_name=full_name,
        role=role,
        schools=schools,
        title=title,
    )


def district_invite(
    *,
    district: District,
    invited_by: User | None,
    email: str,
    full_name: str,
    role: str,
    schools: Iterable[School] = (),
    title: str = "",
) -> Invitation:
    """Offer a person a role in the district. Nothing is granted until they accept.

    The answer is the same whether or not the address has an account; an account is made (without a
    password) when there is none, so the invitation has someone to go to. A Coordinator or Executive
    Leader role first waits for an executive leader of the district to confirm it. Inviting the same
    address again while an invitation is open returns that invitation. `invited_by` is None when
    nobody in the district acts: a roster imported from the command line.
    """
    email = email.strip().lower()
    with transaction.atomic():
        # One invitation at a time per district: two coordinators inviting the same address at once
        # end with one invitation.
        District.objects.select_for_update().filter(pk=district.pk).first()
        user = User.objects.filter(email__iexact=email).first()
        if user is None:
            user = User.objects.create_user(email=email, password=None, full_name=full_name, title=title)
        elif Membership.objects.filter(user=user, district=district).exists():
            raise PersonAlreadyInDistrict(f"{email} already has a role in {district}.")
        existing = Invitation.objects.filter(
            district=district, person=user, status__in=Invitation.OPEN_STATUSES
        ).first()
        if existing is not None:
            return existing
        needs_confirmation = role in ROLES_NEEDING_CONFIRMATION
        invitation = Invitation.objects.create(
            district=district,
            email=email,
            full_name=full_name,
            title=title,
            role=role,
            person=user,
            invited_by=invited_by,
            status=(
                Invitation.Status.AWAITING_CONFIRMATION if needs_confirmation else Invitation.Status.PENDING
            ),
        )
        if role in Role.school_roles():
            # A new invitation has no schools yet: insert the links without reading them first (a
            # roster invites its staff one after another, and a read each time is an N+1).
            links = Invitation.schools.through
            links.objects.bulk_create(
                [links(invitation_id=invitation.pk, school_id=school.pk) for school in schools],
                ignore_conflicts=True,
            )
        audit_record(
            action=AuditAction.INVITE_PERSON,
            actor=invited_by,
            district=district,
            target=invitation,
            detail={"role": role, "needs_confirmation": needs_confirmation},
        )
        if needs_confirmation:
            _ask_leaders_to_confirm(invitation)
        else:
            _send_invitation(invitation)
    return invitation


def _ask_leaders_to_confirm(invitation: Invitation) -> None:
    leaders = leaders_of(invitation.district_id)
    if invitation.invited_by_id is not None:
        leaders = leaders.exclude(pk=invitation.invited_by_id)
    inviter = invitation.invited_by.get_full_name() if invitation.invited_by else "A coordinator"
    notify(
        district=invitation.district,
        recipients=leaders,
        kind=Kind.ROLE_CONFIRMATION,
        subject=f"Confirm {invitation.email} as {invitation.get_role_display()}",
        body=(
            f"{inviter} invited {invitation.email} to {invitation.district.name} as "
            f"{invitation.get_role_display()}. It is sent only once an executive leader other than "
            "the person who asked confirms it: confirm it, or not, on the People page."
        ),
        url=reverse("person_list"),
        key=confirmation_key(invitation),
    )


def _resolve_confirmation_notices(invitation: Invitation) -> None:
    """One leader answered: the others are no longer asked to confirm it."""
    notifications_resolve(
        key_prefix=confirmation_key(invitation),
        district=invitation.district,
        kinds=(Kind.ROLE_CONFIRMATION,),
    )


def _send_invitation(invitation: Invitation) -> None:
    """Tell the person. The set-password link is not stored here: delivery makes it at send time."""
    inviter = invitation.invited_by.get_full_name() if invitation.invited_by else "A coordinator"
    district = invitation.district
    notify(
        district=district,
        recipients=[invitation.person],
        kind=Kind.INVITATION,
        subject=f"You are invited to {district.name}'s MTSS Coordination",
        body=(
            f"{inviter} invited you to MTSS Coordination for {district.name} as "
            f"{invitation.get_role_display()}. Follow the link to accept. If you don't want to join, "
            "ignore this email: nothing changes until you accept."
        ),
        url=reverse("invitation_list"),
        key=invitation_key(invitation),
    )


def invitation_email_link(*, invitation_id: int) -> str | None:
    """The link for an invitation email, made when the email is sent.

    A person without a password gets a fresh set-password link (only its hash is stored, and it
    replaces any earlier link); someone who already signs in gets the invitations page.
    Returns None when the invitation is no longer open.
    """
    with transaction.atomic():
        invitation = (
            Invitation.objects.select_for_update()
            .select_related("person")
            .filter(pk=invitation_id, status=Invitation.Status.PENDING)
            .first()
        )
        if invitation is None:
            return None
        if invitation.person.has_usable_password():
            return reverse("invitation_list")
        token = secrets.token_urlsafe(INVITATION_TOKEN_BYTES)
        Invitation.objects.filter(pk=invitation.pk).update(token_hash=invitation_token_hash(token))
    return reverse("invitation_set_password", kwargs={"token": token})


def may_confirm(user: User, district: District) -> bool:
    """An active executive leader of the district, or the installation's operator."""
    if user.is_active and user.is_superuser:
        return True
    return leaders_of(district.pk).filter(pk=user.pk).exists()


def invitation_confirm(*, member: Membership, invitation: Invitation) -> Invitation:
    """A leader confirms a Coordinator or Executive Leader invitation; then it goes to the person."""
    return _confirm(invitation, member.user)


def invitation_confirm_as_operator(*, operator: User, invitation: Invitation) -> Invitation:
    """The installation's operator confirms from the admin: a superuser with no membership, a User."""
    return _confirm(invitation, operator)


def _confirm(invitation: Invitation, confirmed_by: User) -> Invitation:
    with transaction.atomic():
        invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
        if invitation.status != Invitation.Status.AWAITING_CONFIRMATION:
            if invitation.confirmed_by_id == confirmed_by.pk:
                return invitation  # a repeated click
            raise InvitationNotYours("This invitation is not waiting for confirmation.")
        if confirmed_by.pk == invitation.invited_by_id or not may_confirm(confirmed_by, invitation.district):
            raise InvitationNotYours("Another executive leader of the district must confirm it.")
        invitation.status = Invitation.Status.PENDING
        invitation.confirmed_by = confirmed_by
        invitation.save(update_fields=["status", "confirmed_by"])
        _resolve_confirmation_notices(invitation)
        audit_record(
            action=AuditAction.CONFIRM_INVITATION,
            actor=confirmed_by,
            district=invitation.district,
            target=invitation,
            detail={
                "role": invitation.role,
                "asked_by": invitation.invited_by.email if invitation.invited_by else "",
                "confirmed_by": confirmed_by.email,
            },
        )
        _send_invitation(invitation)
    return invitation


def invitation_refuse(*, member: Membership, invitation: Invitation) -> Invitation:
    """A leader does not confirm the role: the invitation ends and the person hears nothing."""
    refused_by = member.user
    with transaction.atomic():
        invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
        if invitation.status == Invitation.Status.NOT_CONFIRMED:
            return invitation
        if invitation.status != Invitation.Status.AWAITING_CONFIRMATION or not may_confirm(
            refused_by, invitation.district
        ):
            raise InvitationNotYours("This invitation is not waiting for your confirmation.")
        invitation.status = Invitation.Status.NOT_CONFIRMED
        invitation.confirmed_by = refused_by
        invitation.decided_at = timezone.now()
        invitation.save(update_fields=["status", "confirmed_by", "decided_at"])
        _resolve_confirmation_notices(invitation)
        audit_record(
            action=AuditAction.NOT_CONFIRM_INVITATION,
            actor=refused_by,
            district=invitation.district,
            target=invitation,
            detail={"role": invitation.role},
        )
    return invitation


def invitation_accept(*, invitation: Invitation, person: User) -> Membership:
    """The person accepts: only now do they get the role, and the district sees their account.

    A User, not a Membership: the person has no role in the district until this returns.
    """
    with transaction.atomic():
        invitation = Invitation.objects.select_for_update().select_related("district").get(pk=invitation.pk)
        if invitation.person_id != person.pk:
            raise InvitationNotYours("This invitation is for someone else.")
        if invitation.status == Invitation.Status.ACCEPTED:
            return Membership.objects.get(user=person, district=invitation.district)
        if invitation.status != Invitation.Status.PENDING:
            raise InvitationNotYours("This invitation is no longer open.")
        membership, created = Membership.objects.get_or_create(
            user=person, district=invitation.district, defaults={"role": invitation.role}
        )
        if not created:
            # A role change or a return to the district (coordinators.people): a leader confirmed
            # it, and only the person's acceptance grants it.
            model_update(membership, {"role": invitation.role, "active": True}, fields=("role", "active"))
        if invitation.role in Role.school_roles():
            membership.schools.set(invitation.schools.all())
        elif not created:
            membership.schools.clear()
        invitation.status = Invitation.Status.ACCEPTED
        invitation.decided_at = timezone.now()
        invitation.token_hash = ""
        invitation.save(update_fields=["status", "decided_at", "token_hash"])
        # The district's roster may name the person by this address (a rostered teacher invited by
        # the roster): link them now, so their classes show from their first sign-in rather than
        # after the next roster import.
        RosterPerson.objects.filter(
            district=invitation.district, person__isnull=True, email__iexact=person.email
        ).update(person=person)
        audit_record(
            action=AuditAction.ACCEPT_INVITATION,
            actor=person,
            district=invitation.district,
            target=membership,
        )
    return membership


def invitation_decline(*, invitation: Invitation, person: User) -> Invitation:
    """The person says no; a User, not a Membership: they never had a role in the district."""
    with transaction.atomic():
        invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
        if invitation.person_id != person.pk:
            raise InvitationNotYours("This invitation is for someone else.")
        if invitation.status == Invitation.Status.DECLINED:
            return invitation
        if invitation.status != Invitation.Status.PENDING:
            raise InvitationNotYours("This invitation is no longer open.")
        invitation.status = Invitation.Status.DECLINED
        invitation.decided_at = timezone.now()
        invitation.token_hash = ""
        invitation.save(update_fields=["status", "decided_at", "token_hash"])
        # The district learns the answer, not who the account is.
        audit_record(
            action=AuditAction.DECLINE_INVITATION,
            actor_label=invitation.email,
            district=invitation.district,
            target=invitation,
        )
    return invitation


def invitation_accept_with_password(*, invitation: Invitation, full_name: str, password: str) -> Membership:
    """A new person follows the emailed link: they choose a password and accept in one step."""
    with transaction.atomic():
        person = User.objects.select_for_update().get(pk=invitation.person_id)
        if person.has_usable_password():
            raise InvitationNotYours("This account already has a password: sign in to accept.")
        person.full_name = full_name
        person.set_password(password)
        person.save(update_fields=["full_name", "password"])
        return invitation_accept(invitation=invitation, person=person)


def district_switch(*, request: HttpRequest, district_id: int) -> Membership | None:
    user = request.user
    if not user.is_authenticated:
        return None
    membership = Membership.objects.filter(user=user, district_id=district_id, active=True).first()
    if membership is not None:
        request.session[CURRENT_DISTRICT_KEY] = membership.district_id
    return membership


# Coordinator time ----------------------------------------------------------------------------
# Appended section: imports kept here so the code above stays untouched.


ACTIVITY_FOR_MEETING: dict[str, TimeActivity] = {
    MeetingKind.DIT: TimeActivity.DIT,
    MeetingKind.COACHING: TimeActivity.COACHING,
    MeetingKind.EXECUTIVE: TimeActivity.EXECUTIVE,
    MeetingKind.LEARNING: TimeActivity.LEARNING,
    MeetingKind.OFFICE_HOURS: TimeActivity.OFFICE_HOURS,
}


def time_entry_create(
    *,
    member: Membership,
    date: date,
    hours: Decimal,
    activity: str,
    note: str = "",
    meeting: Meeting | None = None,
) -> TimeEntry:
    """The coordinator logs their own time."""
    with transaction.atomic():
        return TimeEntry.objects.create(
            district=member.district,
            coordinator=member.user,
            date=date,
            hours=hours,
            activity=activity,
            note=note,
            meeting=meeting,
        )


def time_entry_log_meeting(*, member: Membership, meeting: Meeting) -> tuple[TimeEntry, bool]:
    """Log a meeting's length (to the quarter hour) on its local date; once per meeting."""
    minutes = (meeting.ends_at - meeting.starts_at).total_seconds() / 60
    hours = (Decimal(minutes) / 60 * 4).quantize(Decimal(1), rounding=ROUND_HALF_UP) / 4
    try:
        with transaction.atomic():
            entry = time_entry_create(
                member=member,
                date=timezone.localtime(meeting.starts_at, meeting.district.tz).date(),
                hours=hours,
                activity=ACTIVITY_FOR_MEETING.get(meeting.kind, TimeActivity.OTHER),
                note=meeting.title,
                meeting=meeting,
            )
    except IntegrityError:
        return TimeEntry.objects.get(coordinator=member.user, meeting=meeting), False
    return entry, True


def time_entry_delete(*, member: Membership, entry: TimeEntry) -> None:
    with transaction.atomic():
        audit_record(
            action=AuditAction.DELETE_TIME_ENTRY,
            actor=member.user,
            district=entry.district,
            target=entry,
            detail={
                "coordinator": entry.coordinator_id,
                "date": entry.date.isoformat(),
                "hours": str(entry.hours),
                "activity": entry.activity,
            },
        )
        entry.delete()


class SchoolCodeTaken(ValueError):
    """Another school of the district has that building code."""


def school_create(
    *,
    district: District,
    name: str,
    code: str,
    level: str,
    grades_served: str,
    member: Membership | None,
    request: HttpRequest | None = None,
) -> School:
    """Add a school to the district, audited (member None: the command line, where nobody in the
    district acts). Sent twice (a double click) it gives the same school."""
    name, code = " ".join(name.split()), code.strip()
    with transaction.atomic():
        # The district row is the lock: two requests naming the same code wait for each other.
        District.objects.select_for_update().filter(pk=district.pk).first()
        existing = School.objects.filter(district=district, code__iexact=code).first()
        if existing is not None:
            if existing.name == name:
                return existing
            raise SchoolCodeTaken(
                f"The code {code} is already used by {existing.name}; give this school its own."
            )
        school = School.objects.create(
            district=district, name=name, code=code, level=level, grades_served=grades_served.strip()
        )
        audit_record(
            action=AuditAction.CREATE_SCHOOL,
            actor=member.user if member is not None else None,
            district=district,
            target=school,
            request=request,
            detail={"name": name, "code": code},
        )
    return school


def student_record_open(*, member: Membership, student: Student, request: HttpRequest | None = None) -> None:
    """Record one look at a student's record: who, which student, when (S12). Every look is a row."""
    audit_record(
        action=AuditAction.VIEW_STUDENT,
        actor=member.user,
        district=member.district,
        target=student,
        request=request,
    )
