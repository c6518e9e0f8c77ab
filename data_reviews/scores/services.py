"""Writes for screener data: imports, school-name mappings, decision rules, tier snapshots."""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Iterable, Mapping
from typing import Any

import pandas as pd
from django.conf import settings
from django.db import connection, transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone

from coordinators.models import District, Membership, School
from coordinators.roster.links import roster_student_numbers
from coordinators.roster.parsing import RosterRefused, check_roster_upload
from coordinators.roster.services import RosterReport, roster_import
from coordinators.services import school_create
from data_reviews.models import (
    DecisionRule,
    ImportBatch,
    SchoolMeasure,
    SchoolNameMapping,
    ScreeningWindow,
    StudentResult,
    TierSnapshot,
)
from data_reviews.scores import analysis, importing
from data_reviews.scores.importing import progress as progress_store
from data_reviews.scores.importing import writing
from data_reviews.scores.importing.writing import write_measures as _write_measures
from data_reviews.scores.importing.writing import write_results as _write_results
from data_reviews.screening_calendar import SchoolCalendar
from mtss.audit.models import AuditAction, AuditEvent
from mtss.audit.services import audit_record
from mtss.notifications.kinds import Kind
from mtss.notifications.services import notify

logger = logging.getLogger(__name__)

BULK_BATCH_SIZE = writing.BULK_BATCH_SIZE


class ImportNotReady(Exception):
    """The import cannot start: the preview found problems or the batch is not waiting."""


class AlreadyUploaded(importing.UploadRefused):
    """The district has this very file already (imported, or waiting to be); nothing was stored."""

    def __init__(self, batch: ImportBatch) -> None:
        self.batch = batch
        if batch.status == ImportBatch.Status.DONE:
            done = f"already imported ({batch.rows_written:,} rows)"
        else:
            done = "already uploaded and waiting to be imported"
        super().__init__(
            f"{batch.file_name}{' + ' + batch.extra_file_name if batch.extra_file_name else ''} is {done}: "
            "the same file was not stored again and nothing changed. Export the file again if the "
            "results have changed since."
        )


def uploads_digest(uploads: list[importing.Upload]) -> str:
    return hashlib.sha256(b"".join(u.data for u in uploads)).hexdigest()


def same_file_batch(*, district: District, uploads: list[importing.Upload]) -> ImportBatch | None:
    """The district's earlier upload of exactly these bytes: imported, or still to be imported
    (not one that failed, nor one whose file was deleted before it was imported)."""
    return (
        ImportBatch.objects.filter(district=district, sha256=uploads_digest(uploads))
        .exclude(status=ImportBatch.Status.FAILED)
        .exclude(~Q(status=ImportBatch.Status.DONE), raw_file_deleted_at__isnull=False)
        .defer("payload", "extra_payload")
        .order_by("-pk")
        .first()
    )


# --- Reading inputs from the database -------------------------------------------------------


def school_index(district: District, extra: Mapping[str, int] | None = None) -> importing.SchoolIndex:
    schools = list(School.objects.filter(district=district).values_list("pk", "name", "code"))
    mappings = dict(
        SchoolNameMapping.objects.filter(district=district).values_list("source_name", "school_id")
    )
    return importing.SchoolIndex(schools, {**mappings, **(extra or {})})


def district_rules(district_id: int) -> list[analysis.Rule]:
    return [
        analysis.Rule(
            subject=r.subject,
            measure=r.measure,
            method=r.method,
            tier3_below=r.tier3_below,
            tier2_below=r.tier2_below,
            category_tiers=r.category_tiers,
        )
        for r in DecisionRule.objects.filter(district_id=district_id)
    ]


