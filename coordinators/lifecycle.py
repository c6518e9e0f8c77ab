"""A district's data from start to end: export everything it holds, delete a person, delete a district.

Deleting never goes through a bare `Model.delete()` from a page or the admin: the audit trail is
append-only (on PostgreSQL a trigger refuses changes), so its rows are redacted first, in the same
transaction, in the one way the trigger allows; then the rows go.
"""

from __future__ import annotations

import functools
import logging
import uuid
import zipfile
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.http import HttpRequest
from django.utils import timezone
from django.utils.formats import date_format

from coordinators import district_export
from coordinators.models import District, DistrictExport, Invitation, Membership, School, User
from mtss.audit.models import AuditAction, AuditEvent
from mtss.audit.services import audit_record

logger = logging.getLogger(__name__)

# A finished zip is kept this long, then the daily retention task deletes it.
EXPORT_KEEP_DAYS = 3
# Longer than the build task's hard time limit: a build still "building" after this has died with
# its worker and never will finish.
STALE_BUILD = timedelta(minutes=30)
BUILD_STOPPED = "Something went wrong; no file was made. Ask for a new export."


def exports_dir() -> Path:
    """Outside MEDIA_ROOT's served paths: a zip is only ever sent by the download view."""
    return Path(settings.VAR_DIR) / "exports"


# --- What a district holds ---------------------------------------------------------------------


@dataclass(frozen=True)
class Holding:
    label: str
    count: int


def district_contents(district: District) -> list[Holding]:
    """What deleting the district removes, in the words the confirmation page uses."""
    from data_reviews.models import DataReview, ImportBatch, StudentResult
    from implementation_plans.models import PlanActivity, PracticeFile, Process
    from meetings.models import ActionItem, Meeting

    results = StudentResult.objects.filter(district=district)
    return [
        Holding("schools", School.objects.filter(district=district).count()),
        Holding("people's memberships", Membership.objects.filter(district=district).count()),
        Holding(
            "people who belong to no other district (their accounts go too)", len(_people_only_in(district))
        ),
        Holding("students with screener results", results.values("student_id").distinct().count()),
        Holding("screener results", results.count()),
        Holding("imports", ImportBatch.objects.filter(district=district).count()),
        Holding("meetings", Meeting.objects.filter(district=district).count()),
        Holding("action items", ActionItem.objects.filter(district=district).count()),
        Holding("district processes", Process.objects.filter(district=district).count()),
        Holding("plan activities", PlanActivity.objects.filter(district=district).count()),
        Holding("data reviews", DataReview.objects.filter(district=district).count()),
        Holding("practice library files", PracticeFile.objects.filter(practice__district=district).count()),
        Holding("audit trail rows (kept, without the district's names)", _audit_rows(district).count()),
    ]


def _audit_rows(district: District) -> Any:
    return AuditEvent.objects.filter(district=district)


def _people_only_in(district: District) -> list[int]:
    """People with a role in, or an invitation from, this district and nothing anywhere else.

    Operators (staff) are never removed with a district.
    """
    return list(
        User.objects.filter(
            Q(memberships__district=district) | Q(invitations__district=district),
            is_staff=False,
            is_superuser=False,
        )
        .exclude(pk__in=Membership.objects.exclude(district=district).values("user_id"))
        .exclude(pk__in=Invitation.objects.exclude(district=district).values("person_id"))
        .values_list("pk", flat=True)
        .distinct()
    )


# --- Deleting --------------------------------------------------------------------------------


def _redact_person(user_ids: list[int]) -> None:
    AuditEvent.objects.filter(actor_id__in=user_ids).redact_person()
    AuditEvent.objects.filter(
        object_type=User._meta.label_lower, object_id__in=[str(pk) for pk in user_ids]
    ).redact_object_label()


def _remove_sign_in_records(emails: list[str]) -> None:
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog

    for model in (AccessAttempt, AccessLog, AccessFailureLog):
        model.objects.filter(username__in=emails).delete()


