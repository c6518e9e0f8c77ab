"""Action items: the owner's list, one item's page (changes, comments, history), Mark done and its undo."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from coordinators.models import Membership
from meetings import action_item_selectors as item_selectors
from meetings import action_items, selectors
from meetings.action_item_forms import ActionItemCommentForm, ActionItemEditForm
from meetings.models import ActionItem
from mtss.access import MemberRequest, member_required
from mtss.links import is_app_path

LIST_LIMIT = 200


@member_required()
def action_item_list(request: MemberRequest) -> HttpResponse:
    member = request.membership
    choices = ("open", "done", "all", "district") if member.is_coordinator else ("open", "done", "all")
    show = request.GET.get("show", "open")
    if show not in choices:
        show = "open"
    if show == "district":
        items = item_selectors.district_open_action_items(member)
    else:
        items = list(selectors.my_action_items(member, show=show)[:LIST_LIMIT])
    return render(
        request,
        "meetings/action_item_list.html",
        {"items": items, "show": show, "choices": choices, "today": timezone.localdate()},
    )


def _page_context(member: Membership, item: ActionItem, **forms: Any) -> dict[str, Any]:
    fields_allowed = action_items.editable_fields(member, item)
    changeable = item.status != ActionItem.Status.CANCELLED
    edit_form = forms.get("edit_form")
    if edit_form is None and fields_allowed and changeable:
        edit_form = ActionItemEditForm(item=item, fields_allowed=fields_allowed)
    comment_form = forms.get("comment_form")
    if comment_form is None and item_selectors.may_change(member, item):
        comment_form = ActionItemCommentForm()
    return {
        "item": item,
        "today": timezone.localdate(),
        "may_mark": changeable and item_selectors.may_change(member, item),
        "owner_only": fields_allowed == action_items.OWNER_FIELDS,
        "edit_form": edit_form if changeable else None,
        "comment_form": comment_form,
        "comments": item_selectors.action_item_comments(item),
        "history": item_selectors.action_item_history(item),
    }


@member_required()
def action_item_detail(request: MemberRequest, pk: int) -> HttpResponse:
    item = item_selectors.get_action_item_page(request.membership, pk)
    return render(request, "meetings/action_item_detail.html", _page_context(request.membership, item))


@member_required()
@require_POST
def action_item_edit(request: MemberRequest, pk: int) -> HttpResponse:
    member = request.membership
    item = item_selectors.get_action_item_page(member, pk, write=True)
    form = ActionItemEditForm(
        request.POST, item=item, fields_allowed=action_items.editable_fields(member, item)
    )
    if not form.is_valid():
        context = _page_context(member, item, edit_form=form)
        return render(request, "meetings/action_item_detail.html", context, status=422)
    try:
        lines = action_items.action_item_update(member=member, item=item, changes=form.cleaned_data)
    except action_items.ActionItemError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, "Changes saved." if lines else "Nothing to change: it already says that.")
    return redirect("action_item_detail", pk=item.pk)


@member_required()
@require_POST
def action_item_comment(request: MemberRequest, pk: int) -> HttpResponse:
    member = request.membership
    item = item_selectors.get_action_item_page(member, pk, write=True)
    form = ActionItemCommentForm(request.POST)
    if not form.is_valid():
        context = _page_context(member, item, comment_form=form)
        return render(request, "meetings/action_item_detail.html", context, status=422)
    try:
        action_items.action_item_comment_add(member=member, item=item, body=form.cleaned_data["body"])
    except action_items.ActionItemError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, "Comment added.")
    return redirect("action_item_detail", pk=item.pk)


@member_required()
@require_POST
def action_item_status(request: MemberRequest, pk: int) -> HttpResponse:
    item = item_selectors.get_action_item_page(request.membership, pk, write=True)
    status = request.POST.get("status", ActionItem.Status.DONE)
    if status not in (ActionItem.Status.DONE, ActionItem.Status.OPEN):
        status = ActionItem.Status.DONE
    try:
        action_items.action_item_mark(member=request.membership, item=item, status=status)
    except action_items.ActionItemError as error:
        messages.error(request, str(error))
    else:
        done = status == ActionItem.Status.DONE
        messages.success(request, f"“{item.title}” {'marked done' if done else 'is open again'}.")
    next_url = request.POST.get("next", "")
    if is_app_path(next_url):
        return redirect(next_url)
    return redirect("action_item_list")
