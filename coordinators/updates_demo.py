"""The demo district's monthly MTSS updates: last month's, sent to the principals and to the staff of
Three Sisters Elementary (so the demo teacher has it), and this month's draft.

Run after the other apps' demo data, since the updates are drafted from their meetings, processes,
barriers and plan. Idempotent: a district that has updates is left alone.
"""

from __future__ import annotations

from coordinators import updates
from coordinators.models import CommunicationUpdate, Membership, UpdateAudience
from coordinators.selectors import add_months, month_start
from implementation_plans.models import CommunicationProtocol
from mtss.demo import DemoContext


def seed_demo(ctx: DemoContext) -> None:
    if CommunicationUpdate.objects.filter(district=ctx.district).exists():
        return
    member = Membership.objects.select_related("district").get(user=ctx.coordinator, district=ctx.district)
    protocol = CommunicationProtocol.objects.filter(
        district=ctx.district, group="School leadership teams"
    ).first()
    this_month = month_start(ctx.today)
    sent = updates.update_draft(member=member, month=add_months(this_month, -1), protocol=protocol)
    sent.body = sent.body.replace(
        "Here is what happened",
        "Thank you for a strong month of MTSS work across our schools. Here is what happened",
        1,
    )
    sent.audiences = [UpdateAudience.PRINCIPALS, UpdateAudience.SCHOOL_STAFF]
    sent.save(update_fields=["body", "audiences"])
    if ctx.principal_school is not None:
        sent.schools.set([ctx.principal_school])
    updates.update_send(member=member, update=sent)
    updates.update_draft(member=member, month=this_month, protocol=protocol)
