"""The District settings page: coordinators change the settings, executive leaders read them."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render

from coordinators.district_settings import district_settings_for, district_settings_update
from coordinators.district_settings_forms import DistrictSettingsForm
from coordinators.models import Role
from mtss.access import MemberRequest, deny, member_required
from mtss.audit.models import AuditAction


@member_required(Role.COORDINATOR, Role.LEADER)
def district_settings(request: MemberRequest) -> HttpResponse:
    member = request.membership
    if request.method == "POST" and not member.is_coordinator:
        deny(member, action=AuditAction.CHANGE_DISTRICT_SETTINGS, status=403)
    current = district_settings_for(member)
    form = DistrictSettingsForm(
        request.POST or None,
        initial=DistrictSettingsForm.initial_from(current),
        read_only=not member.is_coordinator,
        own_email=member.user.email,
    )
    if request.method == "POST" and form.is_valid():
        changes = district_settings_update(
            member=member,
            data=form.settings_data(),
            windows=form.windows,
            time_targets=form.time_targets,
            request=request,
        )
        messages.success(request, "The settings are saved." if changes else "Nothing had changed.")
        return redirect("district_settings")
    return render(
        request,
        "coordinators/district_settings.html",
        {"form": form, "read_only": not member.is_coordinator, "district": current.district},
    )