def _uploads(batch: ImportBatch) -> list[importing.Upload]:
    """The stored file(s), with the kind their one check found (a file stored before it was
    checked on upload has none, and is checked when read)."""
    kinds = [*(batch.summary.get("file_kinds") or []), "", ""]
    uploads = [importing.Upload(batch.file_name, bytes(batch.payload), kinds[0])]
    if batch.extra_file_name:
        uploads.append(importing.Upload(batch.extra_file_name, bytes(batch.extra_payload), kinds[1]))
    return uploads


def _progress(batch: ImportBatch, progress: int, stage: str) -> None:
    """Show the stage on the import's page at once: in the progress store, which no transaction
    holds back, and outside a transaction also as a plain UPDATE of the batch."""
    progress_store.stage_write(
        batch_id=batch.pk, progress=progress, stage=stage, status=batch.status, attempts=batch.attempts
    )
    if not connection.in_atomic_block:
        ImportBatch.objects.filter(pk=batch.pk).update(progress=progress, stage=stage)
    batch.progress, batch.stage = progress, stage


def run_preview(
    batch: ImportBatch,
    *,
    extra_mappings: Mapping[str, int] | None = None,
    report: importing.pipeline.Report | None = None,
) -> importing.Preview:
    return importing.preview(
        _uploads(batch),
        file_format=batch.file_format,
        schools=school_index(batch.district, extra_mappings),
        mapping=batch.column_mapping or None,
        max_bytes=settings.MTSS_MAX_UPLOAD_BYTES,
        rules=district_rules(batch.district_id),
        calendar=school_calendar(batch.district),
        report=report,
        roster=roster_student_numbers(district_id=batch.district_id),
    )


def school_calendar(district: District) -> SchoolCalendar:
    """The district's school year start and screening windows, for placing test dates."""
    windows = ScreeningWindow.objects.filter(district=district).values_list(
        "window", "opens_month", "opens_day"
    )
    return SchoolCalendar(
        start_month=district.school_year_start_month,
        start_day=district.school_year_start_day,
        windows=tuple(windows),
    )


def _store_preview(batch: ImportBatch, result: importing.Preview) -> None:
    names = dict(School.objects.filter(district=batch.district).values_list("pk", "name"))
    batch.rows_read = result.rows_read
    batch.rows_valid = len(result.frame)
    batch.rows_set_aside = sum(result.set_aside.values())
    batch.problems = [p.as_dict() for p in result.problems]
    batch.summary = result.summary(names)


# --- Imports ------------------------------------------------------------------------------------


def import_batch_create(
    *,
    district: District,
    member: Membership | None,
    file_format: str,
    uploads: list[importing.Upload],
    request: Any = None,
    queue_check: bool = True,
    status: str = ImportBatch.Status.CHECKING,
) -> ImportBatch:
    """Store the upload (after the size and type checks, unless its caller has just made them)
    and queue the preview; a file the district has already uploaded raises AlreadyUploaded and
    is not stored twice. member None: the command line, where nobody in the district uploads."""
    uploaded_by = member.user if member is not None else None
    uploads = _checked(uploads, file_format)
    digest = uploads_digest(uploads)
    with transaction.atomic():
        # The district row is the lock: the same file sent twice at once is stored once.
        District.objects.select_for_update().filter(pk=district.pk).first()
        earlier = same_file_batch(district=district, uploads=uploads)
        if earlier is not None:
            raise AlreadyUploaded(earlier)
        batch = ImportBatch.objects.create(
            district=district,
            uploaded_by=uploaded_by,
            file_name=uploads[0].name[:255],
            file_format=file_format,
            payload=uploads[0].data,
            extra_file_name=uploads[1].name[:255] if len(uploads) > 1 else "",
            extra_payload=uploads[1].data if len(uploads) > 1 else b"",
            sha256=digest,
            status=status,
            stage="Waiting to check the file" if status == ImportBatch.Status.CHECKING else "",
            summary={"file_kinds": [u.kind for u in uploads]},
        )
        audit_record(
            action=AuditAction.UPLOAD_ROSTER if _is_roster(batch) else AuditAction.UPLOAD_SCORES,
            actor=uploaded_by,
            district=district,
            target=batch,
            request=request,
        )
        progress_store.stage_clear(batch.pk)
        if queue_check:
            _queue_check(batch.pk)
    return batch


