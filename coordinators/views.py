"""Home, district switcher, people and schools pages."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from coordinators import selectors, services
from coordinators.forms import InvitePersonForm
from coordinators.models import Role
from mtss.access import member_required
from mtss.navigation import home_panels


@member_required()
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "coordinators/home.html", {"panels": home_panels(request)})


@login_required
def no_district(request: HttpRequest) -> HttpResponse:
    if request.membership is not None:
        return redirect("home")
    return render(request, "coordinators/no_district.html", status=403)


@login_required
@require_POST
def district_switch(request: HttpRequest) -> HttpResponse:
    try:
        district_id = int(request.POST.get("district", ""))
    except ValueError:
        district_id = 0
    membership = services.district_switch(request=request, district_id=district_id)
    if membership is None:
        messages.error(request, "You have no role in that district.")
    else:
        messages.success(request, f"You are now working in {membership.district.name}.")
    return redirect("home")


@member_required()
def school_list(request: HttpRequest) -> HttpResponse:
    schools = selectors.schools_for(request.membership)
    return render(request, "coordinators/school_list.html", {"schools": schools})


@member_required()
def school_detail(request: HttpRequest, pk: int) -> HttpResponse:
    school = selectors.get_school_for_user(request.membership, pk)
    admins = school.site_admins.filter(active=True).select_related("user")
    return render(request, "coordinators/school_detail.html", {"school": school, "site_admins": admins})


@member_required(Role.COORDINATOR, Role.LEADER, Role.MEMBER)
def person_list(request: HttpRequest) -> HttpResponse:
    people = selectors.people_for(request.membership)
    return render(request, "coordinators/person_list.html", {"people": people})


@member_required(Role.COORDINATOR, Role.LEADER, Role.MEMBER)
def person_detail(request: HttpRequest, pk: int) -> HttpResponse:
    person = selectors.get_person_for_user(request.membership, pk)
    return render(request, "coordinators/person_detail.html", {"person": person})


@member_required(Role.COORDINATOR)
def person_invite(request: HttpRequest) -> HttpResponse:
    district = request.membership.district
    form = InvitePersonForm(request.POST or None, district=district)
    if request.method == "POST" and form.is_valid():
        try:
            membership = services.person_invite(
                district=district, invited_by=request.user, **form.cleaned_data
            )
        except services.PersonAlreadyInDistrict as error:
            form.add_error("email", str(error))
        else:
            messages.success(request, f"Invitation sent to {membership.user.email}.")
            return redirect("person_detail", pk=membership.pk)
    return render(request, "coordinators/person_invite.html", {"form": form})
