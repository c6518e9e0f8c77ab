"""Pages for district processes: the board, a process, drafting, deciding, the approval queue."""

from __future__ import annotations

from collections import defaultdict

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.text import slugify
from django.views.decorators.http import require_POST

from coordinators.models import Role
from implementation_plans.models import Process, ProcessVersion
from implementation_plans.plan.selectors import escalated_barriers
from implementation_plans.processes import selectors, services
from implementation_plans.processes.forms import (
    ApproveForm,
    BoardFilterForm,
    CoAuthorForm,
    CommentForm,
    CustomProcessForm,
    DraftForm,
    RequestChangesForm,
    SubmitForApprovalForm,
    section_field_name,
)
from implementation_plans.processes.text import diff_sections, docx_bytes, rendered_sections
from mtss.access import MemberRequest, member_required
from mtss.middleware import kept_post_data

Status = ProcessVersion.Status


ESCALATED_BARRIERS_SHOWN = 20


@member_required(*Role.district_staff())
def process_board(request: MemberRequest) -> HttpResponse:
    form = BoardFilterForm(request.GET or None)
    status, review = "", False
    if form.is_valid():
        status, review = form.cleaned_data["status"], form.cleaned_data["review"]
    rows = selectors.process_board(request.membership, status=status, review_due=review)
    return render(request, "implementation_plans/processes/board.html", {"rows": rows, "filter_form": form})


@member_required(Role.COORDINATOR)
@require_POST
def process_start(request: MemberRequest, slug: str) -> HttpResponse:
    try:
        process = services.process_start(member=request.membership, slug=slug)
    except services.ProcessError as error:
        raise Http404(str(error)) from error
    return redirect("process_edit", pk=process.pk)


@member_required(Role.COORDINATOR)
def process_custom_create(request: MemberRequest) -> HttpResponse:
    form = CustomProcessForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        process = services.process_custom_create(member=request.membership, **form.cleaned_data)
        messages.success(request, f"{process.name} was added to the district's processes.")
        return redirect("process_edit", pk=process.pk)
    return render(request, "implementation_plans/processes/custom_create.html", {"form": form})


def _comments_by_section(comments: list) -> dict[str, list]:
    grouped: dict[str, list] = defaultdict(list)
    for comment in comments:
        grouped[comment.section_key].append(comment)
    return dict(grouped)


def _with_comments(sections: list[dict], grouped: dict[str, list]) -> list[dict]:
    for section in sections:
        section["comments"] = grouped.get(section["key"], [])
    return sections


@member_required(*Role.district_staff())
def process_detail(request: MemberRequest, pk: int) -> HttpResponse:
    member = request.membership
    process = selectors.get_process_for_user(member, pk)
    history = list(selectors.version_history(process))
    # Keyed to be looked up with a version id that may be empty.
    by_pk: dict[int | None, ProcessVersion] = {v.pk: v for v in history}
    approved = by_pk.get(process.approved_version_id)
    latest = by_pk.get(process.latest_version_id)
    working = latest if latest is not None and latest.status != Status.APPROVED else None
    shown = [v for v in (working, approved) if v is not None]
    comments = list(selectors.comments_for(shown)) if shown else []
    can_edit = selectors.can_edit_process(member, process)
    co_authors = list(process.co_authors.order_by("full_name"))
    working_comments = _comments_by_section([c for c in comments if working and c.version_id == working.pk])
    context: dict[str, object] = {
        "process": process,
        "approved": approved,
        "approved_sections": rendered_sections(process.sections, approved.texts) if approved else [],
        "working": working,
        "working_sections": _with_comments(
            rendered_sections(process.sections, working.texts), working_comments
        )
        if working
        else [],
        "working_general_comments": working_comments.get("", []),
        "history": history,
        "can_edit": can_edit,
        "co_authors": co_authors,
        "today": selectors.district_today(member),
    }
    if working is not None and working.status == Status.DRAFT and can_edit:
        context["submit_form"] = SubmitForApprovalForm()
    if working is not None and working.status == Status.SUBMITTED and member.is_leader:
        context |= _decision_context(working, history)
    if working is not None and (member.is_leader or can_edit):
        context["comment_form"] = CommentForm(sections=process.sections)
    if member.is_coordinator:
        context["co_author_form"] = CoAuthorForm(candidates=selectors.co_author_candidates(process))
    return render(request, "implementation_plans/processes/detail.html", context)


def _decision_context(version: ProcessVersion, history: list[ProcessVersion]) -> dict[str, object]:
    """A leader's decision on a submitted draft, with the returned version it answers, if any."""
    before = next((v for v in history if v.number == version.number - 1), None)
    return {
        "working": version,
        "returned": before if before is not None and before.status == Status.CHANGES_REQUESTED else None,
        "approve_form": ApproveForm(),
        "changes_form": RequestChangesForm(),
    }


