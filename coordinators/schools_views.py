"""Pages to add, edit, deactivate and reactivate a school."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from coordinators import schools as school_services
from coordinators.models import Role
from coordinators.schools_forms import SchoolForm
from coordinators.selectors import get_school_for_user
from coordinators.services import SchoolCodeTaken
from data_reviews.models import ImportBatch
from data_reviews.scores.selectors import get_import_batch_for_user
from mtss.access import MemberRequest, member_required

# The import a school is added for travels as ?import=<pk>&name=<the name in the file>, and in the
# form's POST the same way, so the coordinator lands back on that import.
IMPORT_PARAMETER = "import"
NAME_PARAMETER = "name"


def _import_batch(request: MemberRequest) -> ImportBatch | None:
    pk = request.POST.get(IMPORT_PARAMETER) or request.GET.get(IMPORT_PARAMETER)
    if not pk:
        return None
    return get_import_batch_for_user(request.membership, pk, write=True)


@member_required(Role.COORDINATOR)
def school_add(request: MemberRequest) -> HttpResponse:
    member = request.membership
    batch = _import_batch(request)
    source_name = (request.POST.get(NAME_PARAMETER) or request.GET.get(NAME_PARAMETER, "")).strip()[:200]
    form = SchoolForm(
        request.POST or None, district=member.district, submit="Add the school", initial={"name": source_name}
    )
    if request.method == "POST" and form.is_valid():
        try:
            school = school_services.school_add(
                member=member,
                import_batch=batch,
                source_name=source_name if batch is not None else "",
                request=request,
                **form.cleaned_data,
            )
        except SchoolCodeTaken as taken:
            form.add_error("code", str(taken))
        except school_services.PrincipalNotInDistrict as refusal:
            form.add_error("principal", str(refusal))
        else:
            if batch is not None:
                messages.success(request, f"{school} was added; the file is being checked again.")
                return redirect("score_import_detail", batch.pk)
            messages.success(request, f"{school} was added to the district.")
            return redirect("school_list")
    context = {"form": form, "batch": batch, "source_name": source_name}
    return render(request, "coordinators/school_form.html", context)


@member_required(Role.COORDINATOR)
def school_edit(request: MemberRequest, pk: int) -> HttpResponse:
    member = request.membership
    school = get_school_for_user(member, pk, write=True)
    form = SchoolForm(
        request.POST or None,
        district=member.district,
        submit="Save the school",
        initial=SchoolForm.initial_for(school),
    )
    if request.method == "POST" and form.is_valid():
        try:
            school_services.school_update(
                member=member, school=school, data=form.cleaned_data, request=request
            )
        except SchoolCodeTaken as taken:
            form.add_error("code", str(taken))
        except school_services.PrincipalNotInDistrict as refusal:
            form.add_error("principal", str(refusal))
        else:
            messages.success(request, f"{form.cleaned_data['name']} is saved.")
            return redirect("school_list")
    return render(request, "coordinators/school_form.html", {"form": form, "school": school})


@member_required(Role.COORDINATOR)
@require_POST
def school_deactivate(request: MemberRequest, pk: int) -> HttpResponse:
    school = get_school_for_user(request.membership, pk, write=True)
    school_services.school_deactivate(member=request.membership, school=school, request=request)
    messages.success(
        request, f"{school} is deactivated: it is listed apart and kept with everything recorded for it."
    )
    return redirect("school_list")


@member_required(Role.COORDINATOR)
@require_POST
def school_reactivate(request: MemberRequest, pk: int) -> HttpResponse:
    school = get_school_for_user(request.membership, pk, write=True)
    school_services.school_reactivate(member=request.membership, school=school, request=request)
    messages.success(request, f"{school} is active again.")
    return redirect("school_list")