def person_delete(*, user: User, operator: User | None, request: HttpRequest | None = None) -> bool:
    """Delete a person's account; their audit rows keep the actions without saying who.

    The installation's operator does it (from the admin), a superuser with no membership: a User.
    """
    with transaction.atomic():
        person = User.objects.select_for_update().filter(pk=user.pk).first()
        if person is None:
            return False
        person_id = person.pk
        _redact_person([person_id])
        _remove_sign_in_records([person.email])
        person.delete()
        audit_record(
            action=AuditAction.DELETE_PERSON,
            actor=operator if operator is not None and operator.pk != person_id else None,
            request=request,
            detail={"object_type": User._meta.label_lower, "object_id": person_id},
        )
    return True


def district_delete(*, operator: User, district: District, request: HttpRequest | None = None) -> bool:
    """Delete the district and every row of it, with the people who belong nowhere else.

    Safe to repeat: a district already gone changes nothing and returns False. Only the installation's
    operator does it, a superuser with no membership: a User.
    """
    from data_reviews.models import DataReview
    from implementation_plans.models import PracticeFile

    with transaction.atomic():
        locked = District.objects.select_for_update().filter(pk=district.pk).first()
        if locked is None:
            return False
        counts = {c.label: c.count for c in district_contents(locked)}
        people = _people_only_in(locked)
        emails = list(User.objects.filter(pk__in=people).values_list("email", flat=True))
        stored_files = [
            f.file.name for f in PracticeFile.objects.filter(practice__district=locked) if f.file.name
        ]
        zips = list(
            DistrictExport.objects.filter(district=locked)
            .exclude(file_path="")
            .values_list("file_path", flat=True)
        )
        _audit_rows(locked).redact_district()
        _redact_person(people)
        _remove_sign_in_records(emails)
        # Data reviews protect their school from deletion; they are the district's own, so they go first.
        DataReview.objects.filter(district=locked).delete()
        locked.delete()
        User.objects.filter(pk__in=people).delete()
        # The operator's record of what went: the district's name and the counts, nothing of its content.
        audit_record(
            action=AuditAction.DELETE_DISTRICT,
            actor=operator,
            target=district,
            request=request,
            detail=counts,
        )
        transaction.on_commit(lambda: _remove_files(stored_files, zips))
    logger.info("Deleted district %s with %s", district.pk, counts)
    return True


def _remove_files(stored_files: list[str], zips: list[str]) -> None:
    from django.core.files.storage import default_storage

    for name in stored_files:
        default_storage.delete(name)
    for relative in zips:
        (exports_dir() / relative).unlink(missing_ok=True)


# --- Exporting -------------------------------------------------------------------------------


def district_export_request(*, member: Membership, request: HttpRequest | None = None) -> DistrictExport:
    """A coordinator asks for an export of their district."""
    return _export_request(member.district, member.user, request)


def district_export_request_as_operator(
    *, operator: User, district: District, request: HttpRequest | None = None
) -> DistrictExport:
    """The installation's operator asks for a district's export: a superuser with no membership, a User."""
    return _export_request(district, operator, request)


def _export_request(district: District, requested_by: User, request: HttpRequest | None) -> DistrictExport:
    """Queue a new export; one already waiting or building for the district is returned instead."""
    with transaction.atomic():
        District.objects.select_for_update().filter(pk=district.pk).first()
        DistrictExport.objects.filter(
            district=district,
            status=DistrictExport.Status.BUILDING,
            created_at__lt=timezone.now() - STALE_BUILD,
        ).update(status=DistrictExport.Status.FAILED, progress=100, stage=BUILD_STOPPED)
        running = DistrictExport.objects.filter(
            district=district, status__in=[DistrictExport.Status.QUEUED, DistrictExport.Status.BUILDING]
        ).first()
        if running is not None:
            return running
        export = DistrictExport.objects.create(
            district=district, requested_by=requested_by, stage="Waiting to start"
        )
        audit_record(
            action=AuditAction.REQUEST_DISTRICT_EXPORT,
            actor=requested_by,
            district=district,
            target=export,
            request=request,
        )
        transaction.on_commit(lambda: _queue_build(export.pk))
    return export


