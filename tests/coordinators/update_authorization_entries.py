"""Monthly MTSS updates the authorization matrix creates in district A on demand: one sent, one draft."""

from __future__ import annotations

from typing import Any

from coordinators import updates
from coordinators.models import UpdateAudience
from coordinators.selectors import add_months, month_start
from tests.implementation_plans.plan_factories import district_today


def _update(w: Any, name: str) -> Any:
    if name not in w.objects:
        member = w.a.membership(w.a.coordinator)
        # Different months: a month has one open draft, and the sent one must stay apart from it.
        this_month = month_start(district_today())
        month = add_months(this_month, -1) if name == "sent_update" else this_month
        update = updates.update_draft(member=member, month=month)
        update.audiences = [UpdateAudience.PRINCIPALS]
        update.save()
        if name == "sent_update":
            updates.update_send(member=member, update=update)
        w.objects[name] = update
    return w.objects[name]


def sent_update_pk(w: Any) -> dict[str, Any]:
    return {"pk": _update(w, "sent_update").pk}


def draft_update_pk(w: Any) -> dict[str, Any]:
    return {"pk": _update(w, "draft_update").pk}
