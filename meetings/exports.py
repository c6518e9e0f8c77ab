"""Minutes as CSV and Word, the meeting packet as Word, and a calendar as iCalendar text (RFC 5545)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING

from meetings.models import ActionItem, AgendaItem, Attendance, Meeting
from mtss.documents import bullets, document_bytes, facts_table, new_document, rows_table

if TYPE_CHECKING:
    from meetings.packet import Packet


def minutes_rows(
    meeting: Meeting, agenda: list[AgendaItem], attendance: list[Attendance], local_start: datetime
) -> list[list[object]]:
    rows: list[list[object]] = [
        ["Meeting", meeting.title],
        ["Date", f"{local_start:%Y-%m-%d %H:%M}"],
        ["Location", meeting.location or meeting.video_link],
        ["Facilitator", meeting.facilitator or ""],
        ["Note taker", meeting.note_taker or ""],
        ["Data analyst", meeting.data_analyst or ""],
        ["Attendance", "; ".join(f"{a.name} ({a.get_status_display()})" for a in attendance)],
        [],
        ["Agenda item", "Planned minutes", "Kind", "Minutes", "Owner", "Due"],
    ]
    for item in agenda:
        entries = list(item.entries.all())
        if not entries:
            rows.append([item.title, item.minutes_planned, "", "", "", ""])
        for entry in entries:
            action = entry.action_item
            rows.append(
                [
                    item.title,
                    item.minutes_planned,
                    entry.get_kind_display(),
                    entry.text,
                    action.owner if action and action.owner else "",
                    action.due_date.isoformat() if action and action.due_date else "",
                ]
            )
    return rows


# iCalendar -----------------------------------------------------------------------------------


def ics_escape(text: str) -> str:
    return (
        text.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
    )


def _fold(line: str) -> str:
    """Fold lines longer than 75 octets (RFC 5545 3.1)."""
    out: list[str] = []
    current = b""
    for char in line:
        encoded = char.encode()
        if len(current) + len(encoded) > (75 if not out else 74):
            out.append(current.decode())
            current = b""
        current += encoded
    out.append(current.decode())
    return "\r\n ".join(out)


def _utc(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def calendar_text(
    *, meetings: list[Meeting], items: list[ActionItem], host: str, base_url: str, now: datetime
) -> str:
    stamp = _utc(now)
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//MTSS Coordination//Meetings//EN",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "X-WR-CALNAME:MTSS meetings and action items",
    ]
    for meeting in meetings:
        lines += [
            "BEGIN:VEVENT",
            f"UID:meeting-{meeting.pk}@{host}",
            f"DTSTAMP:{stamp}",
            f"DTSTART:{_utc(meeting.starts_at)}",
            f"DTEND:{_utc(meeting.ends_at)}",
            f"SUMMARY:{ics_escape(meeting.title)}",
            f"LOCATION:{ics_escape(meeting.location or meeting.video_link)}",
            f"URL:{base_url}/meetings/{meeting.pk}/",
            "STATUS:CONFIRMED",
            "END:VEVENT",
        ]
    for item in items:
        due: date = item.due_date  # type: ignore[assignment]
        lines += [
            "BEGIN:VEVENT",
            f"UID:action-item-{item.pk}@{host}",
            f"DTSTAMP:{stamp}",
            f"DTSTART;VALUE=DATE:{due:%Y%m%d}",
            f"DTEND;VALUE=DATE:{due + timedelta(days=1):%Y%m%d}",
            f"SUMMARY:{ics_escape('Due: ' + item.title)}",
            "TRANSP:TRANSPARENT",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return "".join(_fold(line) + "\r\n" for line in lines)


def _long_day(moment: date | datetime) -> str:
    return f"{moment:%A, %B} {moment.day}, {moment.year}"


def _short_day(day: date) -> str:
    return f"{day:%b} {day.day}, {day.year}"


def minutes_docx(
    meeting: Meeting, agenda: list[AgendaItem], attendance: list[Attendance], local_start: datetime
) -> bytes:
    """The minutes as a Word document: header facts, attendance, then each agenda item's lines."""
    document = new_document(f"{meeting.title}: minutes")
    facts_table(
        document,
        [
            ("Date", f"{_long_day(local_start)}, {local_start:%-I:%M %p}"),
            ("Location", meeting.location or meeting.video_link or "—"),
            ("Facilitator", str(meeting.facilitator or "—")),
            ("Note taker", str(meeting.note_taker or "—")),
            ("Data analyst", str(meeting.data_analyst or "—")),
        ],
    )
    document.add_heading("Attendance", level=2)
    document.add_paragraph("; ".join(f"{a.name} ({a.get_status_display()})" for a in attendance) or "—")
    document.add_heading("Agenda and minutes", level=2)
    for number, item in enumerate(agenda, start=1):
        document.add_heading(f"{number}. {item.title} ({item.minutes_planned} min)", level=3)
        for entry in item.entries.all():
            action = entry.action_item
            extra = ""
            if action is not None:
                extra = (
                    f" — {action.owner or 'nobody'}, by {action.due_date:%b %-d, %Y}"
                    if action.due_date
                    else ""
                )
            document.add_paragraph(f"{entry.get_kind_display()}: {entry.text}{extra}", style="List Bullet")
    return document_bytes(document)