def _is_roster(batch: ImportBatch) -> bool:
    return batch.file_format == ImportBatch.Format.ONEROSTER


def _checked(uploads: list[importing.Upload], file_format: str) -> list[importing.Upload]:
    """The one check of the upload: a roster is one zip, bounded by its directory; any other
    kind of file is a CSV or XLSX file, checked as the screener import checks it."""
    limit = settings.MTSS_MAX_UPLOAD_BYTES
    if file_format == ImportBatch.Format.ONEROSTER:
        return [u if u.kind == "zip" else check_roster_upload(u, max_bytes=limit) for u in uploads[:1]]
    return [importing.checked(u, max_bytes=limit) for u in uploads]


def import_batch_create_and_run(
    *,
    district: District,
    file_format: str,
    uploads: list[importing.Upload],
    checked: importing.Preview | None = None,
) -> ImportBatch:
    """Store a file and import it at once, in the caller's transaction (the command line's)."""
    batch = import_batch_create(
        district=district,
        member=None,
        file_format=file_format,
        uploads=uploads,
        queue_check=False,
        status=ImportBatch.Status.IMPORTING,
    )
    return import_batch_run(batch, checked=checked)


def _queue_check(batch_id: int) -> None:
    from data_reviews import tasks

    _queue(tasks.check_import, batch_id)


def _queue_import(batch_id: int) -> None:
    from data_reviews import tasks

    _queue(tasks.run_import, batch_id)


def _queue(task: Any, batch_id: int) -> None:
    """Send the task once the transaction that made the batch ready commits."""

    def send() -> None:
        try:
            task.delay(batch_id)
        except Exception:
            # Broker down: the batch keeps its state; "Check again" on the page queues it again.
            logger.exception("Could not queue %s for import batch %s", task.name, batch_id)

    transaction.on_commit(send)


def import_batch_check(batch: ImportBatch) -> ImportBatch:
    """The preview: read and check every row, store counts and problems, write no result."""
    _progress(batch, 10, "Reading the file")
    try:
        if _is_roster(batch):
            report = _roster(batch, dry_run=True)
            _store_roster(batch, report)
            batch.status = ImportBatch.Status.PREVIEW if report.ok else ImportBatch.Status.PROBLEMS
            batch.progress, batch.stage = 100, "Checked"
            batch.save()
            return batch
        result = run_preview(batch, report=lambda progress, stage: _progress(batch, progress, stage))
    except importing.UploadRefused as refusal:
        batch.status = ImportBatch.Status.FAILED
        batch.problems = [{"row": 0, "column": "", "value": batch.file_name, "reason": str(refusal)}]
        batch.progress, batch.stage = 100, "Refused"
        batch.save()
        return batch
    _store_preview(batch, result)
    batch.status = ImportBatch.Status.PREVIEW if result.ok else ImportBatch.Status.PROBLEMS
    batch.progress, batch.stage = 100, "Checked"
    batch.save()
    return batch


NOT_AGAIN = {ImportBatch.Status.DONE, ImportBatch.Status.IMPORTING, ImportBatch.Status.QUEUED}


def import_batch_recheck(*, batch: ImportBatch, column_mapping: Mapping[str, str] | None = None) -> None:
    """Check the file again, e.g. after a column or school mapping changed. A file imported (or
    importing now), or deleted under the retention policy, cannot be: ImportNotReady says why."""
    with transaction.atomic():
        locked = ImportBatch.objects.select_for_update().get(pk=batch.pk)
        if locked.status in NOT_AGAIN:
            raise ImportNotReady("This file has already been imported or is importing now.")
        if locked.raw_file_deleted_at is not None:
            raise ImportNotReady(
                "The uploaded file was deleted under the district's retention policy. Upload it again."
            )
        _recheck(locked, column_mapping)
        batch.status, batch.progress, batch.stage = locked.status, locked.progress, locked.stage


