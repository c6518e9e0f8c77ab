"""Imports, decision rules, and the school and district dashboards."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import UploadedFile
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.views.decorators.http import require_POST

from coordinators.models import Role, School
from coordinators.services import SchoolCodeTaken
from coordinators.students import STUDENT_ROLES
from data_reviews import retention
from data_reviews.models import ImportBatch
from data_reviews.scores import dashboards, exports, importing, selectors, services
from data_reviews.scores.forms import (
    ColumnMappingForm,
    DecisionRuleForm,
    ImportSchoolForm,
    ImportUploadForm,
    SchoolMappingsForm,
    StudentRecordsForm,
)
from mtss import workbooks
from mtss.access import MemberRequest, member_required

PROBLEMS_SHOWN = 200
# The counts an import's page shows, per kind of file (screener and school files share one).
SUMMARY_TEMPLATES = {"roster": "data_reviews/scores/_import_summary_roster.html"}


# --- Imports -----------------------------------------------------------------------------------


@member_required(Role.COORDINATOR)
def import_list(request: MemberRequest) -> HttpResponse:
    # ?format= preselects the kind of file (the onboarding checklist's roster link).
    wanted = request.GET.get("format")
    initial = {"file_format": wanted} if wanted in ImportBatch.Format.values else {}
    form = ImportUploadForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        files = [form.cleaned_data["data_file"], form.cleaned_data.get("extra_file")]
        try:
            uploads = [_read_upload(f) for f in files if f]
            batch = services.import_batch_create(
                district=request.membership.district,
                member=request.membership,
                file_format=form.cleaned_data["file_format"],
                uploads=uploads,
                request=request,
            )
        except services.AlreadyUploaded as same:
            messages.info(request, str(same))
            return redirect("score_import_detail", same.batch.pk)
        except importing.UploadRefused as refusal:
            form.add_error("data_file", str(refusal))
        else:
            return redirect("score_import_detail", batch.pk)
    batches = selectors.import_batches_for(request.membership)[:25]
    return render(request, "data_reviews/scores/import_list.html", {"form": form, "batches": batches})


def _read_upload(uploaded: UploadedFile) -> importing.Upload:
    # The size is checked before the file is read into memory.
    if uploaded.size is None or uploaded.size > settings.MTSS_MAX_UPLOAD_BYTES:
        limit = settings.MTSS_MAX_UPLOAD_BYTES // 1_048_576
        raise importing.UploadRefused(
            f"{uploaded.name} is larger than the {limit} MB limit. "
            "Split it by school or window and import the parts."
        )
    return importing.Upload(uploaded.name or "", uploaded.read())


@member_required(Role.COORDINATOR)
def import_detail(request: MemberRequest, pk: int) -> HttpResponse:
    batch = importing.with_live_stage(selectors.get_import_batch_for_user(request.membership, pk))
    context = {
        "batch": batch,
        "problems": batch.problems[:PROBLEMS_SHOWN],
        "problems_hidden": max(0, batch.summary.get("problem_count", len(batch.problems)) - PROBLEMS_SHOWN),
        "problems_not_kept": max(0, batch.summary.get("problem_count", 0) - len(batch.problems)),
        # Batches checked before rows were counted apart from problems have only the problem count.
        "problem_rows": batch.summary.get("problem_rows", batch.summary.get("problem_count", 0)),
        "problem_groups": batch.summary.get("problem_groups", []),
        "changes": batch.summary.get("changes"),
        "school_form": _school_form(request, batch),
        "new_school_form": ImportSchoolForm(names=list(batch.summary.get("unmatched_schools", {}))),
        "suggested": _suggestions(request, batch),
        "column_form": ColumnMappingForm(
            columns=_mapping_columns(batch), initial_mapping=_current_mapping(batch)
        )
        if batch.summary.get("kind", "scores") == "scores" and batch.summary.get("columns")
        else None,
        "fields": importing.FIELDS,
        "summary_template": SUMMARY_TEMPLATES.get(
            batch.summary.get("kind", ""), "data_reviews/scores/_import_summary_scores.html"
        ),
    }
    return render(request, "data_reviews/scores/import_detail.html", context)


@member_required(Role.COORDINATOR)
def import_problems_csv(request: MemberRequest, pk: int) -> HttpResponse:
    """Every problem row the check kept, one line each, for fixing the file in a spreadsheet."""
    batch = selectors.get_import_batch_for_user(request.membership, pk)
    rows = [[p["row"], p["column"], p["value"], p["reason"]] for p in batch.problems if p["row"]]
    return exports.table_response(
        name=f"problems {batch.file_name}", columns=["Row", "Column", "Value", "Why"], rows=rows, kind="csv"
    )


def _mapping_columns(batch: ImportBatch) -> list[str]:
    """The columns each field's list offers: at most as many as an upload may have (files stored
    before that bound may have far more), and any column the saved mapping already uses."""
    columns = batch.summary.get("columns", [])
    shown = columns[: workbooks.MAX_SHEET_COLUMNS]
    chosen = set(_current_mapping(batch).values()) - set(shown)
    return shown + [c for c in columns[workbooks.MAX_SHEET_COLUMNS :] if c in chosen]


def _current_mapping(batch: ImportBatch) -> dict[str, str]:
    if batch.column_mapping:
        return batch.column_mapping
    fmt = importing.FORMATS.get(batch.file_format, importing.GENERIC)
    return importing.find_columns(batch.summary.get("columns", []), fmt.aliases)


@member_required(Role.COORDINATOR)
def import_progress(request: MemberRequest, pk: int) -> HttpResponse:
    batch = importing.with_live_stage(selectors.get_import_batch_for_user(request.membership, pk))
    response = render(request, "data_reviews/scores/_import_progress.html", {"batch": batch})
    if not batch.is_running and request.GET.get("was") == "running":
        response["HX-Refresh"] = "true"
    return response


@require_POST
@member_required(Role.COORDINATOR)
def import_start(request: MemberRequest, pk: int) -> HttpResponse:
    batch = selectors.get_import_batch_for_user(request.membership, pk, write=True)
    try:
        services.import_batch_start(batch=batch, request=request)
    except services.ImportNotReady as error:
        messages.error(request, str(error))
    return redirect("score_import_detail", batch.pk)


@require_POST
@member_required(Role.COORDINATOR)
def import_recheck(request: MemberRequest, pk: int) -> HttpResponse:
    batch = selectors.get_import_batch_for_user(request.membership, pk, write=True)
    mapping = None
    if "columns" in request.POST:
        form = ColumnMappingForm(
            request.POST, columns=_mapping_columns(batch), initial_mapping=_current_mapping(batch)
        )
        if form.is_valid():
            mapping = form.mapping()
    try:
        services.import_batch_recheck(batch=batch, column_mapping=mapping)
    except services.ImportNotReady as refusal:
        messages.error(request, str(refusal))
    return redirect("score_import_detail", batch.pk)


def _school_form(request: MemberRequest, batch: ImportBatch) -> SchoolMappingsForm:
    return SchoolMappingsForm(
        request.POST if request.method == "POST" else None,
        district=request.membership.district,
        names=list(batch.summary.get("unmatched_schools", {})),
        suggestions=batch.summary.get("school_suggestions", {}),
    )


def _suggestions(request: MemberRequest, batch: ImportBatch) -> dict[str, School]:
    """The stored suggestions whose school is still in the district."""
    suggested = batch.summary.get("school_suggestions", {})
    schools = School.objects.filter(district=request.membership.district, pk__in=suggested.values())
    by_pk = {school.pk: school for school in schools}
    return {name: by_pk[pk] for name, pk in suggested.items() if pk in by_pk}


@require_POST
@member_required(Role.COORDINATOR)
def import_map_school(request: MemberRequest, pk: int) -> HttpResponse:
    batch = selectors.get_import_batch_for_user(request.membership, pk, write=True)
    form = _school_form(request, batch)
    mappings = _suggestions(request, batch) if "use_suggestions" in request.POST else None
    if mappings is None and form.is_valid():
        mappings = form.mappings()
    if not mappings:
        messages.error(request, "Choose the school each name means.")
        return redirect("score_import_detail", batch.pk)
    services.school_mappings_save(member=request.membership, batch=batch, mappings=mappings, request=request)
    names = ", ".join(f"“{name}” means {school}" for name, school in mappings.items())
    messages.success(request, f"Remembered for every import: {names}.")
    return redirect("score_import_detail", batch.pk)


@require_POST
@member_required(Role.COORDINATOR)
def import_new_school(request: MemberRequest, pk: int) -> HttpResponse:
    batch = selectors.get_import_batch_for_user(request.membership, pk, write=True)
    form = ImportSchoolForm(request.POST, names=list(batch.summary.get("unmatched_schools", {})))
    if not form.is_valid():
        errors = "; ".join(
            f"{form[f].label}: {' '.join(str(m) for m in e)}"
            for f, e in form.errors.items()
            if f in form.fields
        )
        messages.error(request, f"The school was not added. {errors}")
        return redirect("score_import_detail", batch.pk)
    try:
        school = services.import_school_create(
            member=request.membership, batch=batch, request=request, **form.cleaned_data
        )
    except SchoolCodeTaken as taken:
        messages.error(request, f"The school was not added. {taken}")
    else:
        messages.success(request, f"{school} was added to the district and the file is being checked again.")
    return redirect("score_import_detail", batch.pk)


# --- A student's records -------------------------------------------------------------------------


@member_required(Role.COORDINATOR)
def student_records_delete(request: MemberRequest) -> HttpResponse:
    """Name a student, see what goes, then confirm; the id travels in POST bodies, never in a URL."""
    district = request.membership.district
    form = StudentRecordsForm(request.POST or None)
    records, student_id = None, ""
    if request.method == "POST" and form.is_valid():
        student_id = form.cleaned_data["student_id"]
        records = retention.student_records(district=district, student_id=student_id)
        if records.results and form.cleaned_data["confirm"] == student_id:
            deleted = retention.student_records_delete(
                member=request.membership, student_id=student_id, request=request
            )
            messages.success(
                request,
                f"{deleted} screener results of that student were deleted and the tier counts redone.",
            )
            return redirect("student_records_delete")
    context = {"form": form, "records": records, "student_id": student_id}
    return render(request, "data_reviews/scores/student_records_delete.html", context)


# --- Decision rules ----------------------------------------------------------------------------


@member_required(Role.COORDINATOR)
def rule_list(request: MemberRequest) -> HttpResponse:
    rule = None
    if request.GET.get("rule"):
        rule = selectors.get_decision_rule_for_user(request.membership, request.GET["rule"], write=True)
    form = DecisionRuleForm(request.POST or None, instance=rule)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        services.decision_rule_save(
            member=request.membership,
            subject=data["subject"],
            measure=data["measure"],
            method=data["method"],
            tier3_below=data["tier3_below"],
            tier2_below=data["tier2_below"],
            category_tiers=data["category_lines"],
            replacing=rule,
        )
        messages.success(request, "Rule saved; tiers and dashboards are recomputed.")
        return redirect("score_rule_list")
    rules = selectors.decision_rules_for(request.membership)
    return render(
        request, "data_reviews/scores/rule_list.html", {"form": form, "rules": rules, "editing": rule}
    )


@require_POST
@member_required(Role.COORDINATOR)
def rule_delete(request: MemberRequest, pk: int) -> HttpResponse:
    rule = selectors.get_decision_rule_for_user(request.membership, pk, write=True)
    services.decision_rule_delete(member=request.membership, rule=rule)
    messages.success(request, "Rule removed; the default percentile rule applies again.")
    return redirect("score_rule_list")


# --- Dashboards --------------------------------------------------------------------------------


def _students_url(**fixed: Any) -> dashboards.StudentsUrl:
    """The student list's address for a tier count's filters (plus `fixed`, e.g. the school)."""
    base = reverse("student_list")
    return lambda params: f"{base}?{urlencode({**params, **fixed})}"


def _export(request: HttpRequest, context: dict, place: str) -> HttpResponse | None:
    kind = request.GET.get("export")
    if kind not in {"csv", "xlsx"}:
        return None
    table = next((t for t in context["tables"] if t.key == request.GET.get("table")), None)
    if table is None:
        raise Http404("No such table.")
    name = f"{place}-{table.key}-{context.get('subject', '')}-{context.get('period_value', '')}"
    return exports.table_response(name=name, columns=table.columns, rows=table.rows, kind=kind)


@member_required()
def school_dashboard(request: MemberRequest, pk: int) -> HttpResponse:
    school = selectors.get_dashboard_school_for_user(request.membership, pk)
    snapshot_rows = selectors.school_snapshots(school)
    measure_rows = selectors.school_measures(school)
    subject, period = request.GET.get("subject"), request.GET.get("period")
    today = timezone.localdate()
    min_group_size = request.membership.district.min_group_size
    lists_students = request.membership.role in STUDENT_ROLES
    context = dashboards.cached(
        (
            "school",
            school.pk,
            school.name,
            subject,
            period,
            today,
            min_group_size,
            lists_students,
            snapshot_rows,
            measure_rows,
        ),
        lambda: dashboards.school_dashboard(
            school_name=school.name,
            snapshot_rows=snapshot_rows,
            measure_rows=measure_rows,
            subject=subject,
            period=period,
            today=today,
            min_group_size=min_group_size,
            students_url=_students_url(school=school.pk) if lists_students else None,
        ),
    )
    exported = _export(request, context, school.name)
    if exported is not None:
        return exported
    context["school"] = school
    return render(request, "data_reviews/scores/school_dashboard.html", context)


@member_required(*Role.district_staff())
def district_dashboard(request: MemberRequest) -> HttpResponse:
    member = request.membership
    schools = dict(selectors.dashboard_schools_for(member).values_list("pk", "name"))
    snapshot_rows = selectors.district_snapshots(member)
    measure_rows = selectors.district_measures(member)
    subject, period, sort = request.GET.get("subject"), request.GET.get("period"), request.GET.get("sort")
    today = timezone.localdate()
    lists_students = member.role in STUDENT_ROLES
    context = dashboards.cached(
        (
            "district",
            member.district.name,
            today,
            lists_students,
            tuple(schools.items()),
            subject,
            period,
            sort,
            snapshot_rows,
            measure_rows,
        ),
        lambda: dashboards.district_dashboard(
            district_name=member.district.name,
            snapshot_rows=snapshot_rows,
            measure_rows=measure_rows,
            schools=schools,
            school_url=lambda pk: reverse("score_school_dashboard", args=[pk]),
            subject=subject,
            period=period,
            sort=sort,
            today=today,
            students_url=_students_url() if lists_students else None,
        ),
    )
    exported = _export(request, context, member.district.name)
    if exported is not None:
        return exported
    return render(request, "data_reviews/scores/district_dashboard.html", context)


@member_required(Role.SITE_ADMIN)
def my_school(request: MemberRequest) -> HttpResponse:
    school = selectors.dashboard_schools_for(request.membership).first()
    if school is None:
        raise PermissionDenied("No school is assigned to you yet; ask your district coordinator.")
    return redirect("score_school_dashboard", school.pk)
