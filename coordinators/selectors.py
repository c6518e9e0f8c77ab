"""Reads for people and schools, always scoped to the member's district (and schools)."""

from __future__ import annotations

import hashlib
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.db.models import Count, F, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from coordinators.models import (
    HOURS_PER_DAY,
    District,
    Enrollment,
    ImplementationStage,
    Invitation,
    Membership,
    Role,
    RosterClass,
    School,
    TimeActivity,
    TimeEntry,
    TimeTarget,
    User,
)
from meetings.models import ActionItem, Attendance, Meeting
from mtss.access import get_scoped_or_404


def memberships_of(user: User) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(user=user, active=True)
        .select_related("district")
        .order_by("district__name")
    )


def schools_for(member: Membership) -> QuerySet[School]:
    """Schools the member may see: the whole district, or the schools a site admin or school staff
    member is tied to (school staff see their names only: no school page opens to them)."""
    schools = School.objects.filter(district=member.district)
    if not member.sees_whole_district:
        schools = schools.filter(site_admins=member)
    return schools.order_by("name")


def get_school_for_user(member: Membership, pk: object, *, write: bool = False) -> School:
    return get_scoped_or_404(
        schools_for(member), pk, member, write=write, can_write=lambda m, _s: m.is_coordinator
    )


def people_for(member: Membership) -> QuerySet[Membership]:
    """The district's people, as memberships. Site admins and school staff see no people directory."""
    if not member.sees_whole_district:
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


def invitations_for(member: Membership) -> QuerySet[Invitation]:
    """The district's open invitations, for its coordinators and leaders.

    Only what the district typed and offered is read (never the invited account's own details).
    """
    if not (member.is_coordinator or member.is_leader):
        return Invitation.objects.none()
    return (
        Invitation.objects.filter(district=member.district, status__in=Invitation.OPEN_STATUSES)
        .only("id", "district_id", "email", "full_name", "role", "status", "invited_by_id", "created_at")
        .order_by("-created_at", "-id")
    )


def get_invitation_for_user(member: Membership, pk: object, *, write: bool = False) -> Invitation:
    """An open invitation of the member's district; a leader other than the inviter may confirm it."""
    return get_scoped_or_404(
        invitations_for(member),
        pk,
        member,
        write=write,
        can_write=lambda m, i: m.is_leader and i.invited_by_id != m.user_id,
    )


def invitations_of(user: User) -> QuerySet[Invitation]:
    """Invitations waiting for this person's answer, in any district."""
    return (
        Invitation.objects.filter(person=user, status=Invitation.Status.PENDING)
        .select_related("district", "invited_by")
        .order_by("-created_at", "-id")
    )


def invitation_token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def invitation_for_token(token: str) -> Invitation | None:
    """The open invitation a set-password link belongs to, for a person who has no password yet."""
    if not token:
        return None
    invitation = (
        Invitation.objects.select_related("district", "person", "invited_by")
        .filter(token_hash=invitation_token_hash(token), status=Invitation.Status.PENDING)
        .first()
    )
    if invitation is None or invitation.person.has_usable_password():
        return None
    return invitation


def get_own_invitation(user: User, pk: int | str) -> Invitation:
    try:
        return invitations_of(user).get(pk=pk)
    except (Invitation.DoesNotExist, ValueError, TypeError):
        raise Http404("Not found.") from None


def district_people(district_id: int, *roles: str) -> QuerySet[User]:
    """Active people of a district holding any of `roles`.

    No roles means the district team and site admins, the people who own meetings' and plans' work:
    school staff are left out of those pickers, since they may not open the pages such work lives on.
    A person has one membership per district, so the join lists each person once: no DISTINCT.
    The conditions sit in one filter() so they apply to that one membership.
    """
    conditions: dict[str, object] = {
        "memberships__district_id": district_id,
        "memberships__active": True,
        "memberships__role__in": roles or Role.coordination_roles(),
    }
    return User.objects.filter(is_active=True, **conditions).order_by("full_name")


def leaders_of(district_id: int) -> QuerySet[User]:
    return district_people(district_id, Role.LEADER)


