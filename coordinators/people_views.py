"""Pages to invite people from a file (check, preview, send) and to deactivate or change a person."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from coordinators import people
from coordinators.models import Invitation, Role
from coordinators.people_forms import PeopleFileForm, RoleChangeForm
from coordinators.selectors import get_person_for_user
from data_reviews.scores.importing.files import Upload, UploadRefused
from mtss.access import MemberRequest, member_required

# The previewed rows (as typed) wait in the session until the coordinator sends them; they are
# checked again then, so nothing in the session is trusted.
BULK_SESSION_KEY = "people_bulk"


@member_required(Role.COORDINATOR)
def people_bulk(request: MemberRequest) -> HttpResponse:
    member = request.membership
    form = PeopleFileForm(request.POST, request.FILES) if request.method == "POST" else PeopleFileForm()
    preview = None
    if request.method == "POST" and form.is_valid():
        uploaded = form.cleaned_data["people_file"]
        try:
            # The size is checked before the file is read into memory.
            if uploaded.size > people.MAX_BULK_BYTES:
                raise UploadRefused(
                    f"{uploaded.name} is {uploaded.size / 1024:.0f} KB; a staff list may be at most "
                    f"{people.MAX_BULK_BYTES // 1024} KB. Split it and upload the parts."
                )
            preview = people.bulk_read(
                district=member.district, upload=Upload(uploaded.name, uploaded.read())
            )
        except UploadRefused as refusal:
            form.add_error("people_file", str(refusal))
        else:
            request.session[BULK_SESSION_KEY] = {
                "district": member.district_id,
                "file": preview.file_name,
                "entries": preview.entries() if not preview.problems else [],
            }
    context = {"form": form, "preview": preview}
    return render(request, "coordinators/people_bulk.html", context)


@member_required(Role.COORDINATOR)
@require_POST
def people_bulk_send(request: MemberRequest) -> HttpResponse:
    member = request.membership
    kept = request.session.pop(BULK_SESSION_KEY, None) or {}
    if kept.get("district") != member.district_id or not kept.get("entries"):
        messages.info(request, "There is no checked file waiting to be sent. Upload the staff list again.")
        return redirect("people_bulk")
    try:
        invitations = people.people_invite_bulk(member=member, entries=kept["entries"], request=request)
    except people.BulkRefused as refused:
        context = {"form": PeopleFileForm(), "preview": refused.preview, "changed_since_preview": True}
        return render(request, "coordinators/people_bulk.html", context, status=409)
    waiting = sum(1 for i in invitations if i.status == Invitation.Status.AWAITING_CONFIRMATION)
    text = f"{len(invitations) - waiting} invitation{'s' if len(invitations) - waiting != 1 else ''} sent."
    if waiting:
        text += f" {waiting} wait{'s' if waiting == 1 else ''} for an executive leader to confirm the role."
    messages.success(request, text)
    return redirect("person_list")


@member_required(Role.COORDINATOR)
def person_role_change(request: MemberRequest, pk: int) -> HttpResponse:
    member = request.membership
    person = get_person_for_user(member, pk, write=True)
    initial = {"role": person.role, "schools": list(person.schools.all())}
    form = RoleChangeForm(request.POST or None, district=member.district, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            result = people.membership_role_change(
                member=member, person=person, request=request, **form.cleaned_data
            )
        except people.PersonChangeRefused as refusal:
            form.add_error(None, str(refusal))
        else:
            name = person.user.get_full_name()
            if isinstance(result, Invitation):
                messages.success(
                    request,
                    f"The change to {result.get_role_display()} waits for an executive leader to confirm it; "
                    f"then {name} is asked to accept it.",
                )
            else:
                messages.success(request, f"{name} is now {result.get_role_display()}.")
            return redirect("person_detail", person.pk)
    return render(request, "coordinators/person_role.html", {"form": form, "person": person})


@member_required(Role.COORDINATOR)
@require_POST
def person_deactivate(request: MemberRequest, pk: int) -> HttpResponse:
    member = request.membership
    person = get_person_for_user(member, pk, write=True)
    try:
        people.membership_deactivate(member=member, person=person, request=request)
    except people.PersonChangeRefused as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(request, f"{person.user.get_full_name()} is deactivated: their work stays.")
    return redirect("person_detail", person.pk)


@member_required(Role.COORDINATOR)
@require_POST
def person_reactivate(request: MemberRequest, pk: int) -> HttpResponse:
    member = request.membership
    person = get_person_for_user(member, pk, write=True)
    try:
        result = people.membership_reactivate(member=member, person=person, request=request)
    except people.PersonChangeRefused as refusal:
        messages.error(request, str(refusal))
    else:
        name = person.user.get_full_name()
        if isinstance(result, Invitation):
            messages.success(
                request,
                f"{name}'s return as {result.get_role_display()} waits for a leader to confirm it.",
            )
        else:
            messages.success(request, f"{name} is active again.")
    return redirect("person_detail", person.pk)