def _starting_texts(process: Process) -> tuple[dict[str, str], ProcessVersion | None]:
    """The text a new or continued draft starts from, and the returned version it revises (if any)."""
    latest = process.latest_version
    if latest is None:
        return {}, None
    if latest.status == Status.CHANGES_REQUESTED:
        return latest.texts, latest
    return latest.texts, None


@member_required(Role.COORDINATOR, Role.MEMBER)
def process_edit(request: MemberRequest, pk: int) -> HttpResponse:
    member = request.membership
    process = selectors.get_process_for_user(member, pk, write=True)
    if process.latest_version is not None and process.latest_version.status == Status.SUBMITTED:
        messages.info(request, "This draft is waiting for a decision; it can be edited once it is decided.")
        return redirect("process_detail", pk=process.pk)
    if request.method == "POST":
        form = DraftForm(request.POST, sections=process.sections)
        if form.is_valid():
            try:
                version = services.draft_save(member=member, process=process, texts=form.texts())
            except services.ProcessError as error:
                messages.error(request, str(error))
            else:
                messages.success(request, f"Draft saved (version {version.number}).")
                if "close" in request.POST:
                    return redirect("process_detail", pk=process.pk)
                return redirect("process_edit", pk=process.pk)
    else:
        texts, _ = _starting_texts(process)
        kept = kept_post_data(request)
        if kept:
            form = DraftForm({name: values[-1] for name, values in kept.items()}, sections=process.sections)
            messages.warning(request, "What you typed before your session ended is back. Save it to keep it.")
        else:
            initial = {section_field_name(key): text for key, text in texts.items()}
            form = DraftForm(initial=initial, sections=process.sections)
    _, returned = _starting_texts(process)
    returned_comments = list(selectors.comments_for([returned])) if returned else []
    context = {
        "process": process,
        "form": form,
        "returned": returned,
        "returned_comments": _comments_by_section(returned_comments),
        "returned_general": [c for c in returned_comments if not c.section_key],
        "draft": process.latest_version
        if process.latest_version and process.latest_version.is_open
        else None,
    }
    return render(request, "implementation_plans/processes/edit.html", context)


@member_required(Role.COORDINATOR, Role.MEMBER)
@require_POST
def process_submit(request: MemberRequest, pk: int) -> HttpResponse:
    member = request.membership
    process = selectors.get_process_for_user(member, pk, write=True)
    form = SubmitForApprovalForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Check the decision date: " + form.errors.as_text())
        return redirect("process_detail", pk=process.pk)
    try:
        services.draft_submit(member=member, process=process, **form.cleaned_data)
    except services.ProcessError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"{process.name} was submitted for approval.")
    return redirect("process_detail", pk=process.pk)


@member_required(Role.COORDINATOR)
@require_POST
def process_co_authors(request: MemberRequest, pk: int) -> HttpResponse:
    member = request.membership
    process = selectors.get_process_for_user(member, pk, write=True)
    if remove := request.POST.get("remove"):
        user = process.co_authors.filter(pk=_int(remove)).first()
        if user is not None:
            services.co_author_remove(member=member, process=process, user=user)
            messages.success(request, f"{user.get_full_name()} no longer co-authors {process.name}.")
        return redirect("process_detail", pk=process.pk)
    form = CoAuthorForm(request.POST, candidates=selectors.co_author_candidates(process))
    if form.is_valid():
        try:
            services.co_author_add(member=member, process=process, user=form.cleaned_data["user"])
        except services.ProcessError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request, f"{form.cleaned_data['user'].get_full_name()} can now co-author this draft."
            )
    else:
        messages.error(request, "Choose a DIT member to invite.")
    return redirect("process_detail", pk=process.pk)


@member_required(*Role.district_staff())
def process_versions(request: MemberRequest, pk: int) -> HttpResponse:
    process = selectors.get_process_for_user(request.membership, pk)
    history = list(selectors.version_history(process))
    return render(
        request, "implementation_plans/processes/versions.html", {"process": process, "history": history}
    )


@member_required(*Role.district_staff())
def process_version(request: MemberRequest, pk: int, number: int) -> HttpResponse:
    process = selectors.get_process_for_user(request.membership, pk)
    version = selectors.version_by_number(process, number)
    if version is None:
        raise Http404("No such version.")
    comments = _comments_by_section(list(selectors.comments_for([version])))
    context = {
        "process": process,
        "version": version,
        "sections": _with_comments(rendered_sections(process.sections, version.texts), comments),
        "general_comments": comments.get("", []),
    }
    return render(request, "implementation_plans/processes/version.html", context)


