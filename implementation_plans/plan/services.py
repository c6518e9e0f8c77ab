"""Writes for the plan, capacity assessments, barriers, initiatives and practices."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import PurePath
from typing import TYPE_CHECKING, Any, TypedDict, Unpack

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.urls import reverse

from coordinators.models import Membership, User
from coordinators.selectors import coordinators_of, leaders_of
from implementation_plans.models import (
    AssessmentItem,
    Barrier,
    CapacityAssessment,
    CommunicationProtocol,
    Initiative,
    PlanActivity,
    PlanGoal,
    Practice,
    PracticeFile,
    ProgressUpdate,
)
from mtss.audit.models import AuditAction
from mtss.audit.services import audit_record
from mtss.models_update import model_update
from mtss.notifications.kinds import Kind
from mtss.notifications.services import notify

if TYPE_CHECKING:
    from coordinators.models import School
    from data_reviews.models import ProblemStatement

DEFAULT_ACTIVITY_DAYS = 30
CAPACITY_GOAL_TITLE = "Build district capacity"


class GoalFields(TypedDict, total=False):
    title: str
    description: str


class ActivityFields(TypedDict, total=False):
    goal: PlanGoal
    title: str
    activity_type: str
    innovation: str
    practice: Practice | None
    stage: str
    owner: User | None
    start_date: date
    due_date: date
    evaluate_date: date | None
    status: str
    on_track: bool
    success_criteria: str
    capacity_item: AssessmentItem | None
    barrier: Barrier | None
    problem_statement: ProblemStatement | None
    motivation: str


class BarrierFields(TypedDict, total=False):
    raised_on: date
    description: str
    level: str
    school: School | None
    routed_to: str
    resolution: str
    resolved_on: date | None
    status: str


class InitiativeFields(TypedDict, total=False):
    name: str
    purpose: str
    outcome_measure: str
    target_group: str
    staff_involved: str
    goal: PlanGoal | None
    budget_source: str
    need: int | None
    fit: int | None
    resources: int | None
    evidence: int | None
    readiness: int | None
    capacity: int | None
    decision: str
    decided_on: date | None
    rationale: str


class PracticeFields(TypedDict, total=False):
    name: str
    academic: bool
    behaviour: bool
    sel: bool
    tier1: bool
    tier2: bool
    tier3: bool
    grouping: str
    evidence_level: str
    description: str
    success_criteria: str
    resources: str


def _names(fields: type) -> list[str]:
    """The keys a TypedDict of fields allows, in its order: the allow-list for model_update."""
    return list(fields.__annotations__)


# --- Plan ---------------------------------------------------------------------------------------


def goal_create(*, member: Membership, title: str, description: str = "") -> PlanGoal:
    district = member.district
    with transaction.atomic():
        order = PlanGoal.objects.filter(district=district).count() + 1
        goal = PlanGoal.objects.create(district=district, title=title, description=description, order=order)
        audit_record(action=AuditAction.CREATE_PLAN_GOAL, actor=member.user, district=district, target=goal)
    return goal


def goal_update(*, member: Membership, goal: PlanGoal, **fields: Unpack[GoalFields]) -> PlanGoal:
    with transaction.atomic():
        goal = PlanGoal.objects.select_for_update().get(pk=goal.pk)
        goal, _changed = model_update(goal, fields, fields=_names(GoalFields))
        audit_record(
            action=AuditAction.CHANGE_PLAN_GOAL, actor=member.user, district=goal.district, target=goal
        )
    return goal


def _tell_owner(activity: PlanActivity, member: Membership) -> None:
    if activity.owner_id is None or activity.owner_id == member.user_id:
        return
    owner = activity.owner
    if owner is None:
        return
    notify(
        district=activity.district,
        recipients=[owner],
        kind=Kind.ASSIGNED,
        subject=f"Plan activity assigned to you: {activity.title}",
        body=(
            f"{member.user.get_full_name()} made you the owner of “{activity.title}”, "
            f"due {activity.due_date:%B %-d, %Y}."
        ),
        url=reverse("plan_activity_detail", args=[activity.pk]),
        key=f"plan-activity:{activity.pk}:owner:{activity.owner_id}",
    )


def activity_create(*, member: Membership, goal: PlanGoal, **fields: Any) -> PlanActivity:
    district = member.district
    with transaction.atomic():
        activity = PlanActivity.objects.create(district=district, goal=goal, created_by=member.user, **fields)
        audit_record(
            action=AuditAction.CREATE_PLAN_ACTIVITY, actor=member.user, district=district, target=activity
        )
        _tell_owner(activity, member)
    return activity


def activity_update(
    *, member: Membership, activity: PlanActivity, **fields: Unpack[ActivityFields]
) -> PlanActivity:
    with transaction.atomic():
        activity = PlanActivity.objects.select_for_update().get(pk=activity.pk)
        activity, _changed = model_update(activity, fields, fields=_names(ActivityFields))
        audit_record(
            action=AuditAction.CHANGE_PLAN_ACTIVITY,
            actor=member.user,
            district=activity.district,
            target=activity,
        )
        _tell_owner(activity, member)
    return activity


def activity_from_item(*, member: Membership, item: AssessmentItem, today: date) -> PlanActivity:
    """Close the loop: a low-scoring item becomes a plan activity linked to it.

    Clicking twice returns the open activity already made from the item instead of a second one.
    """
    assessment = item.assessment
    with transaction.atomic():
        existing = (
            PlanActivity.objects.filter(capacity_item=item, status__in=PlanActivity.OPEN_STATUSES)
            .order_by("id")
            .first()
        )
        if existing is not None:
            return existing
        goal = PlanGoal.objects.filter(district=assessment.district).order_by("order", "id").first()
        if goal is None:
            goal = PlanGoal.objects.create(district=assessment.district, title=CAPACITY_GOAL_TITLE, order=1)
        activity = PlanActivity.objects.create(
            district=assessment.district,
            goal=goal,
            title=f"Raise “{item.wording[:200]}” from {item.score} to 2",
            activity_type=PlanActivity.Type.INSTALLATION,
            stage=PlanActivity.Stage.INSTALLATION,
            start_date=today,
            due_date=today + timedelta(days=DEFAULT_ACTIVITY_DAYS),
            success_criteria=f"Item {item.number} scores 2 at the next administration.",
            capacity_item=item,
            created_by=member.user,
        )
        audit_record(
            action=AuditAction.CREATE_PLAN_ACTIVITY_FROM_CAPACITY_ITEM,
            actor=member.user,
            district=assessment.district,
            target=activity,
            detail={"item": item.pk},
        )
    return activity


def progress_add(
    *, member: Membership, activity: PlanActivity, recorded_on: date, note: str, percent_complete: int
) -> ProgressUpdate:
    """Add to the monitoring log; the activity starts when progress is first reported and is done at 100%."""
    with transaction.atomic():
        update = ProgressUpdate.objects.create(
            activity=activity,
            author=member.user,
            recorded_on=recorded_on,
            note=note,
            percent_complete=percent_complete,
        )
        status = activity.status
        if percent_complete >= 100 and activity.is_open:
            status = PlanActivity.Status.DONE
        elif status == PlanActivity.Status.NOT_STARTED and percent_complete > 0:
            status = PlanActivity.Status.IN_PROGRESS
        if status != activity.status:
            PlanActivity.objects.filter(pk=activity.pk).update(status=status)
            activity.status = status
        audit_record(
            action=AuditAction.ADD_PROGRESS_UPDATE,
            actor=member.user,
            district=activity.district,
            target=activity,
        )
    return update


# --- Capacity assessments -----------------------------------------------------------------------


def assessment_create(*, member: Membership, **fields: Any) -> CapacityAssessment:
    """Record an administration; its items start from the wording of the last one of the same kind."""
    district = member.district
    with transaction.atomic():
        assessment = CapacityAssessment.objects.create(district=district, **fields)
        previous = (
            CapacityAssessment.objects.filter(
                district=district, instrument=assessment.instrument, school=assessment.school
            )
            .exclude(pk=assessment.pk)
            .order_by("-administered_on", "-id")
            .first()
        )
        if previous is not None:
            AssessmentItem.objects.bulk_create(
                AssessmentItem(assessment=assessment, number=i.number, wording=i.wording, subscale=i.subscale)
                for i in previous.items.order_by("number")
            )
        audit_record(
            action=AuditAction.RECORD_CAPACITY_ASSESSMENT,
            actor=member.user,
            district=district,
            target=assessment,
        )
    return assessment


def item_add(
    *, member: Membership, assessment: CapacityAssessment, wording: str, subscale: str
) -> AssessmentItem:
    with transaction.atomic():
        last = assessment.items.order_by("-number").values_list("number", flat=True).first() or 0
        item = AssessmentItem.objects.create(
            assessment=assessment, number=last + 1, wording=wording, subscale=subscale
        )
        audit_record(
            action=AuditAction.ADD_ASSESSMENT_ITEM,
            actor=member.user,
            district=assessment.district,
            target=item,
        )
    return item


def items_score(
    *, member: Membership, assessment: CapacityAssessment, scores: dict[int, tuple[int | None, str]]
) -> None:
    """Save the consensus scores and notes, {item pk: (score or None, notes)}."""
    with transaction.atomic():
        items = list(assessment.items.filter(pk__in=scores))
        for item in items:
            item.score, item.notes = scores[item.pk]
        AssessmentItem.objects.bulk_update(items, ["score", "notes"])
        audit_record(
            action=AuditAction.SCORE_CAPACITY_ASSESSMENT,
            actor=member.user,
            district=assessment.district,
            target=assessment,
        )


# --- Barriers -----------------------------------------------------------------------------------


def barrier_create(*, member: Membership, **fields: Any) -> Barrier:
    district = member.district
    with transaction.atomic():
        barrier = Barrier.objects.create(district=district, **fields)
        audit_record(action=AuditAction.LOG_BARRIER, actor=member.user, district=district, target=barrier)
    return barrier


def barrier_update(*, member: Membership, barrier: Barrier, **fields: Unpack[BarrierFields]) -> Barrier:
    """Change a barrier; a barrier given a resolution date is resolved."""
    with transaction.atomic():
        barrier = Barrier.objects.select_for_update().get(pk=barrier.pk)
        resolved_on = fields.get("resolved_on", barrier.resolved_on)
        if resolved_on:
            fields["status"] = Barrier.Status.RESOLVED
        barrier, _changed = model_update(barrier, fields, fields=_names(BarrierFields))
        audit_record(
            action=AuditAction.CHANGE_BARRIER, actor=member.user, district=barrier.district, target=barrier
        )
    return barrier


def barrier_escalate(*, member: Membership, barrier: Barrier, reason: str, today: date) -> Barrier:
    with transaction.atomic():
        barrier.status = Barrier.Status.ESCALATED
        barrier.escalation_reason = reason
        barrier.escalated_on = today
        barrier.escalated_by = member.user
        barrier.decision, barrier.decided_on, barrier.decided_by = "", None, None
        barrier.save()
        audit_record(
            action=AuditAction.ESCALATE_BARRIER, actor=member.user, district=barrier.district, target=barrier
        )
        notify(
            district=barrier.district,
            recipients=leaders_of(barrier.district_id),
            kind=Kind.BARRIER,
            subject=f"Barrier escalated to you: {barrier.description[:80]}",
            body=(
                f"{member.user.get_full_name()} escalated a barrier to the executive leader.\n\n"
                f"Reason: {reason}"
            ),
            url=reverse("barrier_detail", args=[barrier.pk]),
            key=f"barrier:{barrier.pk}:escalated:{today.isoformat()}",
        )
    return barrier


def barrier_decide(
    *, member: Membership, barrier: Barrier, decision: str, resolved: bool, today: date
) -> Barrier:
    """The executive leader's decision; the coordinators and whoever raised the barrier hear of it."""
    with transaction.atomic():
        barrier.decision = decision
        barrier.decided_on = today
        barrier.decided_by = member.user
        if resolved:
            barrier.status = Barrier.Status.RESOLVED
            barrier.resolution = decision
            barrier.resolved_on = today
        else:
            barrier.status = Barrier.Status.OPEN
        barrier.save()
        audit_record(
            action=AuditAction.DECIDE_BARRIER, actor=member.user, district=barrier.district, target=barrier
        )
        recipients = [*coordinators_of(barrier.district_id)]
        if barrier.raised_by is not None:
            recipients.append(barrier.raised_by)
        notify(
            district=barrier.district,
            recipients=recipients,
            kind=Kind.BARRIER,
            subject=f"Decision on an escalated barrier: {barrier.description[:80]}",
            body=f"{member.user.get_full_name()} decided: {decision}",
            url=reverse("barrier_detail", args=[barrier.pk]),
            key=f"barrier:{barrier.pk}:decided:{today.isoformat()}",
        )
    return barrier