def packet_docx(packet: Packet) -> bytes:
    """The meeting packet as a Word document, section for section as the printed page."""
    from meetings.packet import is_late

    meeting = packet.meeting
    document = new_document(f"{meeting.title}: meeting packet")
    facts_table(
        document,
        [
            (
                "Date",
                f"{_long_day(packet.local_start)}, {packet.local_start:%-I:%M %p}"
                f"\u2013{packet.local_end:%-I:%M %p}",
            ),
            ("Location", meeting.location or meeting.video_link or "—"),
            ("Prepared", _long_day(packet.today)),
        ],
    )
    timing = packet.timing
    document.add_heading("1. Agenda", level=2)
    document.add_paragraph(
        f"{timing.planned} planned minutes for a {timing.length}-minute meeting"
        + (f": {timing.over_by} minutes too many." if timing.runs_over else ".")
    )
    rows_table(
        document,
        ["#", "Item", "Planned minutes"],
        [[n, item.title, item.minutes_planned] for n, item in enumerate(packet.agenda, start=1)],
    )
    document.add_heading("2. Last meeting's decisions", level=2)
    if packet.previous is None:
        document.add_paragraph("There are no earlier decisions on record.")
    else:
        previous_day = packet.previous.starts_at.astimezone(meeting.district.tz)
        document.add_paragraph(f"{packet.previous.title}, {_long_day(previous_day)}.")
        bullets(
            document,
            (f"{entry.text} ({entry.agenda_item.title})" for entry in packet.decisions),
            empty="No decisions were recorded.",
        )
    document.add_heading("3. Open action items by owner", level=2)
    if not packet.owners:
        document.add_paragraph("No open action items.")
    for group in packet.owners:
        overdue = f", {group.overdue} overdue" if group.overdue else ""
        document.add_heading(f"{group.owner} ({len(group.items)} open{overdue})", level=3)
        bullets(
            document,
            (
                item.title
                + (f" — due {_short_day(item.due_date)}" if item.due_date else " — no due date")
                + (" (overdue)" if is_late(item.due_date, packet.today) else "")
                for item in group.items
            ),
            empty="",
        )
    document.add_heading(
        f"4. Plan activities due by {packet.activities_until:%B} {packet.activities_until.day} or overdue",
        level=2,
    )
    if packet.activities:
        rows_table(
            document,
            ["Activity", "Owner", "Due", "Status"],
            [
                [
                    activity.title,
                    activity.owner or "—",
                    _short_day(activity.due_date)
                    + (" (overdue)" if is_late(activity.due_date, packet.today) else ""),
                    activity.get_status_display(),
                ]
                for activity in packet.activities
            ],
        )
    else:
        document.add_paragraph("No plan activities are overdue or due by then.")
    document.add_heading("5. Escalated barriers", level=2)
    bullets(
        document,
        (
            f"{barrier.description[:200]} — {barrier.get_status_display()}, waiting for a leader's decision "
            f"since {_short_day(barrier.escalated_on)}"
            if barrier.escalated_on
            else barrier.description[:200]
            for barrier in packet.barriers
        ),
        empty="No barrier is waiting for a leader's decision.",
    )
    document.add_heading("6. Processes waiting for approval or due for review", level=2)
    bullets(
        document,
        [
            *(
                f"{version.process.name}, version {version.number} — waiting for approval since "
                + (
                    _short_day(version.submitted_at.astimezone(meeting.district.tz))
                    if version.submitted_at
                    else "—"
                )
                for version in packet.approvals
            ),
            *(
                f"{row.name} — review due {_short_day(row.review_on)}"
                for row in packet.reviews_due
                if row.review_on
            ),
        ],
        empty="None waiting for approval, none due for review.",
    )
    document.add_heading("7. The latest data", level=2)
    if not packet.snapshots:
        document.add_paragraph("No screener results have been imported yet.")
    for snapshot in packet.snapshots:
        document.add_heading(snapshot.title[:1].upper() + snapshot.title[1:], level=3)
        document.add_paragraph(snapshot.summary)
        rows_table(document, ["Tier", "Students", "% of students tested", "Guide %"], snapshot.rows)
    return document_bytes(document)
