"""Demo processes for Maple Valley: one in every state, with believable text. Safe to run twice."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from coordinators.models import Membership
from implementation_plans.models import Process, ProcessComment, ProcessRevision, ProcessVersion
from implementation_plans.processes import services
from mtss.demo import DemoContext

Status = ProcessVersion.Status

COACHING_V1 = {
    "who_coached": "Grade-level teams at the seven elementary schools implementing the new Tier 1 reading "
    "block, and the Tier 2 intervention teachers at Northview and Westfield middle schools.",
    "coaches": "Two district literacy coaches (0.5 FTE each) and the MTSS coordinator. Coaches meet every "
    "other week with the coordinator to calibrate on the fidelity checklist.",
    "cycle": "A six-week cycle per team:\n\n1. Goal-setting conversation using fall screening data\n"
    "2. Modeled lesson\n3. Two observations with the **Tier 1 reading fidelity checklist**\n"
    "4. Debrief within 48 hours\n5. Team reflection and next goal",
    "needs": "Principals request coaching through the monthly building check-in. The DIT also assigns "
    "coaching where fidelity checks fall below 80% or where more than 25% of students are below benchmark.",
    "effectiveness": "Coaching logs are reviewed each quarter. We compare fidelity scores before and "
    "after each cycle and report the spring TFI Tier 1 results to the executive leader.",
}
COACHING_V2 = {
    **COACHING_V1,
    "who_coached": COACHING_V1["who_coached"]
    + " From January, the three middle schools' math intervention teachers join the rotation.",
    "coaches": "Two district literacy coaches (0.5 FTE each), one math coach shared with the middle schools, "
    "and the MTSS coordinator. Coaches meet every other week with the coordinator to calibrate on the "
    "fidelity checklists.",
    "effectiveness": COACHING_V1["effectiveness"]
    + "\n\n- Teacher survey after each cycle (target: 85% find it useful)\n- Coaching hours per school, "
    "reported monthly at the DIT meeting",
}
COMMUNICATION = {
    "groups": "- School leadership teams (designee: the principal)\n- District Implementation Team "
    "(designee: the MTSS coordinator)\n- Executive leadership (designee: the Assistant Superintendent)",
    "protocol": "Schools send a one-page update before each monthly DIT meeting. The DIT shares a summary "
    "of decisions with principals within five school days.",
    "barriers": "Anyone on a school team can raise a barrier with their principal, who logs it on the "
    "barrier list.",
    "escalation": "Barriers the DIT cannot remove go to the executive leader.",
}
STAFF_LEARNING = {
    "audience": "Coaches, interventionists, school psychologists and the principals of schools in the "
    "installation stage of the reading framework.",
    "development": "Each person drafts a learning plan with their supervisor in September, using the "
    "competency checklist for their role.",
    "delivery": "",
    "monitoring": "",
}
# Two first drafts the coordinator started this month: every one of the eight processes is under way.
INITIATIVE_ALIGNMENT = {
    "inventory": "The DIT updates the initiative inventory each June and January, before budgets are set, "
    "from the principals' lists of what their schools run.",
    "overlap": "",
    "decisions": "",
    "communication": "",
}
RECRUITMENT_SELECTION = {
    "roles": "Reading interventionists, instructional coaches and behavior specialists.",
    "competencies": "",
    "selection": "",
    "onboarding": "",
}
IMPLEMENTATION_PLAN = {
    "goals": "The plan serves the district goal of 80% of K-5 students at or above benchmark in reading "
    "by spring 2027, and a 20% reduction in office discipline referrals at the middle schools.",
    "development": "The DIT drafts activities each June from the District Capacity Assessment and the spring "
    "data review. Each activity has an owner, a due date and an evaluation date.",
    "monitoring": "Progress is reviewed at every monthly DIT meeting; off-track activities get a barrier "
    "entry or a revised due date.",
    "revision": "The plan is revised each June, or sooner when a DCA administration shows a "
    "subscale below 50%.",
}
INITIATIVE_REVIEW = {
    "trigger": "A review starts when a school or department proposes a new program, applies for a grant that "
    "brings one, or when a current initiative comes up for renewal.",
    "evidence": "Proposals bring the evidence base (What Works Clearinghouse rating or equivalent) and the "
    "local data showing the need.",
    "hexagon": "The DIT rates need, fit, resources, evidence, readiness and capacity from 1 to 5 using the "
    "Hexagon Tool. A total under 18 returns the proposal to its sponsor.",
    "decision": "The DIT recommends; the Assistant Superintendent decides within 30 days and the decision is "
    "posted in the initiative inventory.",
}
PRINCIPAL_SUPPORT_V1 = {
    "readiness": "Principals complete a readiness self-assessment each August.",
    "turnover": "A new principal meets the MTSS coordinator in their first two weeks.",
    "resistance": "Coordinator visits schools where staff surveys show low buy-in.",
    "differentiation": "All principals get the same monthly check-in.",
}
PRINCIPAL_SUPPORT_V2 = {
    "readiness": "Principals complete a readiness self-assessment each August; the coordinator "
    "reviews it with them alongside the school's TFI results.",
    "turnover": "A new principal meets the MTSS coordinator in their first two weeks and is paired with a "
    "mentor principal for the year. Key staff turnover triggers a catch-up session for the new person.",
    "resistance": "Where staff surveys show low buy-in, the coordinator and principal plan listening "
    "sessions and share early wins from similar schools.",
    "differentiation": "Three tiers of support:\n\n- **Universal**: monthly check-in\n- **Targeted**: "
    "fortnightly visits for schools in installation\n- **Intensive**: weekly support "
    "after principal turnover",
}


def _at(ctx: DemoContext, days_ago: int, hour: int = 10) -> datetime:
    day = ctx.today - timedelta(days=days_ago)
    return datetime.combine(day, time(hour, 0), tzinfo=ctx.district.tz)


def _backdate(
    version: ProcessVersion, ctx: DemoContext, *, written: int, submitted: int | None, decided: int | None
) -> None:
    fields: dict[str, object] = {"created_at": _at(ctx, written, 9), "updated_at": _at(ctx, written, 16)}
    if submitted is not None:
        fields["submitted_at"] = _at(ctx, submitted, 15)
        fields["decision_due_on"] = (
            ctx.today - timedelta(days=submitted) + timedelta(days=services.DECISION_DUE_DAYS)
        )
    if decided is not None:
        fields["decided_at"] = _at(ctx, decided, 11)
        if version.status in (Status.APPROVED, Status.SUPERSEDED):
            decided_on = ctx.today - timedelta(days=decided)
            fields["review_on"] = services.one_year_after(decided_on)
    ProcessVersion.objects.filter(pk=version.pk).update(**fields)
    ProcessRevision.objects.filter(version=version).update(saved_at=_at(ctx, written, 16))


def _write(coord: Membership, process: Process, texts: dict[str, str]) -> ProcessVersion:
    version = services.draft_save(member=coord, process=process, texts=texts)
    process.refresh_from_db()
    return version


def _submit(coord: Membership, process: Process, texts: dict[str, str]) -> ProcessVersion:
    _write(coord, process, texts)
    return services.draft_submit(member=coord, process=process)


def seed_demo(ctx: DemoContext) -> None:
    coord = Membership.objects.get(user=ctx.coordinator, district=ctx.district)
    leader = Membership.objects.get(user=ctx.leader, district=ctx.district)
    superintendent = Membership.objects.get(user=ctx.superintendent, district=ctx.district)
    if Process.objects.filter(district=ctx.district).exists():
        return

    # Approved last year, a revision submitted five days ago and waiting (the approved one stays in force).
    coaching = services.process_start(member=coord, slug="coaching-system")
    v1 = _submit(coord, coaching, COACHING_V1)
    services.version_approve(member=leader, version=v1, comment="Clear and realistic. Approved.")
    v1.refresh_from_db()
    _backdate(v1, ctx, written=320, submitted=318, decided=312)
    coaching.refresh_from_db()
    v2 = _submit(coord, coaching, COACHING_V2)
    _backdate(v2, ctx, written=8, submitted=5, decided=None)

    # Returned with a comment on one section.
    communication = services.process_start(member=coord, slug="communication-barriers")
    c1 = _submit(coord, communication, COMMUNICATION)
    comment = ProcessComment.objects.create(
        version=c1,
        section_key="escalation",
        author=ctx.leader,
        body="How quickly should I expect to hear about a barrier, and how will schools hear back?",
    )
    services.version_request_changes(
        member=leader,
        version=c1,
        comment="Good start. Please add timelines to the escalation section and say how the decision goes "
        "back to the school that raised the barrier.",
    )
    c1.refresh_from_db()
    _backdate(c1, ctx, written=21, submitted=18, decided=12)
    ProcessComment.objects.filter(pk=comment.pk).update(created_at=_at(ctx, 12, 10))

    # A draft in progress, co-authored by the curriculum director.
    learning = services.process_start(member=coord, slug="staff-learning")
    curriculum = next((p for p in ctx.dit_members if p.email.startswith("curriculum")), None)
    if curriculum is not None:
        services.co_author_add(member=coord, process=learning, user=curriculum)
    draft = _write(coord, learning, STAFF_LEARNING)
    _backdate(draft, ctx, written=3, submitted=None, decided=None)

    for slug, texts, days_ago in (
        ("initiative-alignment", INITIATIVE_ALIGNMENT, 9),
        ("recruitment-selection", RECRUITMENT_SELECTION, 6),
    ):
        started = services.process_start(member=coord, slug=slug)
        _backdate(_write(coord, started, texts), ctx, written=days_ago, submitted=None, decided=None)

    # Approved more than a year ago: due for review.
    plan = services.process_start(member=coord, slug="implementation-plan")
    p1 = _submit(coord, plan, IMPLEMENTATION_PLAN)
    services.version_approve(member=superintendent, version=p1)
    p1.refresh_from_db()
    _backdate(p1, ctx, written=400, submitted=395, decided=390)

    # Approved two months ago.
    review = services.process_start(member=coord, slug="initiative-review")
    r1 = _submit(coord, review, INITIATIVE_REVIEW)
    services.version_approve(member=leader, version=r1, comment="Approved. Let's use it for the math pilot.")
    r1.refresh_from_db()
    _backdate(r1, ctx, written=70, submitted=66, decided=61)

    # Approved, then revised and approved again: version 1 is superseded.
    principals = services.process_start(member=coord, slug="principal-support")
    s1 = _submit(coord, principals, PRINCIPAL_SUPPORT_V1)
    services.version_approve(member=leader, version=s1)
    s1.refresh_from_db()
    principals.refresh_from_db()
    s2 = _submit(coord, principals, PRINCIPAL_SUPPORT_V2)
    services.version_approve(member=superintendent, version=s2, comment="The tiers make this much clearer.")
    s2.refresh_from_db()
    _backdate(s1, ctx, written=250, submitted=248, decided=244)
    _backdate(s2, ctx, written=40, submitted=37, decided=33)
