"""Digest emails: the weekly executive digest and each person's daily or weekly digest.

A digest is itself a notification row (kind DIGEST) with the key
"digest:<weekly|daily>:<district>:<local date>", so each person gets one per period however many
sweeps run. It falls due at the district's `digest_hour` local time; on the weekly day
(`digest_weekday`) each executive leader gets the executive sections (drafts waiting, overdue
work, due soon, and what apps add through DIGEST_SECTIONS), and everyone whose digest is weekly
gets the notifications they chose to read there. People who chose a daily digest get theirs
every day at the same hour.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, time, timedelta

from django.db import IntegrityError, transaction

from coordinators.models import District, Membership, Role
from mtss.notifications.kinds import Kind
from mtss.notifications.models import DigestFrequency, DigestSetting, Notification
from mtss.notifications.reminders import DigestSection, approval_waits, digest_sections, due_items

State = Notification.EmailState
DUE_SOON_DAYS = 7


def digest_due_at(district: District, day: date) -> datetime:
    return datetime.combine(day, time(district.digest_hour), tzinfo=district.tz)


def executive_sections(*, district: District, now: datetime, today: date) -> list[DigestSection]:
    """The sections every executive leader reads in the weekly digest."""
    waiting = [wait for wait in approval_waits() if wait.district_id == district.id]
    waiting.sort(key=lambda w: w.submitted_at)
    drafts = tuple(f"{w.title}: waiting {max((now - w.submitted_at).days, 0)} days" for w in waiting)
    overdue, soon = [], []
    for item in due_items(due_on_or_before=today + timedelta(days=DUE_SOON_DAYS)):
        if item.district_id != district.id:
            continue
        days_left = (item.due_date - today).days
        line = f"{item.kind_label}: {item.title} (due {item.due_date:%b %-d})"
        if days_left < 0:
            overdue.append((item.due_date, f"{line}, {-days_left} days overdue"))
        else:
            soon.append((item.due_date, line))
    sections = [
        DigestSection("Drafts waiting for approval", drafts),
        DigestSection("Overdue", tuple(line for _d, line in sorted(overdue))),
        DigestSection("Due in the next 7 days", tuple(line for _d, line in sorted(soon))),
        *digest_sections(district_id=district.id, today=today),
    ]
    return [section for section in sections if section.lines]


def _one_line(text: str) -> str:
    """Typed text on one line, so a title cannot add a section or a line of its own."""
    return " ".join(text.split())


def render_body(sections: list[DigestSection], notifications: list[Notification]) -> str:
    """The digest as plain text; the email's HTML part is drawn from it by `digest_html`."""
    parts = []
    for section in sections:
        parts.append(f"**{section.title}**\n\n" + "\n".join(f"- {_one_line(line)}" for line in section.lines))
    if notifications:
        parts.append(
            "**Your notifications**\n\n" + "\n".join(f"- {_one_line(n.subject)}" for n in notifications)
        )
    return "\n\n".join(parts) if parts else "Nothing is waiting for you this time."


def _subject(frequency: str, sections: list[DigestSection], notifications: list[Notification]) -> str:
    counts = {s.title: len(s.lines) for s in sections}
    bits = []
    if counts.get("Drafts waiting for approval"):
        n = counts["Drafts waiting for approval"]
        bits.append(f"{n} draft{'s' if n != 1 else ''} waiting for approval")
    if counts.get("Overdue"):
        bits.append(f"{counts['Overdue']} overdue")
    if notifications:
        bits.append(f"{len(notifications)} notification{'s' if len(notifications) != 1 else ''}")
    label = "Weekly digest" if frequency == DigestFrequency.WEEKLY else "Daily digest"
    return f"{label}: {', '.join(bits)}" if bits else label


def _create_digest(
    *,
    district: District,
    user_id: int,
    frequency: str,
    today: date,
    sections: list[DigestSection],
    waiting_rows: list[Notification],
) -> bool:
    key = f"digest:{frequency}:{district.id}:{today.isoformat()}"
    try:
        with transaction.atomic():
            digest = Notification.objects.create(
                district=district,
                recipient_id=user_id,
                kind=Kind.DIGEST,
                subject=_subject(frequency, sections, waiting_rows),
                body=render_body(sections, waiting_rows),
                url="",
                key=key,
                due_at=digest_due_at(district, today),
            )
            Notification.objects.filter(
                id__in=[n.id for n in waiting_rows], email_state=State.IN_DIGEST
            ).update(email_state=State.DIGESTED, digest=digest)
    except IntegrityError:
        # Another sweep wrote this digest first.
        return False
    return True


def digests_create(*, now: datetime) -> int:
    """Write the digests whose local hour has come today; return how many are new."""
    created = 0
    frequencies = dict(DigestSetting.objects.values_list("user_id", "frequency"))
    leaders_by_district: dict[int, set[int]] = defaultdict(set)
    for district_id, user_id in Membership.objects.filter(
        role=Role.LEADER, active=True, user__is_active=True
    ).values_list("district_id", "user_id"):
        leaders_by_district[district_id].add(user_id)
    for district in District.objects.filter(suspended_at__isnull=True):
        local = now.astimezone(district.tz)
        if local.hour < district.digest_hour:
            continue
        today = local.date()
        weekly_day = today.weekday() == district.digest_weekday
        existing = set(
            Notification.objects.filter(
                district=district, kind=Kind.DIGEST, key__endswith=f":{district.id}:{today.isoformat()}"
            ).values_list("recipient_id", flat=True)
        )
        waiting: dict[int, list[Notification]] = defaultdict(list)
        for row in Notification.objects.filter(district=district, email_state=State.IN_DIGEST).order_by(
            "created_at", "id"
        ):
            waiting[row.recipient_id].append(row)
        wanted: dict[int, str] = {}
        for user_id in waiting:
            frequency = frequencies.get(user_id, DigestFrequency.WEEKLY)
            if frequency == DigestFrequency.DAILY or weekly_day:
                wanted[user_id] = frequency
        if weekly_day:
            for user_id in leaders_by_district[district.id]:
                wanted.setdefault(user_id, DigestFrequency.WEEKLY)
        wanted = {user_id: f for user_id, f in wanted.items() if user_id not in existing}
        if not wanted:
            continue
        executive = None
        for user_id, frequency in wanted.items():
            sections: list[DigestSection] = []
            if weekly_day and user_id in leaders_by_district[district.id]:
                if executive is None:
                    executive = executive_sections(district=district, now=now, today=today)
                sections = executive
                frequency = DigestFrequency.WEEKLY
            created += _create_digest(
                district=district,
                user_id=user_id,
                frequency=frequency,
                today=today,
                sections=sections,
                waiting_rows=waiting.get(user_id, []),
            )
    return created
