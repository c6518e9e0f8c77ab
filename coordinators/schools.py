"""Writes for a district's schools in the app: add, edit, deactivate and reactivate.

A school is never deleted here: screener results, plans and people hang on it. Deactivating one takes
it out of the lists where new work starts (imports, invitations, dashboards' school pickers) and keeps
everything already recorded.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.http import HttpRequest

from coordinators.models import District, Membership, School, User
from coordinators.services import SchoolCodeTaken, school_create
from data_reviews.models import ImportBatch
from data_reviews.scores.services import school_mappings_save
from mtss.audit.models import AuditAction
from mtss.audit.services import audit_record
from mtss.models_update import model_update

# What a coordinator may change on a school; `sourced_id` belongs to the roster and `district` to nobody.
SCHOOL_EDITABLE_FIELDS = ("name", "code", "state_id", "level", "grades_served", "principal")


class PrincipalNotInDistrict(ValueError):
    """The principal chosen is not an active person of the district."""


def _check_principal(district: District, principal: User | None) -> None:
    if principal is None:
        return
    if not Membership.objects.filter(district=district, user=principal, active=True).exists():
        raise PrincipalNotInDistrict("Choose a principal among the district's people.")


def _lock_district(district: District) -> None:
    # The district row is the lock every school write takes (school_create takes it too), so two
    # coordinators giving two schools the same code wait for each other.
    District.objects.select_for_update().filter(pk=district.pk).first()


def school_add(
    *,
    member: Membership,
    name: str,
    code: str,
    level: str,
    grades_served: str,
    state_id: str = "",
    principal: User | None = None,
    import_batch: ImportBatch | None = None,
    source_name: str = "",
    request: HttpRequest | None = None,
) -> School:
    """Add a school to the member's district. Sent twice (a double click) it gives the same school.

    With `import_batch`, the school was added for a name a screener file used: the name is
    remembered for that school and the file is checked again, as the import page's own form does.
    """
    district = member.district
    with transaction.atomic():
        _lock_district(district)
        _check_principal(district, principal)
        school = school_create(
            district=district,
            name=name,
            code=code,
            level=level,
            grades_served=grades_served,
            member=member,
            request=request,
        )
        model_update(
            school, {"state_id": state_id.strip(), "principal": principal}, fields=("state_id", "principal")
        )
        if import_batch is not None:
            if import_batch.district_id != district.pk:
                raise ValueError("The import belongs to another district.")
            mappings = {source_name: school} if source_name else {}
            school_mappings_save(batch=import_batch, mappings=mappings, member=member, request=request)
    return school


def school_update(
    *, member: Membership, school: School, data: Mapping[str, Any], request: HttpRequest | None = None
) -> School:
    """Change a school's name, code, state id, level, grades or principal; audited with what changed."""
    district = member.district
    if school.district_id != district.pk:
        raise ValueError("The school belongs to another district.")
    cleaned = dict(data)
    if "name" in cleaned:
        cleaned["name"] = " ".join(cleaned["name"].split())
    for key in ("code", "state_id", "grades_served"):
        if key in cleaned:
            cleaned[key] = cleaned[key].strip()
    with transaction.atomic():
        _lock_district(district)
        locked = School.objects.select_for_update().get(pk=school.pk)
        _check_principal(district, cleaned.get("principal"))
        code = cleaned.get("code")
        if code is not None:
            taken = School.objects.filter(district=district, code__iexact=code).exclude(pk=locked.pk).first()
            if taken is not None:
                raise SchoolCodeTaken(
                    f"The code {code} is already used by {taken.name}; give this school its own."
                )
        before = {name: _shown(getattr(locked, name)) for name in cleaned}
        locked, changed = model_update(locked, cleaned, fields=SCHOOL_EDITABLE_FIELDS)
        if changed:
            after = {name: _shown(getattr(locked, name)) for name in cleaned}
            audit_record(
                action=AuditAction.CHANGE_SCHOOL,
                actor=member.user,
                district=district,
                target=locked,
                request=request,
                detail={
                    "changed": {k: [before[k], after[k]] for k in cleaned if before[k] != after[k]},
                },
            )
    return locked


def _shown(value: object) -> str:
    if isinstance(value, User):
        return value.email
    return "" if value is None else str(value)


def school_set_active(
    *, member: Membership, school: School, active: bool, request: HttpRequest | None = None
) -> School:
    """Deactivate (or reactivate) a school. Repeating it changes nothing and records nothing."""
    district = member.district
    if school.district_id != district.pk:
        raise ValueError("The school belongs to another district.")
    with transaction.atomic():
        locked = School.objects.select_for_update().get(pk=school.pk)
        locked, changed = model_update(locked, {"active": active}, fields=("active",))
        if changed:
            audit_record(
                action=AuditAction.REACTIVATE_SCHOOL if active else AuditAction.DEACTIVATE_SCHOOL,
                actor=member.user,
                district=district,
                target=locked,
                request=request,
            )
    return locked


def school_deactivate(*, member: Membership, school: School, request: HttpRequest | None = None) -> School:
    return school_set_active(member=member, school=school, active=False, request=request)


def school_reactivate(*, member: Membership, school: School, request: HttpRequest | None = None) -> School:
    return school_set_active(member=member, school=school, active=True, request=request)
