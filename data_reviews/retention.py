"""Student data over time: one student's records deleted on request; raw files and old results purged.

Each district sets how long it keeps uploaded screener files after their import is done or abandoned
(`raw_file_retention_days`) and how many school years of student-level results
(`result_retention_years`, the current one included). Tier snapshots are counts per school, grade and
window, not student records, so they stay and the dashboards keep their trends.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db import transaction
from django.db.models import Q
from django.http import HttpRequest
from django.utils import timezone

from coordinators.models import District, Membership
from data_reviews.models import ImportBatch, StudentResult
from data_reviews.scores import services as score_services
from mtss.audit.models import AuditAction
from mtss.audit.services import audit_record

logger = logging.getLogger(__name__)

# A school year starts in July: on 2026-07-01 the 2026-27 school year (stored as 2026) begins.
SCHOOL_YEAR_START_MONTH = 7
# Imports a worker may be writing now keep their file whatever its age.
RUNNING = [ImportBatch.Status.QUEUED, ImportBatch.Status.IMPORTING]
NOT_IMPORTED = [ImportBatch.Status.CHECKING, ImportBatch.Status.PREVIEW, ImportBatch.Status.PROBLEMS]
FILE_DELETED = (
    "The uploaded file was deleted after {days} days, as the district's policy says; upload it again."
)


def current_school_year(today: date) -> int:
    return today.year if today.month >= SCHOOL_YEAR_START_MONTH else today.year - 1


# --- One student's records ---------------------------------------------------------------------


@dataclass(frozen=True)
class StudentRecords:
    results: int
    schools: int
    school_years: list[str]


def student_records(*, district: District, student_id: str) -> StudentRecords:
    """What deleting the student's records removes (counts only)."""
    results = StudentResult.objects.filter(district=district, student_id=student_id.strip())
    return StudentRecords(
        results=results.count(),
        schools=results.values("school_id").distinct().count(),
        school_years=[
            f"{year}-{(year + 1) % 100:02d}"
            for year in sorted(set(results.values_list("school_year", flat=True)))
        ],
    )


def student_records_delete(*, member: Membership, student_id: str, request: HttpRequest | None = None) -> int:
    """Delete every screener result of the student id in the district and rebuild the tier counts
    they were part of. The audit row says how many went, never whose. Safe to repeat."""
    district = member.district
    with transaction.atomic():
        District.objects.select_for_update().filter(pk=district.pk).first()
        results = StudentResult.objects.filter(district=district, student_id=student_id.strip())
        touched = list(results.values_list("school_id", "subject", "school_year", "window").distinct())
        if not touched:
            return 0
        deleted = results.delete()[0]
        for school_id, subject, school_year, window in touched:
            score_services.snapshots_recompute(
                district_id=district.pk,
                school_ids=[school_id],
                subjects=[subject],
                school_years=[school_year],
                windows=[window],
            )
        audit_record(
            action=AuditAction.DELETE_STUDENT_RECORDS,
            actor=member.user,
            district=district,
            request=request,
            detail={"results": deleted, "tier_counts_recomputed": len(touched)},
        )
    return deleted


# --- The retention policy ------------------------------------------------------------------------


@dataclass(frozen=True)
class RetentionReport:
    district_id: int
    raw_files_deleted: int
    results_deleted: int
    oldest_school_year_kept: int


def district_retention_apply(*, district: District, now: datetime) -> RetentionReport:
    """Apply one district's policy; running it again at once removes nothing more."""
    with transaction.atomic():
        district = District.objects.select_for_update().get(pk=district.pk)
        cutoff = now - timedelta(days=district.raw_file_retention_days)
        stale = (
            ImportBatch.objects.filter(district=district, raw_file_deleted_at__isnull=True)
            .exclude(status__in=RUNNING)
            .filter(Q(finished_at__lte=cutoff) | Q(finished_at__isnull=True, created_at__lte=cutoff))
        )
        stale_ids = list(stale.values_list("pk", flat=True))
        ImportBatch.objects.filter(pk__in=stale_ids, status__in=NOT_IMPORTED).update(
            status=ImportBatch.Status.FAILED,
            progress=100,
            stage=FILE_DELETED.format(days=district.raw_file_retention_days),
        )
        raw_files = ImportBatch.objects.filter(pk__in=stale_ids).update(
            payload=b"", extra_payload=b"", raw_file_deleted_at=now
        )
        oldest_kept = current_school_year(now.astimezone(district.tz).date()) - (
            district.result_retention_years - 1
        )
        results = StudentResult.objects.filter(district=district, school_year__lt=oldest_kept).delete()[0]
        report = RetentionReport(district.pk, raw_files, results, oldest_kept)
        if raw_files or results:
            audit_record(
                action=AuditAction.APPLY_RETENTION,
                district=district,
                detail={
                    "raw_files_deleted": raw_files,
                    "results_deleted": results,
                    "oldest_school_year_kept": oldest_kept,
                },
            )
    logger.info(
        "Retention for district %s: %s raw files deleted, %s student results deleted (kept %s and later)",
        district.pk,
        raw_files,
        results,
        oldest_kept,
    )
    return report


def retention_apply(*, now: datetime | None = None) -> list[RetentionReport]:
    """Every district's policy, then the district exports and slide decks past their keeping time."""
    from coordinators import lifecycle
    from data_reviews.scores import slide_decks

    now = now or timezone.now()
    reports = [
        district_retention_apply(district=district, now=now) for district in District.objects.order_by("pk")
    ]
    lifecycle.exports_expire(now=now)
    slide_decks.slide_decks_expire(now=now)
    return reports
