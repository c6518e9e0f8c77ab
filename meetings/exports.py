"""Minutes as CSV and a person's calendar as iCalendar text (RFC 5545), written by hand."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from datetime import UTC, date, datetime, timedelta

from meetings.models import ActionItem, AgendaItem, Attendance, Meeting
from mtss.spreadsheets import neutralise


def safe_cell(value: object) -> str:
    """A CSV cell as text that a spreadsheet cannot run as a formula."""
    return neutralise("" if value is None else str(value))


def csv_text(rows: Iterable[Iterable[object]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for row in rows:
        writer.writerow([safe_cell(cell) for cell in row])
    return buffer.getvalue()


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
    out, current = [], b""
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


def minutes_docx(
    meeting: Meeting, agenda: list[AgendaItem], attendance: list[Attendance], local_start: datetime
) -> bytes:
    """The minutes as a Word document: header facts, attendance, then each agenda item's lines."""
    from docx import Document

    document = Document()
    document.add_heading(f"{meeting.title}: minutes", level=1)
    facts = [
        ("Date", f"{local_start:%A, %B} {local_start.day}, {local_start.year}, {local_start:%-I:%M %p}"),
        ("Location", meeting.location or meeting.video_link or "—"),
        ("Facilitator", str(meeting.facilitator or "—")),
        ("Note taker", str(meeting.note_taker or "—")),
        ("Data analyst", str(meeting.data_analyst or "—")),
    ]
    table = document.add_table(rows=0, cols=2)
    for label, value in facts:
        cells = table.add_row().cells
        cells[0].text, cells[1].text = label, value
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
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
