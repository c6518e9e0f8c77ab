"""District exports are built in a worker: the task reloads the export, claims it, calls the service."""

from __future__ import annotations

from smtplib import SMTPException

from celery import shared_task

from coordinators import lifecycle, sign_in
from coordinators.models import DistrictExport

# A district's zip takes seconds to a few minutes; the limits only end a build that went wrong.
EXPORT_SOFT_TIME_LIMIT_SECONDS = 20 * 60
EXPORT_TIME_LIMIT_SECONDS = 21 * 60


@shared_task(
    acks_late=True, soft_time_limit=EXPORT_SOFT_TIME_LIMIT_SECONDS, time_limit=EXPORT_TIME_LIMIT_SECONDS
)
def build_district_export(export_id: int) -> None:
    """Build one export; the conditional UPDATE lets only one worker build it, so a rerun does nothing."""
    claimed = DistrictExport.objects.filter(pk=export_id, status=DistrictExport.Status.QUEUED).update(
        status=DistrictExport.Status.BUILDING, progress=1, stage="Starting"
    )
    if not claimed:
        return
    export = DistrictExport.objects.select_related("district").get(pk=export_id)
    try:
        lifecycle.district_export_build(export)
    except Exception:
        lifecycle.district_export_fail(export_id)
        raise


# Sign-in -------------------------------------------------------------------------------------


@shared_task(
    ignore_result=True,
    autoretry_for=(OSError, SMTPException),
    retry_backoff=True,
    max_retries=3,
    soft_time_limit=30,
    time_limit=60,
)
def send_password_reset(request_id: int) -> None:
    """Send the link for one accepted password-reset request; a rerun sends nothing more."""
    sign_in.password_reset_send(request_id=request_id)


@shared_task(ignore_result=True, time_limit=300)
def purge_sign_in_records() -> None:
    """Delete lockout rows, reset requests and sessions that no longer count (every 15 minutes)."""
    sign_in.sign_in_records_purge()


# Retention ---------------------------------------------------------------------------------


@shared_task(acks_late=True)
def apply_retention() -> None:
    """Daily: each district's retention policy, then expired exports (a rerun removes nothing more)."""
    from data_reviews import retention

    retention.retention_apply()
