"""The audit trail page for executive leaders and coordinators: read only, filterable."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from coordinators.models import Role
from mtss.access import MemberRequest, member_required
from mtss.audit.labels import action_label
from mtss.audit.selectors import audit_actions_for, audit_events_filtered

EVENTS_PER_PAGE = 100


class AuditFilterForm(forms.Form):
    person = forms.CharField(label="Person", required=False)
    action = forms.ChoiceField(label="Action", required=False)
    since = forms.DateField(label="From", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(label="To", required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args: Any, actions: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        labelled = sorted((action_label(a), a) for a in actions)
        action = cast(forms.ChoiceField, self.fields["action"])
        action.choices = [("", "Any action"), *((a, label) for label, a in labelled)]
        for name, field in self.fields.items():
            field.widget.attrs["class"] = "form-select" if name == "action" else "form-control"


@require_GET
@member_required(Role.COORDINATOR, Role.LEADER)
def audit_list(request: MemberRequest) -> HttpResponse:
    member = request.membership
    form = AuditFilterForm(request.GET or None, actions=audit_actions_for(member))
    filters = form.cleaned_data if form.is_valid() else {}
    events = audit_events_filtered(member, **{k: v for k, v in filters.items() if v})
    page = Paginator(events, EVENTS_PER_PAGE).get_page(request.GET.get("page"))
    for event in page:
        event.label = action_label(event.action, event.outcome)  # type: ignore[attr-defined]
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "audit/audit_list.html", {"form": form, "page": page, "query": query.urlencode()})
