"""Pages of the monthly MTSS updates: the archive, an update, the editor and the send step."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from coordinators import updates
from coordinators.models import CommunicationUpdate, Role
from coordinators.updates_forms import UpdateDraftForm, UpdateForm
from implementation_plans.processes.text import render_markdown
from mtss.access import MemberRequest, member_required

ARCHIVE_LIMIT = 120


@member_required(*Role.coordination_roles(), Role.SCHOOL_STAFF)
def update_list(request: MemberRequest) -> HttpResponse:
    member = request.membership
    rows = list(updates.updates_for(member)[:ARCHIVE_LIMIT])
    context = {
        "sent": [u for u in rows if u.is_sent],
        "drafts": [u for u in rows if not u.is_sent],
        "archive_limit": ARCHIVE_LIMIT,
    }
    if member.is_coordinator:
        context["draft_form"] = UpdateDraftForm(member=member)
        context["plan"] = updates.communication_plan(member)
    return render(request, "coordinators/updates/update_list.html", context)


@member_required(Role.COORDINATOR)
@require_POST
def update_new(request: MemberRequest) -> HttpResponse:
    member = request.membership
    form = UpdateDraftForm(request.POST, member=member)
    if not form.is_valid():
        messages.error(request, "Choose one of the months offered to draft an update.")
        return redirect("update_list")
    month = form.cleaned_data["month"]
    if updates.open_draft(member, month) is not None:
        messages.info(request, "This month already has a draft; here it is.")
    else:
        messages.success(request, "Drafted from the month's work. Edit it, then send it.")
    update = updates.update_draft(member=member, month=month, protocol=form.cleaned_data["protocol"])
    return redirect("update_edit", pk=update.pk)


@member_required(*Role.coordination_roles(), Role.SCHOOL_STAFF)
def update_detail(request: MemberRequest, pk: int) -> HttpResponse:
    update = updates.get_update_for_user(request.membership, pk)
    return render(
        request,
        "coordinators/updates/update_detail.html",
        {"update": update, "html": render_markdown(update.body)},
    )


def _form_initial(update: CommunicationUpdate) -> dict[str, object]:
    return {
        "title": update.title,
        "body": update.body,
        "audiences": update.audiences,
        "schools": list(update.schools.all()),
        "protocol": update.protocol,
    }


@member_required(Role.COORDINATOR)
def update_edit(request: MemberRequest, pk: int) -> HttpResponse:
    member = request.membership
    update = updates.get_update_for_user(member, pk, write=True)
    if update.is_sent:
        messages.info(request, "This update was sent; it stays as it was sent.")
        return redirect("update_detail", pk=update.pk)
    form = UpdateForm(request.POST or None, member=member, initial=_form_initial(update))
    if request.method == "POST" and form.is_valid():
        try:
            update = updates.update_save(member=member, update=update, **form.cleaned_data)
        except ValidationError as error:
            messages.info(request, " ".join(error.messages))
            return redirect("update_detail", pk=update.pk)
        if "review" in request.POST:
            return redirect("update_send", pk=update.pk)
        messages.success(request, "Draft saved.")
        return redirect("update_edit", pk=update.pk)
    context = {"update": update, "form": form, "html": render_markdown(update.body)}
    context["plan"] = updates.communication_plan(member)
    return render(request, "coordinators/updates/update_edit.html", context)


@member_required(Role.COORDINATOR)
def update_send(request: MemberRequest, pk: int) -> HttpResponse:
    update = updates.get_update_for_user(request.membership, pk, write=True)
    if request.method == "POST":
        try:
            result = updates.update_send(member=request.membership, update=update)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("update_edit", pk=update.pk)
        if result.sent_now:
            messages.success(request, f"Sent to {result.recipients} people. It is in the archive now.")
        else:
            messages.info(request, "This update was already sent; nobody gets it twice.")
        return redirect("update_detail", pk=update.pk)
    if update.is_sent:
        return redirect("update_detail", pk=update.pk)
    people = list(updates.audience_people(update).only("id", "full_name", "email"))
    return render(
        request,
        "coordinators/updates/update_send.html",
        {"update": update, "people": people, "html": render_markdown(update.body)},
    )


@member_required(Role.COORDINATOR)
@require_POST
def update_delete(request: MemberRequest, pk: int) -> HttpResponse:
    update = updates.get_update_for_user(request.membership, pk, write=True)
    if updates.update_delete(member=request.membership, update=update):
        messages.success(request, "Draft deleted.")
    else:
        messages.info(request, "A sent update stays in the archive.")
    return redirect("update_list")