def _recheck(batch: ImportBatch, column_mapping: Mapping[str, str] | None = None) -> None:
    """Inside the caller's transaction, on the batch it has locked."""
    if column_mapping is not None:
        batch.column_mapping = dict(column_mapping)
    batch.status = ImportBatch.Status.CHECKING
    batch.progress, batch.stage = 0, "Waiting to check the file"
    batch.attempts = 0
    batch.save(update_fields=["column_mapping", "status", "progress", "stage", "attempts"])
    _queue_check(batch.pk)


def import_batch_start(*, batch: ImportBatch, request: Any = None) -> None:
    """Queue the import of a batch whose preview found no problem."""
    with transaction.atomic():
        claimed = ImportBatch.objects.filter(pk=batch.pk, status=ImportBatch.Status.PREVIEW).update(
            status=ImportBatch.Status.QUEUED, progress=0, stage="Waiting to import", attempts=0
        )
        if not claimed:
            raise ImportNotReady("Only a file whose preview found no problem can be imported.")
        _queue_import(batch.pk)


RUNNING = [ImportBatch.Status.CHECKING, ImportBatch.Status.QUEUED, ImportBatch.Status.IMPORTING]
# A file whose check or import was started this many times without finishing kills its worker.
MAX_IMPORT_STARTS = 3
STOPPED_WORKER = (
    "Working on this file stopped the import worker {attempts} times, so it was set aside. The file may "
    "be damaged or far bigger than it looks: save it again as CSV, or split it by school or window, "
    "and upload it again."
)
# What a task may start, from which states: a check of a file waiting for it; an import of a
# file waiting for it, or one whose worker died mid-import (the import is one transaction, so
# that worker wrote nothing).
CHECK: tuple[list[str], str] = ([ImportBatch.Status.CHECKING], ImportBatch.Status.CHECKING)
IMPORT: tuple[list[str], str] = (
    [ImportBatch.Status.QUEUED, ImportBatch.Status.IMPORTING],
    ImportBatch.Status.IMPORTING,
)


def import_batch_claim(*, batch_id: int, step: tuple[list[str], str]) -> ImportBatch | None:
    """Count this start of a check or import on the batch and return it, or None when it is not
    this step's to start. One conditional UPDATE, so two deliveries of one task cannot both
    start; on a start past MAX_IMPORT_STARTS the batch is set aside as Failed instead."""
    waiting, running = step
    claimed = ImportBatch.objects.filter(
        pk=batch_id, status__in=waiting, attempts__lt=MAX_IMPORT_STARTS
    ).update(status=running, attempts=F("attempts") + 1)
    if claimed:
        # The stages of an earlier start are not this one's.
        progress_store.stage_clear(batch_id)
        return ImportBatch.objects.select_related("district", "uploaded_by").get(pk=batch_id)
    exhausted = ImportBatch.objects.filter(pk=batch_id, status__in=waiting, attempts__gte=MAX_IMPORT_STARTS)
    if exhausted.exists():
        logger.warning("Import batch %s stopped its worker %s times; set aside", batch_id, MAX_IMPORT_STARTS)
        import_batch_stop(batch_id=batch_id, reason=STOPPED_WORKER.format(attempts=MAX_IMPORT_STARTS))
    return None