@member_required(*Role.district_staff())
def process_diff(request: MemberRequest, pk: int) -> HttpResponse:
    process = selectors.get_process_for_user(request.membership, pk)
    history = list(selectors.version_history(process))
    by_number: dict[int | None, ProcessVersion] = {v.number: v for v in history}
    new = by_number.get(_int(request.GET.get("to"))) or (history[0] if history else None)
    old = by_number.get(_int(request.GET.get("from")))
    if old is None and new is not None:
        approved = next((v for v in history if v.pk == process.approved_version_id), None)
        old = approved if approved is not None and approved.pk != new.pk else by_number.get(new.number - 1)
    mode = "side" if request.GET.get("view") == "side" else "inline"
    diffs = diff_sections(process.sections, old.texts, new.texts) if old and new else []
    context = {"process": process, "history": history, "old": old, "new": new, "diffs": diffs, "mode": mode}
    deciding = new is not None and new.pk == process.latest_version_id and new.status == Status.SUBMITTED
    if deciding and new is not None and request.membership.is_leader:
        context |= _decision_context(new, history)
    return render(request, "implementation_plans/processes/diff.html", context)


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value else None
    except ValueError:
        return None


def _exported_version(request: HttpRequest, process: Process) -> ProcessVersion:
    history = list(selectors.version_history(process))
    wanted = _int(request.GET.get("version"))
    if wanted is not None:
        version = next((v for v in history if v.number == wanted), None)
    else:
        version = next((v for v in history if v.pk == process.approved_version_id), None)
    if version is None:
        raise Http404("There is no approved version to export yet.")
    return version


@member_required(*Role.district_staff())
def process_print(request: MemberRequest, pk: int) -> HttpResponse:
    process = selectors.get_process_for_user(request.membership, pk)
    version = _exported_version(request, process)
    context = {
        "process": process,
        "version": version,
        "sections": rendered_sections(process.sections, version.texts),
    }
    return render(request, "implementation_plans/processes/print.html", context)


@member_required(*Role.district_staff())
def process_docx(request: MemberRequest, pk: int) -> HttpResponse:
    process = selectors.get_process_for_user(request.membership, pk)
    version = _exported_version(request, process)
    tz = process.district.tz
    status = version.get_status_display()
    if version.decided_at:
        status += f" {timezone.localtime(version.decided_at, tz):%B %-d, %Y}"
        if version.decided_by:
            status += f" by {version.decided_by.get_full_name()}"
    body = docx_bytes(
        title=process.name,
        subtitle=f"{process.district.name} · Version {version.number} · {status}",
        sections=process.sections,
        texts=version.texts,
    )
    response = HttpResponse(
        body, content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    )
    filename = f"{slugify(process.name)}-v{version.number}.docx"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@member_required(Role.LEADER)
@require_POST
def version_approve(request: MemberRequest, version_pk: int) -> HttpResponse:
    member = request.membership
    version = selectors.get_version_for_user(member, version_pk, write=True)
    form = ApproveForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Check the review date: " + form.errors.as_text())
        return redirect("process_detail", pk=version.process_id)
    try:
        services.version_approve(member=member, version=version, **form.cleaned_data)
    except services.ProcessError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"You approved {version.process.name}.")
    return redirect("process_detail", pk=version.process_id)


@member_required(Role.LEADER)
@require_POST
def version_request_changes(request: MemberRequest, version_pk: int) -> HttpResponse:
    member = request.membership
    version = selectors.get_version_for_user(member, version_pk, write=True)
    form = RequestChangesForm(request.POST)
    if form.is_valid():
        try:
            services.version_request_changes(
                member=member, version=version, comment=form.cleaned_data["comment"]
            )
        except services.ProcessError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, f"You returned {version.process.name} with your comment.")
    else:
        messages.error(request, "Say what should change: a comment is required when requesting changes.")
    return redirect("process_detail", pk=version.process_id)


@member_required(*Role.district_staff())
@require_POST
def version_comment(request: MemberRequest, version_pk: int) -> HttpResponse:
    member = request.membership
    version = selectors.get_version_for_user(member, version_pk)
    form = CommentForm(request.POST, sections=version.process.sections)
    if form.is_valid():
        try:
            services.comment_add(member=member, version=version, **form.cleaned_data)
        except services.ProcessError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, "Comment added.")
    else:
        messages.error(request, "Write a comment before posting it.")
    return redirect("process_detail", pk=version.process_id)


@member_required(Role.LEADER)
def approval_queue(request: MemberRequest) -> HttpResponse:
    member = request.membership
    today = selectors.district_today(member)
    tz = member.district.tz
    rows = [
        {
            "version": v,
            "waiting_days": (today - timezone.localdate(v.submitted_at, timezone=tz)).days,
            "overdue": v.decision_due_on is not None and v.decision_due_on < today,
            "own": member.user_id in {v.author_id, v.submitted_by_id},
        }
        for v in selectors.approval_queue(member)
    ]
    # The other thing that waits for a leader: barriers the DIT escalated.
    barriers = list(escalated_barriers(member).select_related("raised_by")[:ESCALATED_BARRIERS_SHOWN])
    return render(
        request, "implementation_plans/processes/approval_queue.html", {"rows": rows, "barriers": barriers}
    )
