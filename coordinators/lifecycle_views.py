"""Pages for a district's data lifecycle: exports (coordinators and the operator), deleting a district
(the operator only). The operator is the installation's superuser, who may have no role in any district.
"""

from __future__ import annotations

from functools import wraps
from typing import Any

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.db.models import QuerySet
from django.http import FileResponse, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from coordinators import lifecycle
from coordinators.models import District, DistrictExport, Role
from mtss.access import (
    DistrictRequest,
    MemberRequest,
    SignedInRequest,
    View,
    deny,
    get_scoped_or_404,
    member_required,
)
from mtss.audit.models import AuditAction, opening

EXPORTS_SHOWN = 10


def operator_required(view: View) -> View:
    """Only the installation's operator (a superuser); to anyone else the page does not exist."""

    @wraps(view)
    def wrapper(request: DistrictRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not request.user.is_superuser:
            deny(
                request.membership,
                action=opening(request.resolver_match.view_name if request.resolver_match else request.path),
                status=404,
            )
        return view(request, *args, **kwargs)

    return wrapper


def coordinator_or_operator(view: View) -> View:
    """A coordinator of the current district, or the operator (who may have no district)."""
    coordinator_view = member_required(Role.COORDINATOR)(view)

    @wraps(view)
    def wrapper(request: DistrictRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if request.user.is_authenticated and request.user.is_superuser:
            return view(request, *args, **kwargs)
        return coordinator_view(request, *args, **kwargs)

    return wrapper


def exports_for(request: SignedInRequest) -> QuerySet[DistrictExport]:
    """The operator sees every district's exports; a coordinator their current district's."""
    exports = DistrictExport.objects.select_related("district")
    if request.user.is_superuser:
        return exports
    if request.membership is None:  # coordinator_or_operator lets no one else in
        return exports.none()
    return exports.filter(district=request.membership.district)


def get_export_for_user(request: SignedInRequest, pk: int) -> DistrictExport:
    return get_scoped_or_404(exports_for(request), pk, request.membership)


# --- Exports ------------------------------------------------------------------------------------


@member_required(Role.COORDINATOR)
def district_exports(request: MemberRequest) -> HttpResponse:
    if request.method == "POST":
        lifecycle.district_export_request(member=request.membership, request=request)
        messages.success(
            request, "The export has started. It may take a few minutes; this page shows its progress."
        )
        return redirect("district_exports")
    context = {"exports": exports_for(request)[:EXPORTS_SHOWN], "keep_days": lifecycle.EXPORT_KEEP_DAYS}
    return render(request, "coordinators/district_exports.html", context)


@coordinator_or_operator
def district_export_progress(request: SignedInRequest, pk: int) -> HttpResponse:
    export = get_export_for_user(request, pk)
    response = render(request, "coordinators/_export_progress.html", {"export": export})
    if not export.is_running and request.GET.get("was") == "running":
        response["HX-Refresh"] = "true"
    return response


@coordinator_or_operator
def district_export_download(request: SignedInRequest, pk: int) -> HttpResponseBase:
    export = get_export_for_user(request, pk)
    path = lifecycle.exports_dir() / export.file_path if export.file_path else None
    if export.status != DistrictExport.Status.READY or path is None or not path.is_file():
        messages.error(request, "That export is not ready or has been deleted. Ask for a new one.")
        return redirect("operator_districts" if request.user.is_superuser else "district_exports")
    lifecycle.district_export_downloaded(person=request.user, export=export, request=request)
    return FileResponse(
        path.open("rb"), as_attachment=True, filename=export.file_name, content_type="application/zip"
    )


# --- The operator's pages -------------------------------------------------------------------------


@require_POST
@operator_required
def operator_district_export(request: SignedInRequest, pk: int) -> HttpResponse:
    district = District.objects.filter(pk=pk).first()
    if district is None:
        deny(request.membership, action=AuditAction.EXPORT_DISTRICT, status=404)
    lifecycle.district_export_request_as_operator(operator=request.user, district=district, request=request)
    messages.success(request, f"The export of {district.name} has started.")
    return redirect("operator_districts")


class DistrictDeleteForm(forms.Form):
    slug = forms.CharField(label="Type the district's short name (slug) to confirm", max_length=50)

    def __init__(self, *args: Any, district: District, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.district = district
        self.helper = FormHelper()
        self.helper.add_input(
            Submit("submit", f"Delete {district.name} and everything in it", css_class="btn-danger")
        )

    def clean_slug(self) -> str:
        slug = self.cleaned_data["slug"].strip()
        if slug != self.district.slug:
            raise forms.ValidationError(f"Type {self.district.slug} exactly to confirm; nothing was deleted.")
        return slug


@operator_required
def operator_district_delete(request: SignedInRequest, pk: int) -> HttpResponse:
    district = District.objects.filter(pk=pk).first()
    if district is None:
        deny(request.membership, action=AuditAction.DELETE_DISTRICT, status=404)
    form = DistrictDeleteForm(request.POST or None, district=district)
    if request.method == "POST" and form.is_valid():
        lifecycle.district_delete(operator=request.user, district=district, request=request)
        messages.success(request, f"{district.name} and everything in it were deleted.")
        return redirect("operator_districts")
    context = {"district": district, "form": form, "contents": lifecycle.district_contents(district)}
    return render(request, "coordinators/operator_district_delete.html", context)