def import_batch_stop(*, batch_id: int, reason: str) -> bool:
    """End a check or import that cannot finish (its worker kept dying, it ran past its time
    limit, or it failed unexpectedly): Failed with the reason on its page, audited, and the
    uploader told. Only a batch still running changes, so a second call does nothing."""
    with transaction.atomic():
        batch = (
            ImportBatch.objects.select_for_update(of=("self",))
            .select_related("district", "uploaded_by")
            .filter(pk=batch_id, status__in=RUNNING)
            .first()
        )
        if batch is None:
            return False
        batch.status = ImportBatch.Status.FAILED
        batch.progress, batch.stage = 100, "Stopped; nothing was imported"
        batch.problems = [{"row": 0, "column": "", "value": batch.file_name, "reason": reason}]
        batch.finished_at = timezone.now()
        batch.save(update_fields=["status", "progress", "stage", "problems", "finished_at"])
        _import_failed(
            batch,
            detail={"reason": reason},
            body=reason,
            # Only the call that moved the batch out of its running state gets here.
            key=f"import-batch:{batch.pk}:stopped:{batch.finished_at:%Y%m%dT%H%M%S.%f}",
        )
    return True


def _tell_uploader(batch: ImportBatch, *, subject: str, body: str, key: str) -> None:
    """Notify the person who uploaded the file (none for the command line) how its import went."""
    if batch.uploaded_by is not None:
        notify(
            district=batch.district,
            recipients=[batch.uploaded_by],
            kind=Kind.IMPORT,
            subject=subject,
            body=body,
            url=reverse("score_import_detail", args=[batch.pk]),
            key=key,
        )


def _import_failed(batch: ImportBatch, *, detail: dict[str, Any], body: str, key: str) -> None:
    """Audit a failed import and tell its uploader; inside the transaction that failed it."""
    audit_record(
        action=AuditAction.IMPORT_ROSTER if _is_roster(batch) else AuditAction.IMPORT_SCORES,
        actor=batch.uploaded_by,
        district=batch.district,
        target=batch,
        outcome=AuditEvent.Outcome.FAILURE,
        detail=detail,
    )
    _tell_uploader(
        batch, subject=f"Import stopped: {batch.file_name} (nothing was saved)", body=body, key=key
    )


def import_batch_run(batch: ImportBatch, *, checked: importing.Preview | None = None) -> ImportBatch:
    """Write every row of the file, or none: the checks run again on the stored file first
    (mappings may have changed since the preview) unless the caller has just run them."""
    _progress(batch, 5, "Checking every row again")
    if _is_roster(batch):
        return _roster_run(batch)
    result, reason = checked, ""
    if result is None:
        try:
            result = run_preview(batch)
        except importing.UploadRefused as refusal:
            reason = str(refusal)
    if result is None or not result.ok:
        if result is not None:
            _store_preview(batch, result)
        else:
            batch.problems = [{"row": 0, "column": "", "value": batch.file_name, "reason": reason}]
        with transaction.atomic():
            batch.status = ImportBatch.Status.FAILED
            batch.progress, batch.stage = 100, "Nothing was imported"
            batch.finished_at = timezone.now()
            batch.save()
            _import_failed(
                batch,
                detail={"problems": batch.summary.get("problem_count", 0)},
                body="The file no longer passed its checks. Open the import to see each problem row.",
                key=f"import-batch:{batch.pk}:failed",
            )
        return batch
    _progress(batch, 40, "Saving results")
    with transaction.atomic():
        if result.kind == "scores":
            changes = _write_results(batch, result.frame)
            written = sum(changes.values())
            _progress(batch, 75, "Working out tiers")
            snapshots_recompute(
                district_id=batch.district_id,
                school_ids=set(result.frame["school_id"].astype(int)),
                subjects=set(result.frame["subject"]),
                school_years=set(result.frame["school_year"].astype(int)),
                windows=set(result.frame["window"]),
            )
            _progress(batch, 95, "Finishing")
        else:
            changes = None
            written = _write_measures(batch, result.frame, kind=_measure_kind(batch.file_format))
        _store_preview(batch, result)
        if changes is not None:
            batch.summary["changes"] = changes
        batch.rows_written = written
        # Until the commit the page reads the batch as importing: it shows this stage, never an earlier one.
        _progress(batch, 100, "Imported")
        batch.status = ImportBatch.Status.DONE
        batch.finished_at = timezone.now()
        batch.save()
        audit_record(
            action=AuditAction.IMPORT_SCORES,
            actor=batch.uploaded_by,
            district=batch.district,
            target=batch,
            detail={
                "rows": written,
                "set_aside": batch.rows_set_aside,
                "sha256": batch.sha256,
                **({"changes": changes} if changes else {}),
            },
        )
        _tell_uploader(
            batch,
            subject=f"Import finished: {batch.file_name} ({written} rows)",
            body=f"{written} rows from {batch.file_name} are in the dashboards.",
            key=f"import-batch:{batch.pk}:done",
        )
    return batch