def _queue_build(export_id: int) -> None:
    from coordinators import tasks

    try:
        tasks.build_district_export.delay(export_id)
    except Exception:
        # Broker down: the export stays "Waiting to start"; asking again queues it again.
        logger.exception("Could not queue district export %s", export_id)


def _progress(export: DistrictExport, progress: int, stage: str) -> None:
    # A plain UPDATE so the page polling the progress sees it at once.
    DistrictExport.objects.filter(pk=export.pk).update(progress=progress, stage=stage)


def district_export_build(export: DistrictExport) -> DistrictExport:
    """Write the zip (the caller has claimed the export, so no other worker writes it)."""
    folder = exports_dir() / str(export.district_id)
    folder.mkdir(parents=True, exist_ok=True)
    relative = f"{export.district_id}/{uuid.uuid4().hex}.zip"
    path = exports_dir() / relative
    files = district_export.export_files()
    try:
        with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            for number, export_file in enumerate(files):
                _progress(export, 5 + 80 * number // len(files), f"Writing {export_file.name}")
                with archive.open(export_file.name, "w", force_zip64=True) as entry:
                    district_export.write_csv_to(entry, export_file, export.district)
            _progress(export, 85, "Adding the uploaded files")
            district_export.write_uploaded_files(archive, export.district)
            archive.writestr("README.txt", _readme(export))
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    now = timezone.now()
    DistrictExport.objects.filter(pk=export.pk).update(
        status=DistrictExport.Status.READY,
        progress=100,
        stage="Ready",
        file_path=relative,
        size=path.stat().st_size,
        finished_at=now,
        expires_at=now + timedelta(days=EXPORT_KEEP_DAYS),
    )
    export.refresh_from_db()
    return export


def _readme(export: DistrictExport) -> str:
    district = export.district
    exported = date_format(timezone.localtime(timezone.now(), district.tz), "DATETIME_FORMAT")
    return (
        f"Everything {district.name} holds in MTSS Coordination, "
        f"exported {exported} ({district.time_zone}).\n"
        "One CSV file per kind of record; ids link the files. Uploaded files are under files/. "
        f"Times are in {district.time_zone} time, with their offset from UTC "
        "(2026-03-09T23:30:00-07:00 is 11:30 PM on March 9, seven hours behind UTC).\n\n"
        + district_export.documentation()
    )


def district_export_fail(export_id: int) -> None:
    DistrictExport.objects.filter(pk=export_id).update(
        status=DistrictExport.Status.FAILED, progress=100, stage=BUILD_STOPPED
    )


def district_export_downloaded(*, person: User, export: DistrictExport, request: HttpRequest | None) -> None:
    """person: a coordinator of the district or the installation's operator, who has no membership."""
    audit_record(
        action=AuditAction.DOWNLOAD_DISTRICT_EXPORT,
        actor=person,
        district=export.district,
        target=export,
        request=request,
    )


def exports_expire(*, now: datetime | None = None) -> int:
    """Delete the zips older than their keeping time; the rows stay, marked as deleted."""
    now = now or timezone.now()
    expired = DistrictExport.objects.filter(status=DistrictExport.Status.READY, expires_at__lte=now)
    removed = 0
    for export in expired:
        with transaction.atomic():
            claimed = DistrictExport.objects.filter(pk=export.pk, status=DistrictExport.Status.READY).update(
                status=DistrictExport.Status.EXPIRED, file_path="", stage="Deleted after a few days"
            )
            if claimed:
                path = exports_dir() / export.file_path
                transaction.on_commit(functools.partial(path.unlink, missing_ok=True))
                removed += 1
    return removed
