"""Meetings, agendas, minutes, action items and the calendar feed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, tzinfo

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.template.defaultfilters import pluralize
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from coordinators.models import Role, User
from coordinators.selectors import district_people
from meetings import agenda_send, exports, packet, selectors, services
from meetings.forms import (
    AgendaItemForm,
    CloseMeetingForm,
    MeetingForm,
    MeetingSeriesForm,
    MinuteEntryForm,
    ProposeItemForm,
    default_school_year,
)
from meetings.models import Attendance, Meeting, StandingItem
from mtss.access import MemberRequest, member_required
from mtss.links import is_app_path
from mtss.middleware import kept_post_data
from mtss.spreadsheets import csv_text

CALENDAR_LOOKBACK_DAYS = 90


def _local(meeting: Meeting) -> tuple[datetime, datetime]:
    tz = meeting.district.tz
    return timezone.localtime(meeting.starts_at, tz), timezone.localtime(meeting.ends_at, tz)


@dataclass(frozen=True)
class MeetingRow:
    meeting: Meeting
    local_day: str
    local_times: str


def _with_local_times(meetings: list[Meeting], tz: tzinfo) -> list[MeetingRow]:
    """The day and time as the table shows them, in the district's time zone.

    Formatted here with strftime: Django's `date` filter costs about a quarter of the page when
    it runs three times on each of 48 rows.
    """
    rows = []
    for meeting in meetings:
        starts, ends = meeting.starts_at.astimezone(tz), meeting.ends_at.astimezone(tz)
        rows.append(
            MeetingRow(
                meeting,
                local_day=starts.strftime("%a %b %-d, %Y"),
                local_times=f"{starts.strftime('%-I:%M %p')}\u2013{ends.strftime('%-I:%M %p')}",
            )
        )
    return rows


@member_required()
def meeting_list(request: MemberRequest) -> HttpResponse:
    now = timezone.now()
    # Only what the table shows: the people a meeting names are not needed here.
    meetings = selectors.meetings_in_view(request.membership).only(
        "id", "title", "kind", "status", "starts_at", "ends_at"
    )
    upcoming = list(meetings.filter(ends_at__gte=now).exclude(status=Meeting.Status.CLOSED)[:24])
    shown = {m.pk for m in upcoming}
    past = [m for m in meetings.filter(starts_at__lt=now).order_by("-starts_at")[:24] if m.pk not in shown]
    tz = request.membership.district.tz
    return render(
        request,
        "meetings/meeting_list.html",
        {"upcoming": _with_local_times(upcoming, tz), "past": _with_local_times(past, tz)},
    )


@member_required(Role.COORDINATOR)
def meeting_series_create(request: MemberRequest) -> HttpResponse:
    first, last = default_school_year(timezone.localdate())
    form = MeetingSeriesForm(request.POST or None, initial={"first_date": first, "last_date": last})
    if request.method == "POST" and form.is_valid():
        series = services.meeting_series_create(member=request.membership, **form.cleaned_data)
        messages.success(request, f"{series.meetings.count()} meetings created.")
        return redirect("meeting_list")
    return render(request, "meetings/meeting_form.html", {"form": form, "heading": "New monthly meetings"})


def _meeting_fields(data: dict, meeting_tz: object) -> dict:
    fields = dict(data)
    day, start, end = fields.pop("date"), fields.pop("start_time"), fields.pop("end_time")
    fields["starts_at"] = services.local_to_utc(day, start, meeting_tz)
    fields["ends_at"] = services.local_to_utc(day, end, meeting_tz)
    return fields


@member_required(Role.COORDINATOR)
def meeting_create(request: MemberRequest) -> HttpResponse:
    district = request.membership.district
    form = MeetingForm(request.POST or None, district=district, submit="Schedule meeting")
    if request.method == "POST" and form.is_valid():
        meeting = services.meeting_create(
            member=request.membership, **_meeting_fields(form.cleaned_data, district.tz)
        )
        return redirect("meeting_detail", pk=meeting.pk)
    return render(request, "meetings/meeting_form.html", {"form": form, "heading": "New meeting"})


@member_required(Role.COORDINATOR)
def meeting_edit(request: MemberRequest, pk: int) -> HttpResponse:
    meeting = selectors.get_meeting_for_user(request.membership, pk, write=True)
    start, end = _local(meeting)
    initial = {
        "kind": meeting.kind,
        "title": meeting.title,
        "date": start.date(),
        "start_time": start.time(),
        "end_time": end.time(),
        "location": meeting.location,
        "video_link": meeting.video_link,
        "facilitator": meeting.facilitator,
        "note_taker": meeting.note_taker,
        "data_analyst": meeting.data_analyst,
    }
    form = MeetingForm(request.POST or None, initial=initial, district=meeting.district)
    if request.method == "POST" and form.is_valid():
        try:
            services.meeting_update(
                meeting=meeting,
                member=request.membership,
                **_meeting_fields(form.cleaned_data, meeting.district.tz),
            )
        except services.MeetingStateError as error:
            return _refused(request, error, reverse("meeting_detail", args=[meeting.pk]))
        messages.success(request, "Meeting saved.")
        return redirect("meeting_detail", pk=meeting.pk)
    return render(
        request, "meetings/meeting_form.html", {"form": form, "heading": "Move or change", "meeting": meeting}
    )


@member_required(Role.COORDINATOR)
@require_POST
def meeting_cancel(request: MemberRequest, pk: int) -> HttpResponse:
    meeting = selectors.get_meeting_for_user(request.membership, pk, write=True)
    try:
        services.meeting_cancel(meeting=meeting, member=request.membership)
    except services.MeetingStateError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, "Meeting cancelled.")
    return redirect("meeting_detail", pk=meeting.pk)


@member_required(Role.COORDINATOR)
@require_POST
def meeting_reopen(request: MemberRequest, pk: int) -> HttpResponse:
    meeting = selectors.get_meeting_for_user(request.membership, pk, write=True)
    try:
        services.meeting_reopen(meeting=meeting, member=request.membership)
    except services.MeetingStateError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, "Meeting reopened: its agenda and minutes can change again.")
    return redirect("meeting_detail", pk=meeting.pk)


def _meeting_context(request: MemberRequest, meeting: Meeting) -> dict:
    start, end = _local(meeting)
    member = request.membership
    agenda = selectors.meeting_agenda(meeting)
    return {
        "meeting": meeting,
        "local_start": start,
        "local_end": end,
        "agenda": agenda,
        "timing": packet.agenda_timing(meeting, agenda),
        "live": packet.live_standing(member, meeting, agenda),
        "barriers_standing": StandingItem.BARRIERS,
        "plan_standing": StandingItem.PLAN_PROGRESS,
        "attendance": selectors.meeting_attendance(meeting),
        "review_items": selectors.open_action_items_for_review(meeting, member),
        "may_edit": member.is_coordinator,
        "may_record": selectors.may_record_minutes(member, meeting),
        "may_propose": selectors.may_propose(member, meeting),
        "action_items_standing": StandingItem.ACTION_ITEMS,
        "today": timezone.localdate(),
    }


@member_required()
def meeting_detail(request: MemberRequest, pk: int) -> HttpResponse:
    meeting = selectors.get_meeting_for_user(request.membership, pk)
    context = _meeting_context(request, meeting)
    context["propose_form"] = ProposeItemForm()
    context["may_read_packet"] = request.membership.role in Role.district_staff()
    if context["may_edit"]:
        context["agenda_sent"] = selectors.agenda_sent(meeting)
    return render(request, "meetings/meeting_detail.html", context)


@member_required(*Role.district_staff())
@require_POST
def agenda_propose(request: MemberRequest, pk: int) -> HttpResponse:
    meeting = selectors.get_meeting_for_user(request.membership, pk)
    form = ProposeItemForm(request.POST)
    if form.is_valid():
        try:
            services.agenda_item_propose(meeting=meeting, member=request.membership, **form.cleaned_data)
        except services.MeetingStateError:
            messages.error(request, "This meeting is closed: propose the item for the next one.")
            return redirect("meeting_detail", pk=meeting.pk)
        messages.success(request, "Item added to the agenda.")
        return redirect(reverse("meeting_detail", args=[meeting.pk]) + "#agenda")
    context = _meeting_context(request, meeting)
    context["propose_form"] = form
    return render(request, "meetings/meeting_detail.html", context, status=400)


def _agenda_response(request: MemberRequest, meeting: Meeting) -> HttpResponse:
    if request.headers.get("HX-Request"):
        return render(request, "meetings/_agenda_editor.html", _meeting_context(request, meeting))
    return redirect(reverse("meeting_detail", args=[meeting.pk]) + "#agenda")


def _refused(request: HttpRequest, error: services.MeetingStateError, url: str) -> HttpResponse:
    """The page again with the reason; an htmx request reloads it so the message shows."""
    messages.error(request, str(error))
    if request.headers.get("HX-Request"):
        response = HttpResponse("")
        response["HX-Redirect"] = url
        return response
    return redirect(url)


def _agenda_url(meeting: Meeting) -> str:
    return reverse("meeting_detail", args=[meeting.pk]) + "#agenda"


@member_required(Role.COORDINATOR)
@require_POST
def agenda_item_move(request: MemberRequest, pk: int) -> HttpResponse:
    item = selectors.get_agenda_item_for_user(request.membership, pk, write=True)
    direction = "up" if request.POST.get("direction") == "up" else "down"
    try:
        services.agenda_item_move(item=item, direction=direction)
    except services.MeetingStateError as error:
        return _refused(request, error, _agenda_url(item.meeting))
    return _agenda_response(request, item.meeting)


@member_required(Role.COORDINATOR)
@require_POST
def agenda_item_edit(request: MemberRequest, pk: int) -> HttpResponse:
    item = selectors.get_agenda_item_for_user(request.membership, pk, write=True)
    form = AgendaItemForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Give the item a title and between 1 and 180 minutes.")
        return _agenda_response(request, item.meeting)
    try:
        services.agenda_item_update(item=item, **form.cleaned_data)
    except services.MeetingStateError as error:
        return _refused(request, error, _agenda_url(item.meeting))
    return _agenda_response(request, item.meeting)


@member_required(Role.COORDINATOR)
@require_POST
def agenda_item_delete(request: MemberRequest, pk: int) -> HttpResponse:
    item = selectors.get_agenda_item_for_user(request.membership, pk, write=True)
    meeting = item.meeting
    try:
        services.agenda_item_delete(item=item, member=request.membership)
    except services.MeetingStateError as error:
        return _refused(request, error, _agenda_url(meeting))
    return _agenda_response(request, meeting)


@member_required(Role.COORDINATOR)
def meeting_attendance(request: MemberRequest, pk: int) -> HttpResponse:
    meeting = selectors.get_meeting_for_user(request.membership, pk, write=True)
    rows = selectors.meeting_attendance(meeting)
    if request.method == "POST":
        statuses = {row.pk: request.POST.get(f"status-{row.pk}", row.status) for row in rows}
        guests = request.POST.get("guests", "").splitlines()
        try:
            services.attendance_record(
                meeting=meeting, statuses=statuses, guests=guests, member=request.membership
            )
        except services.MeetingStateError as error:
            return _refused(request, error, reverse("meeting_detail", args=[meeting.pk]))
        messages.success(request, "Attendance saved.")
        return redirect("meeting_detail", pk=meeting.pk)
    return render(
        request,
        "meetings/meeting_attendance.html",
        {"meeting": meeting, "rows": rows, "choices": Attendance.Status.choices[1:]},
    )


def _entry_form(meeting: Meeting, data: QueryDict | dict | None = None) -> MinuteEntryForm:
    return MinuteEntryForm(data, district=meeting.district)


@member_required(*Role.district_staff())
def meeting_minutes(request: MemberRequest, pk: int) -> HttpResponse:
    """Live minutes: each agenda item has its own small form, saved on its own (htmx or plain POST).

    A POST that arrives after the session ended is kept by the session middleware; the GET
    after signing in puts the text back in the item's form.
    """
    meeting = selectors.get_meeting_for_minutes(request.membership, pk)
    agenda = selectors.meeting_agenda(meeting)
    by_pk = {item.pk: item for item in agenda}
    forms = {item.pk: _entry_form(meeting) for item in agenda}
    status = 200
    if request.method == "POST":
        posted_pk = _int(request.POST.get("item"))
        item = by_pk.get(posted_pk) if posted_pk is not None else None
        if item is None:
            raise Http404("No such agenda item.")
        form = _entry_form(meeting, request.POST)
        if form.is_valid():
            try:
                services.minute_entry_add(item=item, member=request.membership, **form.cleaned_data)
            except services.MeetingStateError as error:
                return _refused(request, error, reverse("meeting_detail", args=[meeting.pk]))
            if request.headers.get("HX-Request"):
                item = selectors.meeting_agenda(meeting)[agenda.index(item)]
                return render(
                    request,
                    "meetings/_minutes_item.html",
                    {
                        "item": item,
                        "form": _entry_form(meeting),
                        "meeting": meeting,
                        "saved": True,
                        "people": _people(meeting),
                    },
                )
            return redirect(reverse("meeting_minutes", args=[meeting.pk]) + f"#item-{item.pk}")
        status = 422
        if request.headers.get("HX-Request"):
            return render(
                request,
                "meetings/_minutes_item.html",
                {"item": item, "form": form, "meeting": meeting, "people": _people(meeting)},
                status=status,
            )
        forms[item.pk] = form
    else:
        kept = kept_post_data(request)
        item_pk = _int((kept or {}).get("item", [""])[0])
        if kept and item_pk in by_pk:
            forms[item_pk] = _entry_form(meeting, {k: v[0] for k, v in kept.items() if v})
    start, _end = _local(meeting)
    return render(
        request,
        "meetings/meeting_minutes.html",
        {
            "meeting": meeting,
            "agenda": agenda,
            "entries": [(item, forms[item.pk]) for item in agenda],
            "local_start": start,
            "people": _people(meeting),
        },
        status=status,
    )


def _people(meeting: Meeting) -> list[User]:
    return list(district_people(meeting.district_id))


def _int(value: str | None) -> int | None:
    try:
        return int(value or "")
    except (TypeError, ValueError):
        return None


@member_required(*Role.district_staff())
@require_POST
def minute_entry_delete(request: MemberRequest, pk: int) -> HttpResponse:
    entry = selectors.get_minute_entry_for_user(request.membership, pk)
    meeting_pk = entry.agenda_item.meeting_id
    try:
        services.minute_entry_delete(entry=entry, member=request.membership)
    except services.MeetingStateError as error:
        return _refused(request, error, reverse("meeting_minutes", args=[meeting_pk]))
    if request.headers.get("HX-Request"):
        return HttpResponse("")
    return redirect("meeting_minutes", pk=meeting_pk)


@member_required(Role.COORDINATOR)
def meeting_close(request: MemberRequest, pk: int) -> HttpResponse:
    meeting = selectors.get_meeting_for_user(request.membership, pk, write=True)
    agenda = selectors.meeting_agenda(meeting)
    form = CloseMeetingForm(request.POST or None, agenda=agenda)
    if request.method == "POST" and form.is_valid():
        unfinished_pks = {int(p) for p in form.cleaned_data.pop("unfinished")}
        try:
            following = services.meeting_close(
                meeting=meeting,
                member=request.membership,
                ratings=form.cleaned_data,
                unfinished=[item for item in agenda if item.pk in unfinished_pks],
            )
        except services.MeetingStateError as error:
            messages.info(request, str(error))
            return redirect("meeting_detail", pk=meeting.pk)
        note = ""
        if following and unfinished_pks:
            day = timezone.localtime(following.starts_at, meeting.district.tz)
            note = f" Unfinished items moved to the {following.title} on {day:%B} {day.day}."
        messages.success(request, "Meeting closed." + note)
        return redirect("meeting_detail", pk=meeting.pk)
    return render(request, "meetings/meeting_close.html", {"meeting": meeting, "form": form})


@member_required()
def meeting_export(request: MemberRequest, pk: int) -> HttpResponse:
    meeting = selectors.get_meeting_for_user(request.membership, pk)
    start, _end = _local(meeting)
    rows = exports.minutes_rows(
        meeting, selectors.meeting_agenda(meeting), selectors.meeting_attendance(meeting), start
    )
    response = HttpResponse(csv_text(rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="minutes-{start:%Y-%m-%d}.csv"'
    return response


DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@member_required()
def meeting_export_docx(request: MemberRequest, pk: int) -> HttpResponse:
    meeting = selectors.get_meeting_for_user(request.membership, pk)
    start, _end = _local(meeting)
    body = exports.minutes_docx(
        meeting, selectors.meeting_agenda(meeting), selectors.meeting_attendance(meeting), start
    )
    response = HttpResponse(body, content_type=DOCX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="minutes-{start:%Y-%m-%d}.docx"'
    return response


@member_required(*Role.district_staff())
def meeting_ratings(request: MemberRequest) -> HttpResponse:
    rows = selectors.rating_rows(request.membership)
    chart = {"x": [r["date"].isoformat() for r in rows], "y": [r["score"] for r in rows]}
    return render(request, "meetings/meeting_ratings.html", {"rows": rows, "chart": chart})


# The packet and the agenda sent ahead -------------------------------------------------------


@member_required(*Role.district_staff())
def meeting_packet(request: MemberRequest, pk: int) -> HttpResponse:
    """The packet as one page that prints as one document, a section per printed page."""
    meeting = selectors.get_meeting_for_user(request.membership, pk)
    member = request.membership
    return render(
        request,
        "meetings/meeting_packet.html",
        {
            "packet": packet.meeting_packet(member, meeting),
            "meeting": meeting,
            "may_send": member.is_coordinator and meeting.is_open,
            "agenda_sent": selectors.agenda_sent(meeting),
        },
    )


@member_required(*Role.district_staff())
def meeting_packet_docx(request: MemberRequest, pk: int) -> HttpResponse:
    meeting = selectors.get_meeting_for_user(request.membership, pk)
    built = packet.meeting_packet(request.membership, meeting)
    response = HttpResponse(exports.packet_docx(built), content_type=DOCX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="packet-{built.local_start:%Y-%m-%d}.docx"'
    return response


@member_required(Role.COORDINATOR)
@require_POST
def meeting_agenda_send(request: MemberRequest, pk: int) -> HttpResponse:
    meeting = selectors.get_meeting_for_user(request.membership, pk, write=True)
    back = request.POST.get("next", "")
    url = back if is_app_path(back) else reverse("meeting_detail", args=[meeting.pk])
    try:
        sent = agenda_send.meeting_agenda_send(meeting=meeting, member=request.membership)
    except services.MeetingStateError as error:
        messages.error(request, str(error))
        return redirect(url)
    if sent:
        messages.success(
            request, f"Agenda sent to {sent} attendee{pluralize(sent)} with a link to the packet."
        )
    else:
        messages.info(request, "Every attendee already has the agenda: nobody was sent it twice.")
    return redirect(url)


# Calendar feed -------------------------------------------------------------------------------


@member_required()
def calendar_settings(request: MemberRequest) -> HttpResponse:
    member = request.membership
    if request.method == "POST":
        if request.POST.get("action") == "revoke":
            services.calendar_feed_revoke(member=request.membership)
            messages.success(request, "Calendar address turned off. Calendars using it stop updating.")
        else:
            services.calendar_feed_regenerate(member=request.membership)
            messages.success(request, "New calendar address ready. Any older address no longer works.")
        return redirect("calendar_settings")
    feed = selectors.active_feed(request.user, member.district_id)
    feed_url = request.build_absolute_uri(reverse("calendar_feed", args=[feed.token])) if feed else ""
    return render(request, "meetings/calendar_settings.html", {"feed": feed, "feed_url": feed_url})


def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    """The secret address calendars subscribe to: no sign-in, 404 for a wrong or revoked token."""
    feed = selectors.feed_by_token(token)
    if feed is None:
        raise Http404("No such calendar.")
    now = timezone.now()
    meetings, items = selectors.person_calendar(feed, since=now - timedelta(days=CALENDAR_LOOKBACK_DAYS))
    body = exports.calendar_text(
        meetings=meetings,
        items=items,
        host=request.get_host().split(":")[0],
        base_url=f"{request.scheme}://{request.get_host()}",
        now=now,
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="mtss.ics"'
    response["Cache-Control"] = "private, max-age=300"
    return response
