"""The operator's console: every district with its size, a new district, suspending and reactivating.

Only the installation's operator (a superuser) reaches these pages; to anyone else they do not exist.
"""

from __future__ import annotations

import zoneinfo
from typing import Any

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from coordinators import operator
from coordinators.lifecycle_views import operator_required
from coordinators.models import District, DistrictExport, Membership, User
from mtss.access import deny
from mtss.audit.models import AuditAction


class OperatorRequest(HttpRequest):
    """What a view behind `operator_required` receives: the signed-in operator. For annotations only."""

    user: User
    membership: Membership | None


COMMON_TIME_ZONES = [
    "America/New_York",
    "America/Chicago",
    "America/Denver",
    "America/Phoenix",
    "America/Los_Angeles",
    "America/Anchorage",
    "Pacific/Honolulu",
]


def time_zone_choices() -> list[tuple[str, str]]:
    """The United States' zones first, then every other zone name."""
    others = sorted(zoneinfo.available_timezones() - set(COMMON_TIME_ZONES))
    return [(zone, zone) for zone in COMMON_TIME_ZONES + others]


class DistrictCreateForm(forms.Form):
    name = forms.CharField(label="District name", max_length=200)
    slug = forms.SlugField(
        label="Short name (slug)",
        max_length=50,
        help_text="Lower-case letters, digits and hyphens, e.g. maple-valley. The district does not see it.",
    )
    time_zone = forms.ChoiceField(label="Time zone", choices=time_zone_choices, initial="America/Chicago")
    coordinator_name = forms.CharField(label="First coordinator's name", max_length=150)
    coordinator_email = forms.EmailField(
        label="First coordinator's email",
        help_text="They get an invitation by email; nothing is granted until they accept it.",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", "Create the district and invite its coordinator"))

    def clean_slug(self) -> str:
        slug = self.cleaned_data["slug"].strip().lower()
        if District.objects.filter(slug=slug).exists():
            raise forms.ValidationError(
                f"Another district already has the short name {slug}; choose another."
            )
        return slug


@operator_required
def operator_districts(request: OperatorRequest) -> HttpResponse:
    districts = list(operator.districts_overview())
    latest: dict[int, DistrictExport] = {}
    for export in DistrictExport.objects.select_related("district").order_by(
        "district_id", "-created_at", "-pk"
    ):
        latest.setdefault(export.district_id, export)
    rows = [(district, latest.get(district.pk)) for district in districts]
    return render(request, "coordinators/operator_districts.html", {"rows": rows})


@operator_required
def operator_district_new(request: OperatorRequest) -> HttpResponse:
    form = DistrictCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            created = operator.district_create(operator=request.user, request=request, **form.cleaned_data)
        except operator.DistrictSlugTaken as error:
            form.add_error("slug", str(error))
        else:
            messages.success(
                request,
                f"{created.district.name} is created. {created.invitation.email} has been invited as its "
                "District Coordinator.",
            )
            return redirect("operator_districts")
    return render(request, "coordinators/operator_district_new.html", {"form": form})


def _district_or_404(request: OperatorRequest, pk: int, action: AuditAction) -> District:
    try:
        return District.objects.get(pk=pk)
    except District.DoesNotExist:
        deny(request.membership, action=action, status=404)
        raise


@operator_required
def operator_district_suspend(request: OperatorRequest, pk: int) -> HttpResponse:
    """A confirmation page first: suspending stops a whole district's work."""
    district = _district_or_404(request, pk, AuditAction.SUSPEND_DISTRICT)
    if request.method == "POST":
        operator.district_suspend(operator=request.user, district=district, request=request)
        messages.success(
            request, f"{district.name} is suspended. Its people see that their access is paused."
        )
        return redirect("operator_districts")
    return render(request, "coordinators/operator_district_suspend.html", {"district": district})


@require_POST
@operator_required
def operator_district_reactivate(request: OperatorRequest, pk: int) -> HttpResponse:
    district = _district_or_404(request, pk, AuditAction.REACTIVATE_DISTRICT)
    operator.district_reactivate(operator=request.user, district=district, request=request)
    messages.success(request, f"{district.name} is active again.")
    return redirect("operator_districts")
