"""Data review pages: list, facilitation page, problem history, print and export."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify

from coordinators.models import Role
from coordinators.selectors import schools_for
from data_reviews.models import DataReview, ProblemCheck
from data_reviews.reviews import selectors, services
from data_reviews.reviews.export import review_docx
from data_reviews.reviews.forms import (
    ActionForm,
    CheckForm,
    DashboardSourceForm,
    ProblemForm,
    ReviewFilterForm,
    ReviewForm,
    SourceForm,
    SuccessForm,
)
from mtss.access import MemberRequest, deny, member_required
from mtss.audit.models import AuditAction


@member_required()
def review_list(request: MemberRequest) -> HttpResponse:
    member = request.membership
    schools = list(schools_for(member))
    form = ReviewFilterForm(request.GET or None, schools=schools, with_district=member.sees_whole_district)
    filters: dict = {}
    if form.is_valid():
        school = form.cleaned_data["school"]
        filters = {
            "district_only": school == "district",
            "school_id": int(school) if school and school != "district" else None,
            "held_from": form.cleaned_data["held_from"],
            "held_to": form.cleaned_data["held_to"],
        }
    reviews = selectors.review_list(member, **filters)
    return render(
        request,
        "data_reviews/reviews/review_list.html",
        {"reviews": reviews, "filter_form": form, "can_create": member.is_coordinator},
    )


@member_required(Role.COORDINATOR)
def review_create(request: MemberRequest) -> HttpResponse:
    member = request.membership
    form = ReviewForm(
        request.POST or None, district=member.district, creating=True, initial={"facilitator": request.user}
    )
    if request.method == "POST" and form.is_valid():
        review = services.review_create(member=request.membership, **form.cleaned_data)
        messages.success(request, "Data review created. Add the data you looked at, successes and problems.")
        return redirect("review_detail", pk=review.pk)
    return render(request, "data_reviews/reviews/form.html", {"form": form, "heading": "New data review"})


@member_required(*selectors.EDITOR_ROLES)
def review_edit(request: MemberRequest, pk: int) -> HttpResponse:
    review = selectors.get_review_for_user(request.membership, pk, write=True)
    form = ReviewForm(request.POST or None, instance=review, district=review.district, creating=False)
    if request.method == "POST" and form.is_valid():
        services.review_update(review=review, **form.cleaned_data)
        messages.success(request, "Data review saved.")
        return redirect("review_detail", pk=review.pk)
    return _form_page(request, form, "Edit data review", review)


def _form_page(
    request: HttpRequest, form: object, heading: str, review: object, **extra: object
) -> HttpResponse:
    return render(
        request,
        "data_reviews/reviews/form.html",
        {"form": form, "heading": heading, "review": review, **extra},
    )


@member_required()
def review_detail(request: MemberRequest, pk: int) -> HttpResponse:
    return render(request, "data_reviews/reviews/review_detail.html", _review_context(request, pk))


@member_required()
def review_print(request: MemberRequest, pk: int) -> HttpResponse:
    return render(request, "data_reviews/reviews/review_print.html", _review_context(request, pk))


def _review_context(request: MemberRequest, pk: int) -> dict:
    member = request.membership
    review = selectors.get_review_for_user(member, pk)
    # Each earlier problem with its check at this review, if one is recorded.
    carried = [
        (problem, next((c for c in problem.checks.all() if c.review_id == review.pk), None))
        for problem in selectors.earlier_problems_in_scope(review)
    ]
    return {
        "review": review,
        "sources": list(review.sources.all()),
        "successes": list(review.successes.all()),
        "problems": list(selectors.review_problems(review)),
        "carried": carried,
        "can_edit": selectors.can_edit_reviews(member),
    }


@member_required()
def review_export(request: MemberRequest, pk: int) -> HttpResponse:
    context = _review_context(request, pk)
    review = context["review"]
    response = HttpResponse(
        review_docx(context),
        content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )
    name = slugify(f"{review.held_on:%Y-%m-%d} {review.title} {review.scope_name}")
    response["Content-Disposition"] = f'attachment; filename="{name}.docx"'
    return response


@member_required(*selectors.EDITOR_ROLES)
def review_source_add(request: MemberRequest, pk: int) -> HttpResponse:
    review = selectors.get_review_for_user(request.membership, pk, write=True)
    from_dashboard = request.method == "POST" and "period" in request.POST
    subjects, periods = selectors.dashboard_windows(review)
    dashboard_form = DashboardSourceForm(
        request.POST if from_dashboard else None, subjects=subjects, periods=periods
    )
    form = SourceForm(
        request.POST if request.method == "POST" and not from_dashboard else None,
        initial={"as_of": review.held_on},
    )
    if dashboard_form.is_bound and dashboard_form.is_valid():
        services.source_from_dashboard(
            review=review,
            subject=dashboard_form.cleaned_data["subject"],
            period=dashboard_form.cleaned_data["period"],
            today=timezone.localdate(),
        )
        return redirect(f"{review_url(review)}#data")
    if form.is_bound and form.is_valid():
        services.source_add(review=review, **form.cleaned_data)
        return redirect(f"{review_url(review)}#data")
    return _form_page(
        request, form, "Add the data looked at", review, dashboard_form=dashboard_form if periods else None
    )


@member_required(*selectors.EDITOR_ROLES)
def review_success_add(request: MemberRequest, pk: int) -> HttpResponse:
    review = selectors.get_review_for_user(request.membership, pk, write=True)
    form = SuccessForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.success_add(review=review, text=form.cleaned_data["text"])
        return redirect(f"{review_url(review)}#successes")
    return _form_page(request, form, "Add a success", review)


@member_required(*selectors.EDITOR_ROLES)
def review_problem_add(request: MemberRequest, pk: int) -> HttpResponse:
    review = selectors.get_review_for_user(request.membership, pk, write=True)
    form = ProblemForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "factors"}
        problem = services.problem_create(review=review, factors=form.factor_list(), **data)
        return redirect(f"{review_url(review)}#problem-{problem.pk}")
    return _form_page(request, form, "Add a precise problem statement", review)


@member_required(*selectors.EDITOR_ROLES)
def problem_edit(request: MemberRequest, pk: int) -> HttpResponse:
    problem = selectors.get_problem_for_user(request.membership, pk, write=True)
    form = ProblemForm(request.POST or None, instance=problem, creating=False)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "factors"}
        services.problem_update(problem=problem, factors=form.factor_list(), **data)
        return redirect("problem_detail", pk=problem.pk)
    return _form_page(request, form, "Edit problem statement", problem.review, problem=problem)


def _review_and_problem(request: MemberRequest, pk: int, problem_pk: int) -> tuple:
    member = request.membership
    review = selectors.get_review_for_user(member, pk, write=True)
    problem = selectors.get_problem_for_user(member, problem_pk, write=True)
    if problem.school_id != review.school_id:
        deny(member, action=AuditAction.CHANGE_PROBLEM_STATEMENT, target=problem, status=404)
    return review, problem


@member_required(*selectors.EDITOR_ROLES)
def review_action_add(request: MemberRequest, pk: int, problem_pk: int) -> HttpResponse:
    review, problem = _review_and_problem(request, pk, problem_pk)
    form = ActionForm(request.POST or None, district=review.district)
    if request.method == "POST" and form.is_valid():
        services.action_create(review=review, problem=problem, member=request.membership, **form.cleaned_data)
        messages.success(request, "Action added; it is on the owner's action items.")
        return redirect(f"{review_url(review)}#problem-{problem.pk}")
    return _form_page(request, form, "Add an action to the plan", review, problem=problem)


@member_required(*selectors.EDITOR_ROLES)
def review_check_record(request: MemberRequest, pk: int, problem_pk: int) -> HttpResponse:
    review, problem = _review_and_problem(request, pk, problem_pk)
    if problem.review_id == review.pk or problem.review.held_on > review.held_on:
        deny(request.membership, action=AuditAction.CHECK_PROBLEM_STATEMENT, target=problem, status=404)
    existing = ProblemCheck.objects.filter(problem=problem, review=review).first()
    form = CheckForm(
        request.POST or None,
        instance=existing,
        initial={"resolve": problem.resolved_review_id == review.pk},
    )
    if request.method == "POST" and form.is_valid():
        services.check_record(review=review, problem=problem, member=request.membership, **form.cleaned_data)
        messages.success(request, "Check recorded.")
        return redirect(f"{review_url(review)}#problem-{problem.pk}")
    return _form_page(request, form, "Check a problem carried forward", review, problem=problem)


@member_required()
def problem_detail(request: MemberRequest, pk: int) -> HttpResponse:
    member = request.membership
    problem = selectors.get_problem_for_user(member, pk)
    return render(
        request,
        "data_reviews/reviews/problem_detail.html",
        {
            "problem": problem,
            "factors": list(problem.factors.all()),
            "actions": list(problem.actions.select_related("owner", "review", "action_item")),
            "checks": selectors.problem_history(problem),
            "can_edit": selectors.can_edit_reviews(member),
        },
    )


def review_url(review: DataReview) -> str:
    return reverse("review_detail", args=[review.pk])
