"""District exports are built in a worker: the task reloads the export, claims it, calls the service."""

from __future__ import annotations

from celery import shared_task

from coordinators import lifecycle
from coordinators.models import DistrictExport


@shared_task(acks_late=True)
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

