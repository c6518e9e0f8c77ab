"""Writes for district processes: drafting, submitting, deciding, commenting.

Each service is one transaction; notifications are rows written in that same transaction.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify

from coordinators.models import District, Membership, Role, User
from coordinators.selectors import leaders_of
from implementation_plans.models import Process, ProcessComment, ProcessRevision, ProcessVersion
from implementation_plans.processes.catalogue import STANDARD_BY_SLUG, STANDARD_PROCESSES
from implementation_plans.processes.selectors import can_edit_process
from mtss.access import deny
from mtss.audit.models import AuditAction, AuditEvent
from mtss.audit.services import audit_record
from mtss.notifications.kinds import Kind
from mtss.notifications.services import notifications_resolve, notify

Status = ProcessVersion.Status
REVIEW_AFTER_DAYS = 365
DECISION_DUE_DAYS = 10


class ProcessError(Exception):
    """A step that the process's current state does not allow; the message is for the person."""


def _today(district: District) -> date:
    return timezone.localdate(timezone=district.tz)


def one_year_after(day: date) -> date:
    try:
        return day.replace(year=day.year + 1)
    except ValueError:  # 29 February
        return day + timedelta(days=REVIEW_AFTER_DAYS)


def _require_same_district(member: Membership, process: Process, *, action: AuditAction) -> None:
    if member.district_id != process.district_id or not member.sees_whole_district:
        deny(member, action=action, target=process, status=404)


def process_start(*, member: Membership, slug: str) -> Process:
    """Create the district's copy of one of the eight standard processes (idempotent)."""
    standard = STANDARD_BY_SLUG.get(slug)
    if standard is None:
        raise ProcessError("There is no standard process with that name.")
    if not member.is_coordinator:
        deny(member, action=AuditAction.START_PROCESS, status=403)
    position = next(i for i, p in enumerate(STANDARD_PROCESSES) if p.slug == slug)
    with transaction.atomic():
        process, _ = Process.objects.get_or_create(
            district=member.district,
            slug=slug,
            defaults={
                "name": standard.name,
                "purpose": standard.purpose,
                "sections": standard.section_list(),
                "owner": member.user,
                "position": position,
            },
        )
    return process


def process_custom_create(
    *, member: Membership, name: str, purpose: str, sections: list[dict[str, str]]
) -> Process:
    """A process type the district adds to the eight."""
    if not member.is_coordinator:
        deny(member, action=AuditAction.ADD_PROCESS_TYPE, status=403)
    base = slugify(name)[:70] or "process"
    with transaction.atomic():
        slug, n = base, 1
        while (
            Process.objects.filter(district=member.district, slug=slug).exists() or slug in STANDARD_BY_SLUG
        ):
            n += 1
            slug = f"{base}-{n}"
        process = Process.objects.create(
            district=member.district,
            slug=slug,
            name=name,
            purpose=purpose,
            sections=sections,
            is_custom=True,
            owner=member.user,
            position=100,
        )
        audit_record(
            action=AuditAction.ADD_PROCESS_TYPE, actor=member.user, district=member.district, target=process
        )
    return process


def draft_save(*, member: Membership, process: Process, texts: dict[str, str]) -> ProcessVersion:
    """Save the draft in progress, starting a new one from the latest version if none is open.

    Every save is kept as a revision. A submitted draft is frozen until the leader decides.
    """
    _require_same_district(member, process, action=AuditAction.SAVE_PROCESS_DRAFT)
    if not can_edit_process(member, process):
        deny(member, action=AuditAction.SAVE_PROCESS_DRAFT, target=process, status=403)
    keys = [s["key"] for s in process.sections]
    clean = {key: (texts.get(key) or "").replace("\r\n", "\n") for key in keys}
    with transaction.atomic():
        locked = Process.objects.select_for_update().get(pk=process.pk)
        latest = locked.latest_version
        if latest is not None and latest.status == Status.SUBMITTED:
            raise ProcessError(
                "This draft was submitted and is waiting for a decision; it can be edited again "
                "once the executive leader approves it or requests changes."
            )
        if latest is not None and latest.status == Status.DRAFT:
            version = latest
            version.texts = clean
            version.save(update_fields=["texts", "updated_at"])
        else:
            number = (locked.versions.aggregate(n=Max("number"))["n"] or 0) + 1
            version = ProcessVersion.objects.create(
                process=locked, number=number, status=Status.DRAFT, texts=clean, author=member.user
            )
            locked.latest_version = version
            locked.save(update_fields=["latest_version"])
        ProcessRevision.objects.create(version=version, texts=clean, saved_by=member.user)
    process.latest_version = version
    return version


