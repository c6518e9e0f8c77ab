"""Which reminders exist at a moment: approval waits and dated work turned into notification rows.

Rules run on every sweep and are idempotent: each reminder's key names its occurrence
("<item key>:due-7", ":due-1", ":overdue", ":overdue-14", "<wait key>:waiting-<k>"), and the unique
(recipient, key) constraint keeps a second run, or a second beat, from adding anything.

Timeline reminders fall due at REMINDER_LOCAL_HOUR on their day in the district's time zone,
converted to UTC when the row is written, so a daylight-saving change moves the UTC time and
never the local one. "Today" is always the district's local date.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, time, timedelta

from coordinators.models import District, Membership, Role
from mtss.notifications.kinds import Kind
from mtss.notifications.models import Notification
from mtss.notifications.reminders import ApprovalWait, DueItem, approval_waits, due_items

REMINDER_LOCAL_HOUR = 7
DUE_SOON_DAYS = 7
DUE_TOMORROW_DAYS = 1
OVERDUE_ESCALATION_DAYS = 14
DEFAULT_APPROVAL_REMINDER_DAYS = 3


def local_due_at(district: District, day: date) -> datetime:
    """REMINDER_LOCAL_HOUR on `day` in the district's time zone (an aware datetime)."""
    return datetime.combine(day, time(REMINDER_LOCAL_HOUR), tzinfo=district.tz)


def district_roles() -> dict[int, dict[str, list[int]]]:
    """Active leaders and coordinators of every district, by role (one query)."""
    people: dict[int, dict[str, list[int]]] = defaultdict(lambda: defaultdict(list))
    for district_id, role, user_id in Membership.objects.filter(
        active=True, user__is_active=True, role__in=[Role.LEADER, Role.COORDINATOR]
    ).values_list("district_id", "role", "user_id"):
        people[district_id][role].append(user_id)
    return people


def _days(n: int) -> str:
    return "1 day" if n == 1 else f"{n} days"


def timeline_rows(
    item: DueItem, district: District, today: date, roles: dict[str, list[int]]
) -> list[Notification]:
    """The reminder rows one dated item calls for on the district's local `today`."""
    days_left = (item.due_date - today).days
    due_text = item.due_date.strftime("%A, %B %-d, %Y")
    wanted: list[tuple[str, list[int], str, str, date]] = []
    owner = [item.owner_id] if item.owner_id else []
    if DUE_TOMORROW_DAYS < days_left <= DUE_SOON_DAYS:
        wanted.append(
            (
                "due-7",
                owner,
                Kind.DUE_SOON,
                f"Due in {_days(days_left)}: {item.title}",
                item.due_date - timedelta(DUE_SOON_DAYS),
            )
        )
    elif 0 <= days_left <= DUE_TOMORROW_DAYS:
        when = "Due tomorrow" if days_left == 1 else "Due today"
        wanted.append(
            (
                "due-1",
                owner,
                Kind.DUE_SOON,
                f"{when}: {item.title}",
                item.due_date - timedelta(DUE_TOMORROW_DAYS),
            )
        )
    elif days_left < 0:
        late = -days_left
        wanted.append(
            (
                "overdue",
                owner + roles.get(Role.COORDINATOR, []),
                Kind.OVERDUE,
                f"Overdue by {_days(late)}: {item.title}",
                item.due_date + timedelta(1),
            )
        )
        if late > OVERDUE_ESCALATION_DAYS:
            wanted.append(
                (
                    "overdue-14",
                    roles.get(Role.LEADER, []),
                    Kind.OVERDUE,
                    f"Overdue more than {OVERDUE_ESCALATION_DAYS} days: {item.title}",
                    item.due_date + timedelta(OVERDUE_ESCALATION_DAYS + 1),
                )
            )
    rows = []
    for suffix, recipients, kind, subject, day in wanted:
        body = f"{item.kind_label}: {item.title}\nDue {due_text}."
        for user_id in dict.fromkeys(recipients):
            rows.append(
                Notification(
                    district_id=district.id,
                    recipient_id=user_id,
                    kind=kind,
                    subject=subject[:250],
                    body=body,
                    url=item.url,
                    key=f"{item.key}:{suffix}"[:200],
                    due_at=local_due_at(district, day),
                )
            )
    return rows


def approval_rows(
    wait: ApprovalWait, district: District, now: datetime, roles: dict[str, list[int]]
) -> list[Notification]:
    """Every N days of waiting remind the leaders; from 2N days on, the coordinators as well."""
    every = timedelta(days=district.approval_reminder_days or DEFAULT_APPROVAL_REMINDER_DAYS)
    rounds = (now - wait.submitted_at) // every
    if rounds < 1:
        return []
    waited_days = (every * rounds).days
    recipients = list(roles.get(Role.LEADER, []))
    if rounds >= 2:
        recipients += roles.get(Role.COORDINATOR, [])
    submitted = wait.submitted_at.astimezone(district.tz).strftime("%A, %B %-d, %Y")
    return [
        Notification(
            district_id=district.id,
            recipient_id=user_id,
            kind=Kind.APPROVAL_REMINDER,
            subject=f"Approval waiting {waited_days} days: {wait.title}"[:250],
            body=f"{wait.title} was submitted for approval on {submitted} and is still waiting.",
            url=wait.url,
            key=f"{wait.key}:waiting-{rounds}"[:200],
            due_at=wait.submitted_at + every * rounds,
        )
        for user_id in dict.fromkeys(recipients)
    ]


def reminder_rows(*, now: datetime) -> list[Notification]:
    """All reminder rows the rules call for at `now` (existing ones are ignored when written)."""
    # A suspended district's work waits, unreminded, until the operator reactivates it.
    districts = {d.id: d for d in District.objects.filter(suspended_at__isnull=True)}
    if not districts:
        return []
    roles = district_roles()
    rows: list[Notification] = []
    # One day of margin covers the districts whose local date is already tomorrow.
    horizon = now.date() + timedelta(days=DUE_SOON_DAYS + 1)
    for item in due_items(due_on_or_before=horizon):
        district = districts.get(item.district_id)
        if district is not None:
            today = now.astimezone(district.tz).date()
            rows += timeline_rows(item, district, today, roles.get(district.id, {}))
    for wait in approval_waits():
        district = districts.get(wait.district_id)
        if district is not None:
            rows += approval_rows(wait, district, now, roles.get(district.id, {}))
    return rows
