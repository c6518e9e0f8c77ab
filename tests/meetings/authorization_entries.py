"""Authorisation-matrix rows for the meetings and coordinator-time URLs.

Each value has the fields of the matrix's `Entry` (get, post, kwargs, post_data); personas in
column order: anonymous, coordinator_a, leader_a, member_a, site_admin_a, coordinator_b, leader_b.
Objects are created in district A on demand.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from coordinators import services as coordinator_services
from meetings import services
from tests.meetings.factories import make_meeting


def _meeting(w: Any) -> Any:
    if "meeting" not in w.objects:
        w.objects["meeting"] = make_meeting(w.a.district, w.a.coordinator)
    return w.objects["meeting"]


def _meeting_pk(w: Any) -> dict[str, Any]:
    return {"pk": _meeting(w).pk}


def _agenda_item_pk(w: Any) -> dict[str, Any]:
    item = services.agenda_item_propose(meeting=_meeting(w), title="Math pilot", by=w.a.member)
    return {"pk": item.pk}


def _minute_entry_pk(w: Any) -> dict[str, Any]:
    item = _meeting(w).agenda_items.first()
    entry = services.minute_entry_add(
        item=item, kind="decision", text="Keep the schedule", by=w.a.coordinator
    )
    return {"pk": entry.pk}


def _action_item_pk(w: Any) -> dict[str, Any]:
    item = services.action_item_create(
        district=w.a.district,
        title="Send the survey",
        owner=w.a.member,
        due_date=date(2026, 12, 1),
        created_by=None,
    )
    return {"pk": item.pk}


def _feed_token(w: Any) -> dict[str, Any]:
    return {"token": services.calendar_feed_regenerate(person=w.a.member, district=w.a.district).token}


def _time_entry_pk(w: Any) -> dict[str, Any]:
    entry = coordinator_services.time_entry_create(
        district=w.a.district,
        coordinator=w.a.coordinator,
        date=date(2026, 11, 2),
        hours=Decimal(2),
        activity="dit",
    )
    return {"pk": entry.pk}


ENTRIES: dict[str, dict[str, Any]] = {
    "meetings/": {"get": "302 200 200 200 200 200 200"},
    "meetings/new/": {"get": "302 200 403 403 403 200 403"},
    "meetings/series/new/": {"get": "302 200 403 403 403 200 403"},
    "meetings/ratings/": {"get": "302 200 200 200 403 200 200"},
    "meetings/<int:pk>/": {"get": "302 200 200 200 404 404 404", "kwargs": _meeting_pk},
    "meetings/<int:pk>/edit/": {"get": "302 200 403 403 403 404 403", "kwargs": _meeting_pk},
    "meetings/<int:pk>/cancel/": {
        "get": "302 405 403 403 403 405 403",
        "post": "302 302 403 403 403 404 403",
        "kwargs": _meeting_pk,
    },
    "meetings/<int:pk>/propose/": {
        "get": "302 405 405 405 403 405 405",
        "post": "302 302 302 302 403 404 404",
        "kwargs": _meeting_pk,
        "post_data": lambda w: {"title": "Reading pilot", "minutes_planned": 10},
    },
    "meetings/<int:pk>/attendance/": {"get": "302 200 403 403 403 404 403", "kwargs": _meeting_pk},
    "meetings/<int:pk>/minutes/": {"get": "302 200 403 403 403 404 404", "kwargs": _meeting_pk},
    "meetings/<int:pk>/close/": {"get": "302 200 403 403 403 404 403", "kwargs": _meeting_pk},
    "meetings/<int:pk>/minutes.csv": {"get": "302 200 200 200 404 404 404", "kwargs": _meeting_pk},
    "meetings/<int:pk>/minutes.docx": {"get": "302 200 200 200 404 404 404", "kwargs": _meeting_pk},
    "meetings/agenda/<int:pk>/move/": {
        "get": "302 405 403 403 403 405 403",
        "post": "302 302 403 403 403 404 403",
        "kwargs": _agenda_item_pk,
        "post_data": lambda w: {"direction": "up"},
    },
    "meetings/agenda/<int:pk>/edit/": {
        "get": "302 405 403 403 403 405 403",
        "post": "302 302 403 403 403 404 403",
        "kwargs": _agenda_item_pk,
        "post_data": lambda w: {"title": "Math pilot", "minutes_planned": 20},
    },
    "meetings/agenda/<int:pk>/delete/": {
        "get": "302 405 403 403 403 405 403",
        "post": "302 - 403 403 403 404 403",
        "kwargs": _agenda_item_pk,
    },
    "meetings/minutes/<int:pk>/delete/": {
        "get": "302 405 405 405 403 405 405",
        "post": "302 - 403 403 403 404 404",
        "kwargs": _minute_entry_pk,
    },
    "action-items/": {"get": "302 200 200 200 200 200 200"},
    "action-items/<int:pk>/status/": {
        "get": "302 405 405 405 405 405 405",
        "post": "302 302 403 302 404 404 404",
        "kwargs": _action_item_pk,
        "post_data": lambda w: {"status": "done"},
    },
    "calendar/": {"get": "302 200 200 200 200 200 200"},
    "calendar/<str:token>.ics": {"get": "200 200 200 200 200 200 200", "kwargs": _feed_token},
    "time/": {"get": "302 200 403 403 403 200 403"},
    "time/meetings/<int:pk>/log/": {
        "get": "302 405 403 403 403 405 403",
        "post": "302 302 403 403 403 404 403",
        "kwargs": _meeting_pk,
    },
    "time/<int:pk>/delete/": {
        "get": "302 405 403 403 403 405 403",
        "post": "302 - 403 403 403 404 403",
        "kwargs": _time_entry_pk,
    },
    "time/summary/": {"get": "302 200 200 403 403 200 200"},
    "time/summary.csv": {"get": "302 200 200 403 403 200 200"},
}