# --- Rosters ------------------------------------------------------------------------------------


def _roster(batch: ImportBatch, *, dry_run: bool) -> RosterReport:
    """Check (dry run) or import the batch's OneRoster zip as the coordinator who uploaded it; one
    who is no longer a coordinator of the district cannot (PermissionDenied, a RosterRefused)."""
    member = None
    if batch.uploaded_by is not None:
        member = Membership.objects.filter(
            user=batch.uploaded_by, district=batch.district, active=True
        ).first()
        if member is None or not member.is_coordinator:
            raise RosterRefused("Only a coordinator of the district can import its roster.")
    return roster_import(
        district=batch.district,
        upload=_uploads(batch)[0],
        member=member,
        dry_run=dry_run,
        report=lambda progress, stage: _progress(batch, progress, stage),
    )


def _store_roster(batch: ImportBatch, report: RosterReport) -> None:
    batch.rows_read = report.rows_read
    batch.rows_valid = report.rows_ready if report.ok else 0
    batch.rows_set_aside = 0
    problems = report.problem_rows()
    batch.problems = [p.as_dict() for p in problems[: importing.MAX_PROBLEMS_KEPT]]
    batch.summary = {**report.as_dict(), "file_kinds": ["zip"]}


def _roster_run(batch: ImportBatch) -> ImportBatch:
    """Import the zip all or nothing; a zip that no longer passes its checks fails with its problems."""
    reason = ""
    try:
        with transaction.atomic():
            report = _roster(batch, dry_run=False)
            _store_roster(batch, report)
            if report.ok:
                batch.rows_written = report.rows_ready
                _progress(batch, 100, "Imported")
                batch.status = ImportBatch.Status.DONE
                batch.finished_at = timezone.now()
                batch.save()
                _tell_uploader(
                    batch,
                    subject=f"Roster imported: {batch.file_name}",
                    body=f"The roster in {batch.file_name} is imported: open the import for its report.",
                    key=f"import-batch:{batch.pk}:done",
                )
                return batch
    except RosterRefused as refusal:
        reason = str(refusal)
        batch.problems = [{"row": 0, "column": "", "value": batch.file_name, "reason": reason}]
    with transaction.atomic():
        batch.status = ImportBatch.Status.FAILED
        batch.progress, batch.stage = 100, "Nothing was imported"
        batch.finished_at = timezone.now()
        batch.save()
        _import_failed(
            batch,
            detail={
                "problems": batch.summary.get("problem_count", 0),
                **({"reason": reason} if reason else {}),
            },
            body=reason or "The roster no longer passed its checks. Open the import to see each problem row.",
            key=f"import-batch:{batch.pk}:failed",
        )
    return batch


def _measure_kind(file_format: str) -> str:
    return SchoolMeasure.Kind.ATTENDANCE if file_format == "attendance" else SchoolMeasure.Kind.ODR