def draft_submit(
    *, member: Membership, process: Process, decision_due_on: date | None = None, note: str = ""
) -> ProcessVersion:
    """Freeze the draft in progress and ask the district's executive leaders to decide."""
    _require_same_district(member, process, action=AuditAction.SUBMIT_PROCESS_DRAFT)
    if not can_edit_process(member, process):
        deny(member, action=AuditAction.SUBMIT_PROCESS_DRAFT, target=process, status=403)
    with transaction.atomic():
        locked = (
            Process.objects.select_for_update(of=("self",))
            .select_related("latest_version")
            .get(pk=process.pk)
        )
        version = locked.latest_version
        if version is None or version.status != Status.DRAFT:
            raise ProcessError("There is no draft in progress to submit.")
        if not any((text or "").strip() for text in version.texts.values()):
            raise ProcessError("Write at least one section before submitting the draft.")
        now = timezone.now()
        version.status = Status.SUBMITTED
        version.submitted_at = now
        version.submitted_by = member.user
        version.submit_note = note
        version.decision_due_on = decision_due_on or _today(locked.district) + timedelta(
            days=DECISION_DUE_DAYS
        )
        version.save()
        url = reverse("process_detail", args=[locked.pk])
        leaders = [u for u in leaders_of(locked.district_id) if u.pk != member.user_id]
        notify(
            district=locked.district,
            recipients=leaders,
            kind=Kind.APPROVAL_REQUEST,
            subject=f"Approval requested: {locked.name}",
            body=(
                f"{member.user.get_full_name()} submitted version {version.number} of {locked.name} "
                f"for approval. A decision is needed by {version.decision_due_on:%B %-d, %Y}."
                + (f"\n\nNote: {note}" if note else "")
            ),
            url=url,
            key=f"process-version:{version.pk}:submitted",
        )
        audit_record(
            action=AuditAction.SUBMIT_PROCESS,
            actor=member.user,
            district=locked.district,
            target=version,
            detail={"process": locked.pk, "version": version.number},
        )
    return version


def _authors_of(version: ProcessVersion) -> set[int]:
    ids = {
        *version.revisions.values_list("saved_by_id", flat=True),
        version.author_id,
        version.submitted_by_id,
    }
    return {pk for pk in ids if pk is not None}


def _check_decider(member: Membership, version: ProcessVersion, *, action: AuditAction) -> None:
    """Refusals are checked before the decision's transaction so their audit rows are kept."""
    process = version.process
    _require_same_district(member, process, action=action)
    if member.role != Role.LEADER:
        deny(member, action=action, target=version, status=403)
    if member.user_id in _authors_of(version):
        audit_record(
            action=action,
            actor=member.user,
            district=process.district,
            target=version,
            outcome=AuditEvent.Outcome.DENIED,
            detail={"reason": "own draft"},
        )
        raise ProcessError("You worked on this draft, so another executive leader must decide on it.")


def _lock_submitted(version: ProcessVersion) -> ProcessVersion:
    locked = ProcessVersion.objects.select_for_update().select_related("process__district").get(pk=version.pk)
    if locked.status != Status.SUBMITTED:
        raise ProcessError(
            "Only a submitted draft can be approved or returned; this one was already decided."
        )
    return locked


def _resolve_approval_notices(version: ProcessVersion) -> None:
    """The decision is made: no leader is still asked for it, whoever made it."""
    notifications_resolve(
        key_prefix=f"process-version:{version.pk}:",
        district=version.process.district,
        kinds=(Kind.APPROVAL_REQUEST, Kind.APPROVAL_REMINDER),
    )


def _notify_author(version: ProcessVersion, *, subject: str, body: str) -> None:
    recipients = User.objects.filter(
        pk__in=[pk for pk in (version.author_id, version.submitted_by_id) if pk is not None]
    )
    notify(
        district=version.process.district,
        recipients=recipients,
        kind=Kind.APPROVAL_DECISION,
        subject=subject,
        body=body,
        url=reverse("process_detail", args=[version.process_id]),
        key=f"process-version:{version.pk}:decided",
    )