def coordinators_of(district_id: int) -> QuerySet[User]:
    return district_people(district_id, Role.COORDINATOR)


# Coordinator time ----------------------------------------------------------------------------
# Appended section: imports kept here so the people and schools code above stays untouched.


# Used when a district has not set its own target: the job description's 3-4 days a month
# during installation; lighter in the other stages.
DEFAULT_TIME_TARGETS = {
    ImplementationStage.EXPLORATION: (Decimal(1), Decimal(2)),
    ImplementationStage.INSTALLATION: (Decimal(3), Decimal(4)),
    ImplementationStage.INITIAL: (Decimal(2), Decimal(3)),
    ImplementationStage.FULL: (Decimal(1), Decimal(2)),
}
TIME_SUMMARY_MONTHS = 12
MEETINGS_TO_LOG_DAYS = 45


def time_entries_for(member: Membership) -> QuerySet[TimeEntry]:
    """A coordinator's own entries; executive leaders see every coordinator's in the district."""
    entries = TimeEntry.objects.filter(district=member.district)
    if member.is_coordinator:
        return entries.filter(coordinator=member.user)
    if member.is_leader:
        return entries
    return entries.none()


def get_time_entry_for_user(member: Membership, pk: object, *, write: bool = False) -> TimeEntry:
    return get_scoped_or_404(
        time_entries_for(member),
        pk,
        member,
        write=write,
        can_write=lambda m, e: e.coordinator_id == m.user_id,
    )


def time_target(district: District, stage: str) -> tuple[Decimal, Decimal]:
    row = TimeTarget.objects.filter(district=district, stage=stage).first()
    if row is not None:
        return row.min_days, row.max_days
    return DEFAULT_TIME_TARGETS[ImplementationStage(stage)]


def month_start(day: date) -> date:
    return day.replace(day=1)


def add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


@dataclass
class TimeSummary:
    coordinator: User
    month: date
    months: list[date]
    # days[month][activity]
    days: dict[date, dict[str, float]]
    target: tuple[Decimal, Decimal]

    def month_rows(self) -> list[tuple[str, float, float]]:
        """(activity label, hours, days) for the chosen month, every activity listed."""
        values = self.days.get(self.month, {})
        return [
            (label, values.get(key, 0.0) * HOURS_PER_DAY, values.get(key, 0.0))
            for key, label in TimeActivity.choices
        ]

    def total(self, month: date) -> float:
        return round(sum(self.days.get(month, {}).values()), 2)

    def month_total(self) -> float:
        return self.total(self.month)

    def status(self) -> str:
        low, high = self.target
        total = Decimal(str(self.month_total()))
        if total < low:
            return "below"
        return "above" if total > high else "within"

    def chart(self) -> dict:
        return {
            "months": [m.strftime("%b %Y") for m in self.months],
            "series": [
                {"name": label, "days": [round(self.days.get(m, {}).get(key, 0.0), 2) for m in self.months]}
                for key, label in TimeActivity.choices
            ],
            "target": [float(self.target[0]), float(self.target[1])],
        }

    def csv_rows(self) -> list[list[object]]:
        rows: list[list[object]] = [["Coordinator", "Month", "Activity", "Hours", "Days"]]
        for m in self.months:
            for key, label in TimeActivity.choices:
                days = self.days.get(m, {}).get(key, 0.0)
                if days:
                    rows.append(
                        [
                            self.coordinator.full_name,
                            m.strftime("%Y-%m"),
                            label,
                            round(days * HOURS_PER_DAY, 2),
                            round(days, 2),
                        ]
                    )
            rows.append(
                [
                    self.coordinator.full_name,
                    m.strftime("%Y-%m"),
                    "Total",
                    round(self.total(m) * HOURS_PER_DAY, 2),
                    self.total(m),
                ]
            )
        return rows