def snapshots_recompute(
    *,
    district_id: int,
    school_ids: Iterable[int] | None = None,
    subjects: Iterable[str] | None = None,
    school_years: Iterable[int] | None = None,
    windows: Iterable[str] | None = None,
) -> int:
    """Rebuild the tier snapshots for the results matching the filters (None: all of them)."""
    filters: dict[str, Any] = {"district_id": district_id}
    for name, values in (
        ("school_id__in", school_ids),
        ("subject__in", subjects),
        ("school_year__in", school_years),
        ("window__in", windows),
    ):
        if values is not None:
            filters[name] = list(values)
    results = pd.DataFrame.from_records(
        StudentResult.objects.filter(**filters).values_list(
            "school_id", "grade", "subject", "school_year", "window", "tier", "student_groups"
        ),
        columns=["school_id", "grade", "subject", "school_year", "window", "tier", "student_groups"],
    )
    if not results.empty:
        results["tier"] = pd.to_numeric(results["tier"], errors="coerce")
    # The district's own smallest group; a rule saved for several subjects reads it once for each.
    min_group_size = (
        District.objects.filter(pk=district_id).values_list("min_group_size", flat=True).first()
        or analysis.MIN_GROUP_SIZE
    )
    snapshots = analysis.tier_snapshots(results, min_group_size=min_group_size)
    with transaction.atomic():
        TierSnapshot.objects.filter(**filters).delete()
        TierSnapshot.objects.bulk_create(
            [
                TierSnapshot(
                    district_id=district_id,
                    school_id=int(row.school_id),
                    grade=row.grade,
                    subject=row.subject,
                    school_year=int(row.school_year),
                    window=row.window,
                    student_group=row.student_group,
                    tier1=int(row.tier1),
                    tier2=int(row.tier2),
                    tier3=int(row.tier3),
                    no_data=int(row.no_data),
                )
                for row in snapshots.itertuples()
            ],
            batch_size=BULK_BATCH_SIZE,
        )
    return len(snapshots)


# --- Mappings and rules ------------------------------------------------------------------------


def school_mapping_save(
    *, district: District, member: Membership | None, source_name: str, school: School
) -> None:
    """Remember that an export's school name means this school, for every later import.

    member None: the command line, where nobody in the district acts.
    """
    if school.district_id != district.pk:
        raise ValueError("The school is not in this district.")
    with transaction.atomic():
        mapping, _ = SchoolNameMapping.objects.update_or_create(
            district=district, source_name=importing.school_key(source_name), defaults={"school": school}
        )
        audit_record(
            action=AuditAction.MAP_SCHOOL_NAME,
            actor=member.user if member is not None else None,
            district=district,
            target=mapping,
        )


CHECKABLE = {ImportBatch.Status.PREVIEW, ImportBatch.Status.PROBLEMS}


def school_mappings_save(
    *, member: Membership, batch: ImportBatch, mappings: Mapping[str, School], request: Any = None
) -> None:
    """Remember what each of an import's school names means, then check the file once."""
    if any(school.district_id != batch.district_id for school in mappings.values()):
        raise ValueError("The school is not in this district.")
    with transaction.atomic():
        locked = ImportBatch.objects.select_for_update().select_related("district").get(pk=batch.pk)
        rows = [
            SchoolNameMapping(district=locked.district, source_name=importing.school_key(name), school=school)
            for name, school in mappings.items()
        ]
        saved = SchoolNameMapping.objects.bulk_create(
            rows,
            update_conflicts=True,
            unique_fields=["district", "source_name"],
            update_fields=["school"],
        )
        for mapping in saved:
            audit_record(
                action=AuditAction.MAP_SCHOOL_NAME,
                actor=member.user,
                district=locked.district,
                target=mapping,
                request=request,
            )
        if mappings and locked.status in CHECKABLE:
            _recheck(locked)