def protocol_create(*, member: Membership, **fields: Any) -> CommunicationProtocol:
    district = member.district
    with transaction.atomic():
        protocol = CommunicationProtocol.objects.create(district=district, **fields)
        audit_record(
            action=AuditAction.ADD_COMMUNICATION_PROTOCOL,
            actor=member.user,
            district=district,
            target=protocol,
        )
    return protocol


# --- Initiatives and practices ------------------------------------------------------------------


def initiative_save(
    *,
    member: Membership,
    initiative: Initiative | None = None,
    **fields: Unpack[InitiativeFields],
) -> Initiative:
    district = member.district
    with transaction.atomic():
        if initiative is None:
            initiative = Initiative.objects.create(district=district, **fields)
        else:
            initiative = Initiative.objects.select_for_update().get(pk=initiative.pk)
            initiative, _changed = model_update(initiative, fields, fields=_names(InitiativeFields))
        audit_record(
            action=AuditAction.SAVE_INITIATIVE, actor=member.user, district=district, target=initiative
        )
    return initiative


def practice_save(
    *,
    member: Membership,
    practice: Practice | None = None,
    **fields: Unpack[PracticeFields],
) -> Practice:
    district = member.district
    with transaction.atomic():
        if practice is None:
            practice = Practice.objects.create(district=district, **fields)
        else:
            practice = Practice.objects.select_for_update().get(pk=practice.pk)
            practice, _changed = model_update(practice, fields, fields=_names(PracticeFields))
        audit_record(action=AuditAction.SAVE_PRACTICE, actor=member.user, district=district, target=practice)
    return practice


def practice_file_add(
    *, member: Membership, practice: Practice, upload: UploadedFile, content_type: str
) -> PracticeFile:
    """Store a checked upload in the practice's resources (checks: implementation_plans.plan.files)."""
    with transaction.atomic():
        stored = PracticeFile(
            practice=practice,
            original_name=PurePath(upload.name or "file").name[:200],
            content_type=content_type,
            size=upload.size or 0,
            uploaded_by=member.user,
        )
        stored.file.save("upload", upload, save=False)
        stored.save()
        audit_record(
            action=AuditAction.UPLOAD_PRACTICE_FILE,
            actor=member.user,
            district=practice.district,
            target=stored,
        )
    return stored


def practice_file_delete(*, member: Membership, stored: PracticeFile) -> None:
    with transaction.atomic():
        audit_record(
            action=AuditAction.DELETE_PRACTICE_FILE,
            actor=member.user,
            district=stored.practice.district,
            target=stored,
        )
        name = stored.file.name or ""
        storage = stored.file.storage
        stored.delete()
        # Remove the bytes only once the row is gone for good.
        transaction.on_commit(lambda: storage.delete(name))