def time_summary(member: Membership, coordinator: User, month: date, stage: str) -> TimeSummary:
    """The chosen month and the eleven before it, in days by activity: one query for the entries."""
    first = add_months(month_start(month), -(TIME_SUMMARY_MONTHS - 1))
    months = [add_months(first, i) for i in range(TIME_SUMMARY_MONTHS)]
    days: dict[date, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    rows = (
        time_entries_for(member)
        .filter(coordinator=coordinator, date__gte=first, date__lt=add_months(month_start(month), 1))
        .values_list("date", "activity", "hours")
    )
    for day, activity, hours in rows:
        days[month_start(day)][activity] += float(hours) / HOURS_PER_DAY
    return TimeSummary(
        coordinator=coordinator,
        month=month_start(month),
        months=months,
        days={k: dict(v) for k, v in days.items()},
        target=time_target(member.district, stage),
    )


def coordinators_for_time(member: Membership) -> QuerySet[User]:
    if member.is_coordinator:
        return User.objects.filter(pk=member.user_id)
    if member.is_leader:
        return coordinators_of(member.district_id)
    return User.objects.none()


def meetings_to_log(member: Membership) -> list[Meeting]:
    """Recent meetings the coordinator ran or attended that are not in their time log yet."""
    since = timezone.now() - timedelta(days=MEETINGS_TO_LOG_DAYS)
    attended = Attendance.objects.filter(person=member.user).exclude(
        status__in=[Attendance.Status.ABSENT, Attendance.Status.EXCUSED]
    )
    return list(
        Meeting.objects.filter(district=member.district, starts_at__gte=since)
        # A closed meeting has happened, even when it was closed before its planned time.
        .filter(Q(starts_at__lte=timezone.now()) | Q(status=Meeting.Status.CLOSED))
        .exclude(status=Meeting.Status.CANCELLED)
        .filter(Q(facilitator=member.user) | Q(pk__in=attended.values("meeting_id")))
        .exclude(time_entries__coordinator=member.user)
        .order_by("-starts_at")[:10]
    )


# A school's hub and a site admin's home ------------------------------------------------------


def school_people(school: School) -> QuerySet[Membership]:
    """The school's active site admins, with their accounts (its school staff are not listed)."""
    return (
        school.site_admins.filter(active=True, role=Role.SITE_ADMIN)
        .select_related("user")
        .order_by("user__full_name")
    )


def school_open_action_items(member: Membership, school: School) -> QuerySet[ActionItem]:
    """Open action items of a school the member reached through `schools_for`: those owned by one
    of its site admins and those from its data reviews, overdue first by due date.

    The same reach a site admin has at a meeting's action-item review (their schools' data
    reviews), widened from their own items to their school's people. Subqueries, not joins, so
    no item is listed twice.
    """
    owners = Membership.objects.filter(
        district=member.district, active=True, role=Role.SITE_ADMIN, schools=school
    ).values("user_id")
    from_reviews = ActionItem.objects.filter(
        district=member.district, solution_action__review__school=school
    ).values("pk")
    return (
        ActionItem.objects.filter(district=member.district, status=ActionItem.Status.OPEN)
        .filter(Q(owner_id__in=owners) | Q(pk__in=from_reviews))
        .select_related("owner")
        .order_by(F("due_date").asc(nulls_last=True), "id")
    )


# A school staff member's classes ----------------------------------------------------------------


def class_ids_taught_by(member: Membership) -> QuerySet[Enrollment, Any]:
    """The ids of the classes whose roster lists the member as active staff (a subquery)."""
    return Enrollment.objects.filter(
        district=member.district,
        active=True,
        staff__district=member.district,
        staff__active=True,
        staff__person_id=member.user_id,
    ).values("roster_class_id")


def classes_taught_by(member: Membership) -> QuerySet[RosterClass]:
    """The district's active roster classes that list the member as staff, by school and title.

    The roster names a teacher by a RosterPerson whose `person` is their account. Each class
    carries `student_count`: its active students with an active enrollment. The member's own
    classes are a subquery, so counting the students joins the enrollments once.
    """
    return (
        RosterClass.objects.filter(district=member.district, active=True, pk__in=class_ids_taught_by(member))
        .select_related("school")
        .annotate(
            student_count=Count(
                "enrollments__student",
                filter=Q(enrollments__active=True, enrollments__student__active=True),
                distinct=True,
            )
        )
        .order_by("school__name", "title", "id")
    )