def import_school_create(
    *,
    member: Membership,
    batch: ImportBatch,
    source_name: str,
    name: str,
    code: str,
    level: str,
    grades_served: str,
    request: Any = None,
) -> School:
    """Add the school a file names but the district lacks, remember the name for it, check the file once."""
    with transaction.atomic():
        school = school_create(
            district=batch.district,
            name=name,
            code=code,
            level=level,
            grades_served=grades_served,
            member=member,
            request=request,
        )
        school_mappings_save(
            member=member, batch=batch, mappings={source_name: school} if source_name else {}, request=request
        )
        locked = ImportBatch.objects.select_for_update().get(pk=batch.pk)
        if not source_name and locked.status in CHECKABLE:
            # A school named exactly as the file spells it matches without a mapping.
            _recheck(locked)
    return school


def tiers_recompute(*, district_id: int, subject: str | None = None) -> int:
    """Apply the district's current rules to stored results, then rebuild the snapshots."""
    results = StudentResult.objects.filter(district_id=district_id)
    if subject:
        results = results.filter(subject=subject)
    frame = pd.DataFrame.from_records(
        results.values_list("pk", "subject", "measure", "percentile", "benchmark_category", "tier"),
        columns=["pk", "subject", "measure", "percentile", "benchmark_category", "old"],
    )
    if frame.empty:
        snapshots_recompute(district_id=district_id, subjects=[subject] if subject else None)
        return 0
    frame["tier"] = analysis.compute_tiers(frame, district_rules(district_id))
    old = pd.to_numeric(frame["old"], errors="coerce")
    changed = frame[~((old == frame["tier"]) | (old.isna() & frame["tier"].isna()))]
    with transaction.atomic():
        for tier_value, group in changed.groupby(changed["tier"].fillna(0)):
            new = int(tier_value) or None
            pks = group["pk"].tolist()
            for start in range(0, len(pks), BULK_BATCH_SIZE):
                StudentResult.objects.filter(pk__in=pks[start : start + BULK_BATCH_SIZE]).update(tier=new)
        snapshots_recompute(district_id=district_id, subjects=[subject] if subject else None)
    return len(changed)


def decision_rule_save(
    *,
    member: Membership,
    subject: str,
    measure: str = "",
    method: str,
    tier3_below: float = analysis.DEFAULT_TIER3_BELOW,
    tier2_below: float = analysis.DEFAULT_TIER2_BELOW,
    category_tiers: Mapping[str, int] | None = None,
    replacing: DecisionRule | None = None,
) -> DecisionRule:
    """Create or change a rule and recompute the subject's tiers and snapshots with it, in one
    transaction. `replacing` is the rule being edited: when the edit moves it to another subject
    or measure, that rule no longer applies and goes, and its subject's tiers are redone too."""
    district, actor = member.district, member.user
    with transaction.atomic():
        if replacing is not None:
            replacing = (
                DecisionRule.objects.select_for_update().filter(pk=replacing.pk, district=district).first()
            )
        moved = replacing is not None and (replacing.subject, replacing.measure) != (subject, measure.strip())
        if moved and replacing is not None:
            audit_record(
                action=AuditAction.DELETE_DECISION_RULE, actor=actor, district=district, target=replacing
            )
            replacing.delete()
        rule, _ = DecisionRule.objects.update_or_create(
            district=district,
            subject=subject,
            measure=measure.strip(),
            defaults={
                "method": method,
                "tier3_below": tier3_below,
                "tier2_below": tier2_below,
                "category_tiers": dict(category_tiers or {}),
                "updated_by": actor,
            },
        )
        audit_record(action=AuditAction.CHANGE_DECISION_RULE, actor=actor, district=district, target=rule)
        tiers_recompute(district_id=district.pk, subject=subject)
        if moved and replacing is not None and replacing.subject != subject:
            tiers_recompute(district_id=district.pk, subject=replacing.subject)
    return rule


def decision_rule_delete(*, member: Membership, rule: DecisionRule) -> None:
    with transaction.atomic():
        audit_record(
            action=AuditAction.DELETE_DECISION_RULE, actor=member.user, district=rule.district, target=rule
        )
        district_id, subject = rule.district_id, rule.subject
        rule.delete()
        tiers_recompute(district_id=district_id, subject=subject)
