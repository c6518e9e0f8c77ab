"""Objects the authorization matrix creates in district A on demand: a meeting and a time entry."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from coordinators import services as coordinator_services
from tests.meetings.factories import make_meeting


def _meeting(w: Any) -> Any:
    if "meeting" not in w.objects:
        w.objects["meeting"] = make_meeting(w.a.district, w.a.coordinator)
    return w.objects["meeting"]


def _meeting_pk(w: Any) -> dict[str, Any]:
    return {"pk": _meeting(w).pk}


def _time_entry_pk(w: Any) -> dict[str, Any]:
    entry = coordinator_services.time_entry_create(
        member=w.a.membership(w.a.coordinator),
        date=date(2026, 11, 2),
        hours=Decimal(2),
        activity="dit",
    )
    return {"pk": entry.pk}
