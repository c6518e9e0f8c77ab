"""Reads for screener data, scoped to the member's district (and a site admin's schools)."""

from __future__ import annotations

from django.db.models import QuerySet

from coordinators.models import District, Membership, School
from coordinators.selectors import schools_for
from data_reviews.models import DecisionRule, ImportBatch, SchoolMeasure, SlideDeck, TierSnapshot
from mtss.access import get_scoped_or_404


def import_batches_for(member: Membership) -> QuerySet[ImportBatch]:
    """Imports are the coordinator's work; others see none."""
    if not member.is_coordinator:
        return ImportBatch.objects.none()
    return (
        ImportBatch.objects.filter(district=member.district)
        .select_related("uploaded_by")
        .defer("payload", "extra_payload")
    )


def get_import_batch_for_user(member: Membership, pk: object, *, write: bool = False) -> ImportBatch:
    return get_scoped_or_404(
        import_batches_for(member), pk, member, write=write, can_write=lambda m, _b: m.is_coordinator
    )


def dashboard_schools_for(member: Membership) -> QuerySet[School]:
    """The schools whose dashboards the member may open: school staff open none."""
    if member.is_school_staff:
        return School.objects.none()
    return schools_for(member)


def get_dashboard_school_for_user(member: Membership, pk: object) -> School:
    return get_scoped_or_404(dashboard_schools_for(member), pk, member)


def slide_decks_for(member: Membership) -> QuerySet[SlideDeck]:
    """A person's own decks, of dashboards they may still see (the file itself left unread)."""
    decks = SlideDeck.objects.filter(district=member.district, requested_by=member.user)
    if not member.sees_whole_district:
        decks = decks.filter(school__in=dashboard_schools_for(member))
    return decks.select_related("school", "district").defer("content")


def get_slide_deck_for_user(member: Membership, pk: object) -> SlideDeck:
    return get_scoped_or_404(slide_decks_for(member), pk, member)


def decision_rules_for(member: Membership) -> QuerySet[DecisionRule]:
    return DecisionRule.objects.filter(district=member.district)


def get_decision_rule_for_user(member: Membership, pk: object, *, write: bool = False) -> DecisionRule:
    return get_scoped_or_404(
        decision_rules_for(member), pk, member, write=write, can_write=lambda m, _r: m.is_coordinator
    )


SNAPSHOT_FIELDS = (
    "school_id",
    "grade",
    "subject",
    "school_year",
    "window",
    "student_group",
    "tier1",
    "tier2",
    "tier3",
    "no_data",
)


def school_snapshots(school: School) -> list[tuple]:
    return list(TierSnapshot.objects.filter(school=school).values_list(*SNAPSHOT_FIELDS))


def district_snapshots(member: Membership) -> list[tuple]:
    """All-student rows of every school whose dashboard the member may open (one query)."""
    return list(
        TierSnapshot.objects.filter(
            district=member.district, student_group="", school__in=dashboard_schools_for(member)
        ).values_list(*SNAPSHOT_FIELDS)
    )


MEASURE_FIELDS = ("school_id", "kind", "month", "value")


def school_measures(school: School) -> list[tuple]:
    return list(SchoolMeasure.objects.filter(school=school).values_list(*MEASURE_FIELDS))


def district_measures(member: Membership) -> list[tuple]:
    return list(
        SchoolMeasure.objects.filter(
            district=member.district, school__in=dashboard_schools_for(member)
        ).values_list(*MEASURE_FIELDS)
    )


def review_snapshots(*, district: District, school: School | None) -> tuple[list[tuple], dict[int, str]]:
    """The snapshot rows a data review of the school (or the whole district) freezes, and the
    district's schools by id: the same rows the school or district dashboard is drawn from."""
    schools = dict(School.objects.filter(district=district).order_by("name").values_list("pk", "name"))
    if school is not None:
        return school_snapshots(school), schools
    rows = TierSnapshot.objects.filter(district=district, student_group="").values_list(*SNAPSHOT_FIELDS)
    return list(rows), schools
