"""Writes for people, schools and the current district."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.contrib.auth.tokens import default_token_generator
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from coordinators.middleware import CURRENT_DISTRICT_KEY
from coordinators.models import District, Membership, Role, School, TimeActivity, TimeEntry, User
from meetings.models import Meeting, MeetingKind
from mtss.audit.services import audit_record
from mtss.notifications.services import notify


class PersonAlreadyInDistrict(Exception):
    """The email already belongs to someone in this district."""


def person_invite(
    *,
    district: District,
    invited_by: User,
    email: str,
    full_name: str,
    role: str,
    schools: Iterable[School] = (),
    title: str = "",
) -> Membership:
    """Give a person a role in the district, creating their account if needed, and invite them."""
    email = email.strip().lower()
    with transaction.atomic():
        user = User.objects.filter(email__iexact=email).first()
        created = user is None
        if user is None:
            user = User.objects.create_user(email=email, password=None, full_name=full_name, title=title)
        elif Membership.objects.filter(user=user, district=district).exists():
            raise PersonAlreadyInDistrict(f"{email} already has a role in {district}.")
        membership = Membership.objects.create(user=user, district=district, role=role)
        if role == Role.SITE_ADMIN:
            membership.schools.set(schools)
        audit_record(action="invite person", actor=invited_by, district=district, target=membership)
        if created:
            path = reverse(
                "password_reset_confirm",
                kwargs={
                    "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
                    "token": default_token_generator.make_token(user),
                },
            )
            body = (
                f"{invited_by.get_full_name()} invited you to MTSS Coordination for {district.name} "
                f"as {membership.get_role_display()}. Choose a password to sign in."
            )
        else:
            path = reverse("home")
            body = (
                f"{invited_by.get_full_name()} gave you the role {membership.get_role_display()} "
                f"in {district.name}. Sign in and pick {district.name} in the district switcher."
            )
        notify(
            district=district,
            recipients=[user],
            kind="invitation",
            subject=f"You are invited to {district.name}'s MTSS Coordination",
            body=body,
            url=path,
            key=f"membership:{membership.pk}:invited",
        )
    return membership


def district_switch(*, request: HttpRequest, district_id: int) -> Membership | None:
    membership = Membership.objects.filter(user=request.user, district_id=district_id, active=True).first()
    if membership is not None:
        request.session[CURRENT_DISTRICT_KEY] = membership.district_id
    return membership


# Coordinator time ----------------------------------------------------------------------------
# Appended section: imports kept here so the code above stays untouched.


ACTIVITY_FOR_MEETING = {
    MeetingKind.DIT: TimeActivity.DIT,
    MeetingKind.COACHING: TimeActivity.COACHING,
    MeetingKind.EXECUTIVE: TimeActivity.EXECUTIVE,
    MeetingKind.LEARNING: TimeActivity.LEARNING,
    MeetingKind.OFFICE_HOURS: TimeActivity.OFFICE_HOURS,
}


def time_entry_create(
    *,
    district: District,
    coordinator: User,
    date: date,
    hours: Decimal,
    activity: str,
    note: str = "",
    meeting: Meeting | None = None,
) -> TimeEntry:
    with transaction.atomic():
        return TimeEntry.objects.create(
            district=district,
            coordinator=coordinator,
            date=date,
            hours=hours,
            activity=activity,
            note=note,
            meeting=meeting,
        )


def time_entry_log_meeting(*, meeting: Meeting, coordinator: User) -> tuple[TimeEntry, bool]:
    """Log a meeting's length (to the quarter hour) on its local date; once per meeting."""
    minutes = (meeting.ends_at - meeting.starts_at).total_seconds() / 60
    hours = (Decimal(minutes) / 60 * 4).quantize(Decimal(1), rounding=ROUND_HALF_UP) / 4
    try:
        with transaction.atomic():
            entry = time_entry_create(
                district=meeting.district,
                coordinator=coordinator,
                date=timezone.localtime(meeting.starts_at, meeting.district.tz).date(),
                hours=hours,
                activity=ACTIVITY_FOR_MEETING.get(meeting.kind, TimeActivity.OTHER),
                note=meeting.title,
                meeting=meeting,
            )
    except IntegrityError:
        return TimeEntry.objects.get(coordinator=coordinator, meeting=meeting), False
    return entry, True


def time_entry_delete(*, entry: TimeEntry) -> None:
    entry.delete()
