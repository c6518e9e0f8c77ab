"""Pages for the plan, capacity assessments, barriers, initiatives and the practice library."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.forms import BaseForm
from django.http import FileResponse, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from coordinators.models import Role
from implementation_plans.models import CapacityAssessment, Initiative, PlanActivity, Practice
from implementation_plans.models.plan import CAPACITY_SCORE_MEANINGS
from implementation_plans.plan import forms, selectors, services
from mtss.access import MemberRequest, member_required


def _data(form: BaseForm) -> dict:
    return dict(form.cleaned_data)


# --- Plan ---------------------------------------------------------------------------------------


def _table_labels(activities: list, today: date) -> None:
    """Dates as the plan table shows them, and whether each row is overdue.

    Formatted here with strftime: Django's `date` filter, three times a row, was a tenth of the page.
    """
    for activity in activities:
        activity.start_label = activity.start_date.strftime("%b %-d")
        activity.due_label = activity.due_date.strftime("%b %-d, %Y")
        activity.evaluate_label = (
            activity.evaluate_date.strftime("%b %-d, %Y") if activity.evaluate_date else ""
        )
        activity.overdue_now = selectors.is_overdue(activity, today)


@member_required(*Role.district_staff())
def plan_list(request: MemberRequest) -> HttpResponse:
    member = request.membership
    today = selectors.district_today(member)
    filter_form = forms.PlanFilterForm(request.GET or None, district=member.district)
    filters = selectors.PlanFilters()
    if filter_form.is_valid():
        filters = selectors.PlanFilters(
            owner=filter_form.cleaned_data["owner"],
            status=filter_form.cleaned_data["status"],
            overdue=filter_form.cleaned_data["overdue"],
        )
    activities = selectors.filtered_activities(member, filters, today)
    groups = selectors.group_by_goal(member, activities)
    for group in groups:
        _table_labels(group.activities, today)
    return render(
        request,
        "implementation_plans/plan/plan_list.html",
        {"groups": groups, "filter_form": filter_form, "today": today, "filtered": filter_form.is_bound},
    )


@member_required(*Role.district_staff())
def plan_timeline(request: MemberRequest) -> HttpResponse:
    member = request.membership
    today = selectors.district_today(member)
    activities = list(selectors.activities_for(member))
    payload = selectors.timeline_payload(activities, today)
    return render(
        request,
        "implementation_plans/plan/plan_timeline.html",
        {"payload": payload, "rows": payload["activities"], "today": today},
    )


@member_required(Role.COORDINATOR)
def plan_goal_create(request: MemberRequest) -> HttpResponse:
    form = forms.GoalForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.goal_create(member=request.membership, **_data(form))
        messages.success(request, "Goal added to the plan.")
        return redirect("plan_list")
    return render(request, "implementation_plans/plan/form.html", {"form": form, "title": "Add a plan goal"})


@member_required(Role.COORDINATOR)
def plan_goal_edit(request: MemberRequest, pk: int) -> HttpResponse:
    goal = selectors.get_goal_for_user(request.membership, pk, write=True)
    form = forms.GoalForm(request.POST or None, instance=goal)
    if request.method == "POST" and form.is_valid():
        services.goal_update(member=request.membership, goal=goal, **_data(form))
        messages.success(request, "Goal saved.")
        return redirect("plan_list")
    return render(request, "implementation_plans/plan/form.html", {"form": form, "title": "Edit goal"})


@member_required(Role.COORDINATOR)
def plan_activity_create(request: MemberRequest) -> HttpResponse:
    member = request.membership
    today = selectors.district_today(member)
    initial = {"start_date": today, "goal": request.GET.get("goal")}
    form = forms.ActivityForm(request.POST or None, district=member.district, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = _data(form)
        activity = services.activity_create(member=member, **data)
        messages.success(request, "Activity added to the plan.")
        return redirect("plan_activity_detail", pk=activity.pk)
    return render(
        request, "implementation_plans/plan/form.html", {"form": form, "title": "Add a plan activity"}
    )


@member_required(*Role.district_staff())
def plan_activity_detail(request: MemberRequest, pk: int) -> HttpResponse:
    member = request.membership
    activity = selectors.get_activity_for_user(member, pk)
    can_update = selectors.can_add_progress(member, activity)
    form = (
        forms.ProgressForm(initial={"recorded_on": selectors.district_today(member)}) if can_update else None
    )
    return render(
        request,
        "implementation_plans/plan/activity_detail.html",
        {
            "activity": activity,
            "history": selectors.progress_history(activity),
            "progress_form": form,
            "overdue": selectors.is_overdue(activity, selectors.district_today(member)),
        },
    )


@member_required(Role.COORDINATOR)
def plan_activity_edit(request: MemberRequest, pk: int) -> HttpResponse:
    member = request.membership
    activity = selectors.get_activity_for_user(member, pk, write=True)
    form = forms.ActivityForm(request.POST or None, instance=activity, district=member.district)
    if request.method == "POST" and form.is_valid():
        services.activity_update(member=member, activity=activity, **_data(form))
        messages.success(request, "Activity saved.")
        return redirect("plan_activity_detail", pk=activity.pk)
    return render(
        request, "implementation_plans/plan/form.html", {"form": form, "title": f"Edit “{activity.title}”"}
    )


@member_required(Role.COORDINATOR, Role.MEMBER)
@require_POST
def plan_progress_add(request: MemberRequest, pk: int) -> HttpResponse:
    member = request.membership
    activity = selectors.get_activity_for_progress(member, pk)
    form = forms.ProgressForm(request.POST)
    if form.is_valid():
        services.progress_add(member=member, activity=activity, **_data(form))
        messages.success(request, "Progress update added.")
        return redirect("plan_activity_detail", pk=activity.pk)
    return render(
        request,
        "implementation_plans/plan/activity_detail.html",
        {
            "activity": activity,
            "history": selectors.progress_history(activity),
            "progress_form": form,
            "overdue": selectors.is_overdue(activity, selectors.district_today(member)),
        },
        status=400,
    )


# --- Capacity assessments -----------------------------------------------------------------------


@member_required()
def capacity_list(request: MemberRequest) -> HttpResponse:
    member = request.membership
    assessments = list(selectors.assessments_for(member))
    dca = [a for a in assessments if a.instrument == CapacityAssessment.Instrument.DCA]
    tfi = [a for a in assessments if a.instrument == CapacityAssessment.Instrument.TFI]
    return render(
        request,
        "implementation_plans/plan/capacity_list.html",
        {
            "dca": dca,
            "tfi": tfi,
            "dca_rows": selectors.with_percents(dca),
            "tfi_rows": selectors.with_percents(tfi),
            "trend": selectors.trend(dca),
            "tfi_trend": selectors.trend(tfi),
        },
    )


@member_required(Role.COORDINATOR)
def capacity_create(request: MemberRequest) -> HttpResponse:
    member = request.membership
    form = forms.AssessmentForm(
        request.POST or None,
        district=member.district,
        initial={"administered_on": selectors.district_today(member)},
    )
    if request.method == "POST" and form.is_valid():
        assessment = services.assessment_create(member=member, **_data(form))
        messages.success(request, "Administration recorded. Add or score its items below.")
        return redirect("capacity_detail", pk=assessment.pk)
    return render(
        request,
        "implementation_plans/plan/form.html",
        {"form": form, "title": "Record a capacity assessment"},
    )


@member_required()
def capacity_detail(request: MemberRequest, pk: int) -> HttpResponse:
    member = request.membership
    write = request.method == "POST"
    assessment = selectors.get_assessment_for_user(member, pk, write=write)
    items = list(assessment.items.all())
    if write:
        scores_form = forms.ItemScoresForm(request.POST, items=items)
        if scores_form.is_valid():
            services.items_score(member=member, assessment=assessment, scores=scores_form.scores())
            messages.success(request, "Scores saved.")
            return redirect("capacity_detail", pk=assessment.pk)
        for error in scores_form.messages():
            messages.error(request, error)
    linked = selectors.activities_for(member).filter(capacity_item__assessment=assessment)
    links: dict[int, list[PlanActivity]] = {}
    for activity in linked:
        # Filtered by its item's administration, so every activity here has an item.
        if activity.capacity_item_id is not None:
            links.setdefault(activity.capacity_item_id, []).append(activity)
    subscales = selectors.subscales(items)
    points = sum(i.score for i in items if i.score is not None)
    scored = sum(1 for i in items if i.score is not None)
    return render(
        request,
        "implementation_plans/plan/capacity_detail.html",
        {
            "assessment": assessment,
            "items": [(item, links.get(item.pk, [])) for item in items],
            "subscales": subscales,
            "total": selectors.percent(points, scored),
            "item_form": forms.ItemForm() if member.is_coordinator else None,
            "score_meanings": CAPACITY_SCORE_MEANINGS.items(),
        },
    )


@member_required(Role.COORDINATOR)
@require_POST
def capacity_item_add(request: MemberRequest, pk: int) -> HttpResponse:
    assessment = selectors.get_assessment_for_user(request.membership, pk, write=True)
    form = forms.ItemForm(request.POST)
    if form.is_valid():
        services.item_add(member=request.membership, assessment=assessment, **_data(form))
        messages.success(request, "Item added.")
    else:
        messages.error(request, "Give the item's wording and its subscale.")
    return redirect("capacity_detail", pk=assessment.pk)


@member_required(Role.COORDINATOR)
@require_POST
def capacity_item_activity(request: MemberRequest, pk: int) -> HttpResponse:
    member = request.membership
    item = selectors.get_item_for_user(member, pk, write=True)
    if not item.is_low:
        messages.error(request, "Only items scored 0 or 1 become plan activities.")
        return redirect("capacity_detail", pk=item.assessment_id)
    activity = services.activity_from_item(member=member, item=item, today=selectors.district_today(member))
    messages.success(request, "Plan activity created from the item. Choose its owner and due date.")
    return redirect("plan_activity_edit", pk=activity.pk)


# --- Barriers -----------------------------------------------------------------------------------


@member_required(*Role.district_staff())
def barrier_list(request: MemberRequest) -> HttpResponse:
    member = request.membership
    status = request.GET.get("status", "")
    barriers = selectors.barriers_for(member)
    if status in {"open", "escalated", "resolved"}:
        barriers = barriers.filter(status=status)
    return render(
        request,
        "implementation_plans/plan/barrier_list.html",
        {"barriers": barriers, "status": status, "protocols": selectors.protocols_for(member)},
    )


@member_required(*Role.district_staff())
def barrier_escalated(request: MemberRequest) -> HttpResponse:
    return render(
        request,
        "implementation_plans/plan/barrier_escalated.html",
        {"barriers": selectors.escalated_barriers(request.membership)},
    )


@member_required(Role.COORDINATOR, Role.MEMBER)
def barrier_create(request: MemberRequest) -> HttpResponse:
    member = request.membership
    form = forms.BarrierForm(
        request.POST or None,
        district=member.district,
        initial={"raised_on": selectors.district_today(member)},
    )
    if request.method == "POST" and form.is_valid():
        barrier = services.barrier_create(member=member, raised_by=request.user, **_data(form))
        messages.success(request, "Barrier logged.")
        return redirect("barrier_detail", pk=barrier.pk)
    return render(request, "implementation_plans/plan/form.html", {"form": form, "title": "Log a barrier"})


@member_required(*Role.district_staff())
def barrier_detail(request: MemberRequest, pk: int) -> HttpResponse:
    member = request.membership
    barrier = selectors.get_barrier_for_user(member, pk)
    return render(
        request,
        "implementation_plans/plan/barrier_detail.html",
        {
            "barrier": barrier,
            "escalate_form": forms.EscalateForm() if member.is_coordinator else None,
            "decision_form": forms.DecisionForm() if selectors.can_decide(member, barrier) else None,
        },
    )


@member_required(Role.COORDINATOR)
def barrier_edit(request: MemberRequest, pk: int) -> HttpResponse:
    member = request.membership
    barrier = selectors.get_barrier_for_user(member, pk, write=True)
    form = forms.BarrierForm(request.POST or None, instance=barrier, district=member.district)
    if request.method == "POST" and form.is_valid():
        services.barrier_update(member=member, barrier=barrier, **_data(form))
        messages.success(request, "Barrier saved.")
        return redirect("barrier_detail", pk=barrier.pk)
    return render(request, "implementation_plans/plan/form.html", {"form": form, "title": "Edit barrier"})


@member_required(Role.COORDINATOR)
@require_POST
def barrier_escalate(request: MemberRequest, pk: int) -> HttpResponse:
    member = request.membership
    barrier = selectors.get_barrier_for_user(member, pk, write=True)
    form = forms.EscalateForm(request.POST)
    if form.is_valid():
        services.barrier_escalate(
            member=member,
            barrier=barrier,
            reason=form.cleaned_data["reason"],
            today=selectors.district_today(member),
        )
        messages.success(request, "Escalated to the executive leader.")
    else:
        messages.error(request, "Say why the executive leader is needed.")
    return redirect("barrier_detail", pk=barrier.pk)


@member_required(Role.LEADER)
@require_POST
def barrier_decide(request: MemberRequest, pk: int) -> HttpResponse:
    member = request.membership
    barrier = selectors.get_barrier_to_decide(member, pk)
    form = forms.DecisionForm(request.POST)
    if form.is_valid():
        services.barrier_decide(
            member=member,
            barrier=barrier,
            decision=form.cleaned_data["decision"],
            resolved=form.cleaned_data["resolved"],
            today=selectors.district_today(member),
        )
        messages.success(request, "Decision recorded. The coordinator has been told.")
    else:
        messages.error(request, "Write the decision before recording it.")
    return redirect("barrier_detail", pk=barrier.pk)


@member_required(Role.COORDINATOR)
def protocol_create(request: MemberRequest) -> HttpResponse:
    member = request.membership
    form = forms.ProtocolForm(request.POST or None, district=member.district)
    if request.method == "POST" and form.is_valid():
        services.protocol_create(member=member, **_data(form))
        messages.success(request, "Communication protocol entry added.")
        return redirect("barrier_list")
    return render(
        request,
        "implementation_plans/plan/form.html",
        {"form": form, "title": "Add a communication protocol entry"},
    )


# --- Initiatives --------------------------------------------------------------------------------


@member_required(*Role.district_staff())
def initiative_list(request: MemberRequest) -> HttpResponse:
    initiatives = list(selectors.initiatives_for(request.membership))
    found = selectors.overlaps(initiatives)
    rows = [(initiative, found.get(initiative.pk, [])) for initiative in initiatives]
    return render(request, "implementation_plans/plan/initiative_list.html", {"initiatives": rows})


@member_required(*Role.district_staff())
def initiative_alignment(request: MemberRequest) -> HttpResponse:
    initiatives = list(
        selectors.initiatives_for(request.membership).order_by("goal__order", "target_group", "name")
    )
    found = selectors.overlaps(initiatives)
    rows: dict[tuple[str, str], list[tuple[Initiative, list[tuple[Initiative, str]]]]] = {}
    for initiative in initiatives:
        goal = initiative.goal.title if initiative.goal is not None else "No linked goal"
        rows.setdefault((goal, initiative.target_group or "No target group"), []).append(
            (initiative, found.get(initiative.pk, []))
        )
    return render(
        request,
        "implementation_plans/plan/initiative_alignment.html",
        {
            "rows": [(goal, group, items) for (goal, group), items in rows.items()],
            "overlap_count": len(found),
        },
    )


@member_required(*Role.district_staff())
def initiative_detail(request: MemberRequest, pk: int) -> HttpResponse:
    member = request.membership
    initiative = selectors.get_initiative_for_user(member, pk)
    others = list(selectors.initiatives_for(member))
    overlaps = selectors.overlaps(others).get(initiative.pk, [])
    return render(
        request,
        "implementation_plans/plan/initiative_detail.html",
        {"initiative": initiative, "overlaps": overlaps},
    )


@member_required(Role.COORDINATOR)
def initiative_edit(request: MemberRequest, pk: int | None = None) -> HttpResponse:
    member = request.membership
    initiative = selectors.get_initiative_for_user(member, pk, write=True) if pk else None
    form = forms.InitiativeForm(request.POST or None, instance=initiative, district=member.district)
    if request.method == "POST" and form.is_valid():
        saved = services.initiative_save(member=member, initiative=initiative, **_data(form))
        messages.success(request, "Initiative saved.")
        return redirect("initiative_detail", pk=saved.pk)
    title = f"Edit “{initiative.name}”" if initiative else "Add an initiative"
    return render(request, "implementation_plans/plan/form.html", {"form": form, "title": title})


# --- Practices ----------------------------------------------------------------------------------


@member_required()
def practice_list(request: MemberRequest) -> HttpResponse:
    q = {k: request.GET.get(k, "").strip()[:100] for k in ("text", "domain", "tier", "grouping")}
    practices = selectors.search_practices(request.membership, **q)
    return render(
        request,
        "implementation_plans/plan/practice_list.html",
        {"practices": practices, "q": q, "groupings": Practice.Grouping.choices},
    )


@member_required()
def practice_detail(request: MemberRequest, pk: int) -> HttpResponse:
    practice = selectors.get_practice_for_user(request.membership, pk)
    return _practice_page(request, practice, forms.PracticeFileForm())


def _practice_page(
    request: MemberRequest, practice: Practice, file_form: forms.PracticeFileForm
) -> HttpResponse:
    activities = selectors.activities_for(request.membership).filter(practice=practice)
    return render(
        request,
        "implementation_plans/plan/practice_detail.html",
        {
            "practice": practice,
            "activities": activities,
            "files": practice.files.all(),
            "file_form": file_form,
        },
        status=400 if file_form.errors else 200,
    )


@require_POST
@member_required(Role.COORDINATOR)
def practice_file_upload(request: MemberRequest, pk: int) -> HttpResponse:
    practice = selectors.get_practice_for_user(request.membership, pk, write=True)
    form = forms.PracticeFileForm(request.POST, request.FILES)
    if not form.is_valid():
        return _practice_page(request, practice, form)
    stored = services.practice_file_add(
        member=request.membership,
        practice=practice,
        upload=form.cleaned_data["file"],
        content_type=form.content_type,
    )
    messages.success(request, f"“{stored.original_name}” added to the resources.")
    return redirect("practice_detail", pk=practice.pk)


@member_required()
def practice_file_download(request: MemberRequest, pk: int) -> FileResponse:
    stored = selectors.get_practice_file_for_user(request.membership, pk)
    response = FileResponse(
        stored.file.open("rb"),
        as_attachment=True,
        filename=stored.original_name,
        content_type=stored.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_POST
@member_required(Role.COORDINATOR)
def practice_file_delete(request: MemberRequest, pk: int) -> HttpResponse:
    stored = selectors.get_practice_file_for_user(request.membership, pk, write=True)
    practice_pk, name = stored.practice_id, stored.original_name
    services.practice_file_delete(member=request.membership, stored=stored)
    messages.success(request, f"“{name}” removed from the resources.")
    return redirect("practice_detail", pk=practice_pk)


@member_required(Role.COORDINATOR)
def practice_edit(request: MemberRequest, pk: int | None = None) -> HttpResponse:
    member = request.membership
    practice = selectors.get_practice_for_user(member, pk, write=True) if pk else None
    form = forms.PracticeForm(request.POST or None, instance=practice, district=member.district)
    if request.method == "POST" and form.is_valid():
        saved = services.practice_save(member=member, practice=practice, **_data(form))
        messages.success(request, "Practice saved.")
        return redirect("practice_detail", pk=saved.pk)
    title = f"Edit “{practice.name}”" if practice else "Add a practice"
    return render(request, "implementation_plans/plan/form.html", {"form": form, "title": title})
