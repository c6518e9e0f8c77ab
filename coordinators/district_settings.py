"""The district's own settings, kept by its coordinators: one read, one audited write.

The screening windows (data_reviews.ScreeningWindow) and the coordinator's time targets
(TimeTarget) are saved with the district's own fields, under the district's row lock, and the
audit row lists every change as "field: old → new".
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpRequest

from coordinators.models import District, ImplementationStage, Membership, Role, TimeTarget
from data_reviews.models import ScreeningWindow, Window
from mtss.audit.models import AuditAction
from mtss.audit.services import audit_record
from mtss.models_update import model_update

logger = logging.getLogger(__name__)

# What the settings page may change on the district; nothing else (the slug, the suspension) is.
DISTRICT_SETTINGS_FIELDS = (
    "name",
    "time_zone",
    "school_year_start_month",
    "school_year_start_day",
    "approval_reminder_days",
    "digest_weekday",
    "digest_hour",
    "min_group_size",
    "raw_file_retention_days",
    "result_retention_years",
    "roster_roles",
    "sign_in_domains",
    "single_sign_on_only",
)

# The OneRoster roles of staff a roster lists, and what the settings page calls them.
ROSTER_STAFF_ROLES = (
    ("teacher", "Teachers"),
    ("aide", "Aides"),
    ("administrator", "Administrators"),
    ("principal", "Principals"),
    ("counselor", "Counselors"),
    ("proctor", "Proctors"),
)

# (opens month, opens day, closes month, closes day)
WindowDates = tuple[int, int, int, int]
# (least days, most days) a month
TargetDays = tuple[Decimal, Decimal]


def roster_invite_roles() -> list[Role]:
    """The roles a rostered staff member may be invited in: never one that needs a leader's
    confirmation (a roster must not make coordinators or leaders)."""
    wanted = ["member", "site_admin", "school_staff"]
    return [Role(value) for value in wanted if value in Role.values]


@dataclass
class DistrictSettings:
    """What the settings page shows: the district, its windows and its time targets."""

    district: District
    windows: dict[str, WindowDates] = field(default_factory=dict)
    time_targets: dict[str, TargetDays] = field(default_factory=dict)


def district_settings_for(member: Membership) -> DistrictSettings:
    """The settings of the member's current district (two queries)."""
    district = member.district
    windows = {
        w.window: (w.opens_month, w.opens_day, w.closes_month, w.closes_day)
        for w in ScreeningWindow.objects.filter(district=district)
    }
    targets = {t.stage: (t.min_days, t.max_days) for t in TimeTarget.objects.filter(district=district)}
    return DistrictSettings(district=district, windows=windows, time_targets=targets)


def _shown(value: Any) -> str:
    if isinstance(value, list):
        return ", ".join(str(v) for v in value) or "(none)"
    if isinstance(value, dict):
        return ", ".join(f"{k}={v}" for k, v in sorted(value.items())) or "(none)"
    if value in ("", None):
        return "(none)"
    return str(value)


def _dates(dates: WindowDates | None) -> str:
    if dates is None:
        return "(none)"
    om, od, cm, cd = dates
    return f"{om}/{od}-{cm}/{cd}"


def _days(days: TargetDays | None) -> str:
    return "(none)" if days is None else f"{days[0]}-{days[1]} days"


def district_settings_update(
    *,
    member: Membership,
    data: Mapping[str, Any],
    windows: Mapping[str, WindowDates],
    time_targets: Mapping[str, TargetDays],
    request: HttpRequest | None = None,
) -> list[str]:
    """Save the district's settings; return the changes ("field: old → new"), empty if none.

    `windows` names every window the district keeps (none: the usual rule for test dates);
    `time_targets` every stage that has a target. Saved twice, the second save changes nothing
    and writes no audit row.
    """
    if not member.is_coordinator or not member.active:
        raise PermissionDenied("Only the district's coordinators change its settings.")
    with transaction.atomic():
        district = District.objects.select_for_update().get(pk=member.district_id)
        before = {name: getattr(district, name) for name in data}
        district, _changed = model_update(district, data, fields=DISTRICT_SETTINGS_FIELDS)
        changes = [
            f"{name}: {_shown(before[name])} → {_shown(getattr(district, name))}"
            for name in data
            if before[name] != getattr(district, name)
        ]
        if district.min_group_size < before.get("min_group_size", district.min_group_size):
            # Groups left out of the snapshots under the larger size are counted again.
            district_id = district.pk
            transaction.on_commit(lambda: _queue_snapshots(district_id))
        changes += _windows_save(district, windows)
        changes += _targets_save(district, time_targets)
        if changes:
            audit_record(
                action=AuditAction.CHANGE_DISTRICT_SETTINGS,
                actor=member.user,
                district=district,
                target=district,
                request=request,
                detail={"changes": changes},
            )
    # The member's district is the same row: later reads in this request see the new values.
    member.district = district
    return changes


def _queue_snapshots(district_id: int) -> None:
    from data_reviews import tasks

    try:
        tasks.recompute_snapshots.delay(district_id)
    except Exception:
        # Broker down: the smaller groups show after the district's next import.
        logger.exception("Could not queue the snapshots of district %s", district_id)


def _windows_save(district: District, wanted: Mapping[str, WindowDates]) -> list[str]:
    current = {w.window: w for w in ScreeningWindow.objects.filter(district=district)}
    changes = []
    for window in Window.values:
        row, dates = current.get(window), wanted.get(window)
        old = (row.opens_month, row.opens_day, row.closes_month, row.closes_day) if row else None
        if old == dates:
            continue
        if dates is None:
            ScreeningWindow.objects.filter(pk=row.pk).delete()  # type: ignore[union-attr]
        else:
            om, od, cm, cd = dates
            values = {"opens_month": om, "opens_day": od, "closes_month": cm, "closes_day": cd}
            if row is None:
                ScreeningWindow.objects.create(district=district, window=window, **values)
            else:
                model_update(row, values, fields=values)
        changes.append(f"{window} window: {_dates(old)} → {_dates(dates)}")
    return changes


def _targets_save(district: District, wanted: Mapping[str, TargetDays]) -> list[str]:
    current = {t.stage: t for t in TimeTarget.objects.filter(district=district)}
    changes = []
    for stage in ImplementationStage.values:
        row, days = current.get(stage), wanted.get(stage)
        old = (row.min_days, row.max_days) if row else None
        if old == days:
            continue
        if days is None:
            TimeTarget.objects.filter(pk=row.pk).delete()  # type: ignore[union-attr]
        elif row is None:
            TimeTarget.objects.create(district=district, stage=stage, min_days=days[0], max_days=days[1])
        else:
            model_update(row, {"min_days": days[0], "max_days": days[1]}, fields=("min_days", "max_days"))
        changes.append(f"{stage} time target: {_days(old)} → {_days(days)}")
    return changes