def version_approve(
    *, member: Membership, version: ProcessVersion, comment: str = "", review_on: date | None = None
) -> ProcessVersion:
    """Approve a submitted draft; the version it replaces becomes Superseded."""
    _check_decider(member, version, action=AuditAction.APPROVE_PROCESS)
    with transaction.atomic():
        version = _lock_submitted(version)
        process = Process.objects.select_for_update().select_related("district").get(pk=version.process_id)
        now = timezone.now()
        today = _today(process.district)
        previous = process.approved_version
        if previous is not None:
            previous.status = Status.SUPERSEDED
            previous.superseded_at = now
            previous.save(update_fields=["status", "superseded_at", "updated_at"])
        version.status = Status.APPROVED
        version.decided_at = now
        version.decided_by = member.user
        version.decision_comment = comment
        version.review_on = review_on or one_year_after(today)
        version.save()
        process.approved_version = version
        process.save(update_fields=["approved_version"])
        version.process = process
        _resolve_approval_notices(version)
        _notify_author(
            version,
            subject=f"Approved: {process.name}",
            body=f"{member.user.get_full_name()} approved version {version.number} of {process.name}."
            + (f"\n\n{comment}" if comment else ""),
        )
        audit_record(
            action=AuditAction.APPROVE_PROCESS,
            actor=member.user,
            district=process.district,
            target=version,
            detail={"process": process.pk, "version": version.number},
        )
    return version


def version_request_changes(*, member: Membership, version: ProcessVersion, comment: str) -> ProcessVersion:
    """Return a submitted draft to its author with a comment saying what to change."""
    if not comment.strip():
        raise ProcessError("Say what should change: a comment is required when requesting changes.")
    _check_decider(member, version, action=AuditAction.RETURN_PROCESS)
    with transaction.atomic():
        version = _lock_submitted(version)
        version.status = Status.CHANGES_REQUESTED
        version.decided_at = timezone.now()
        version.decided_by = member.user
        version.decision_comment = comment.strip()
        version.save()
        process = version.process
        _resolve_approval_notices(version)
        _notify_author(
            version,
            subject=f"Changes requested: {process.name}",
            body=f"{member.user.get_full_name()} requested changes to version {version.number} of "
            f"{process.name}:\n\n{version.decision_comment}",
        )
        audit_record(
            action=AuditAction.RETURN_PROCESS,
            actor=member.user,
            district=process.district,
            target=version,
            detail={"process": process.pk, "version": version.number},
        )
    return version


def comment_add(
    *, member: Membership, version: ProcessVersion, body: str, section_key: str = ""
) -> ProcessComment:
    """A comment on a version, on one section of it or on the whole draft."""
    _require_same_district(member, version.process, action=AuditAction.COMMENT_ON_PROCESS)
    if not (member.is_leader or can_edit_process(member, version.process)):
        deny(member, action=AuditAction.COMMENT_ON_PROCESS, target=version, status=403)
    if not body.strip():
        raise ProcessError("Write a comment before posting it.")
    keys = {s["key"] for s in version.process.sections}
    if section_key and section_key not in keys:
        raise ProcessError("That section is not part of this process.")
    with transaction.atomic():
        return ProcessComment.objects.create(
            version=version, section_key=section_key, author=member.user, body=body.strip()
        )


def co_author_add(*, member: Membership, process: Process, user: User) -> None:
    """Invite a DIT member of the district to co-author this process's drafts."""
    _require_same_district(member, process, action=AuditAction.INVITE_CO_AUTHOR)
    if not member.is_coordinator:
        deny(member, action=AuditAction.INVITE_CO_AUTHOR, target=process, status=403)
    if not Membership.objects.filter(
        user=user, district_id=process.district_id, role=Role.MEMBER, active=True
    ).exists():
        raise ProcessError("Only DIT members of this district can co-author a process.")
    with transaction.atomic():
        process.co_authors.add(user)
        notify(
            district=process.district,
            recipients=[user],
            kind=Kind.ASSIGNED,
            subject=f"You were invited to co-author {process.name}",
            body=f"{member.user.get_full_name()} invited you to help draft {process.name}.",
            url=reverse("process_detail", args=[process.pk]),
            key=f"process:{process.pk}:co-author:{user.pk}",
        )


def co_author_remove(*, member: Membership, process: Process, user: User) -> None:
    _require_same_district(member, process, action=AuditAction.REMOVE_CO_AUTHOR)
    if not member.is_coordinator:
        deny(member, action=AuditAction.REMOVE_CO_AUTHOR, target=process, status=403)
    with transaction.atomic():
        process.co_authors.remove(user)
        audit_record(
            action=AuditAction.REMOVE_CO_AUTHOR,
            actor=member.user,
            district=process.district,
            target=process,
            detail={"user": user.pk},
        )
