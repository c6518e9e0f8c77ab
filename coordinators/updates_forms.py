"""Forms for monthly MTSS updates: which month to draft, and the editor."""

from __future__ import annotations

from datetime import date
from typing import Any, cast

from django import forms
from django.utils import dateformat

from coordinators import updates
from coordinators.models import Membership, UpdateAudience
from coordinators.selectors import schools_for
from implementation_plans.models import CommunicationProtocol
from implementation_plans.plan.selectors import protocols_for


class ProtocolChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: CommunicationProtocol) -> str:
        return f"{obj.group}: {obj.format}, {obj.timeframe}"


def _protocol_field(member: Membership, label: str) -> ProtocolChoiceField:
    return ProtocolChoiceField(
        label=label,
        queryset=protocols_for(member).order_by("group", "id"),
        required=False,
        empty_label="None",
        help_text="The entry of the district's Communication Plan this update carries out.",
    )


class UpdateDraftForm(forms.Form):
    """Start a draft from a month's work."""

    month = forms.TypedChoiceField(label="Month", coerce=date.fromisoformat)

    def __init__(self, *args: Any, member: Membership, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["month"]).choices = [
            (month.isoformat(), dateformat.format(month, "F Y")) for month in updates.recent_months(member)
        ]
        self.fields["month"].initial = updates.default_month(member).isoformat()
        self.fields["protocol"] = _protocol_field(member, "Communication plan entry")


class UpdateForm(forms.Form):
    """The editor: title, Markdown text, and the groups the update goes to."""

    title = forms.CharField(label="Title", max_length=updates.TITLE_MAX_CHARS)
    body = forms.CharField(
        label="Text",
        required=False,
        max_length=updates.BODY_MAX_CHARS,
        help_text="Plain text or Markdown: **bold**, - for a list, ### for a heading.",
        widget=forms.Textarea(attrs={"rows": 16, "class": "form-control"}),
    )
    audiences = forms.MultipleChoiceField(
        label="Groups",
        choices=UpdateAudience.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="A person in two groups gets the update once.",
    )

    def __init__(self, *args: Any, member: Membership, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["schools"] = forms.ModelMultipleChoiceField(
            label="Schools whose staff get it",
            queryset=schools_for(member).filter(active=True),
            required=False,
            widget=forms.CheckboxSelectMultiple,
            help_text="For “School staff of chosen schools”: their teachers and other school staff, "
            "and their principals.",
        )
        self.fields["protocol"] = _protocol_field(member, "Communication plan entry")

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if UpdateAudience.SCHOOL_STAFF in data.get("audiences", []) and not data.get("schools"):
            self.add_error("schools", "Choose the schools whose staff get the update.")
        return data
