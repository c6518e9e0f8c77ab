"""Forms on an action item's page: the fields the person may change, and a comment."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, cast

from django import forms

from coordinators.models import User
from coordinators.selectors import district_people
from meetings.action_items import COMMENT_MAX_CHARS, Field
from meetings.forms import PersonChoiceField
from meetings.models import ActionItem

DETAILS_MAX_CHARS = 5000


class ActionItemEditForm(forms.Form):
    """Every field for the coordinator; only the due date for the owner (`fields_allowed`)."""

    title = forms.CharField(label="Action item", max_length=300)
    details = forms.CharField(
        label="Description",
        required=False,
        max_length=DETAILS_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    owner = PersonChoiceField(label="Owner", queryset=User.objects.none(), empty_label="Choose a person")
    due_date = forms.DateField(label="Due date", widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(
        self, data: Mapping[str, Any] | None = None, *, item: ActionItem, fields_allowed: frozenset[str]
    ) -> None:
        initial = {
            "title": item.title,
            "details": item.details,
            "owner": item.owner_id,
            "due_date": item.due_date,
        }
        super().__init__(data, initial=initial)
        for name in list(self.fields):
            if name not in fields_allowed:
                del self.fields[name]
        if Field.OWNER in self.fields:
            cast(PersonChoiceField, self.fields["owner"]).queryset = district_people(item.district_id)
        if Field.DUE_DATE in self.fields:
            self.fields["due_date"].error_messages["required"] = "An action item needs a date it is due by."


class ActionItemCommentForm(forms.Form):
    body = forms.CharField(
        label="Comment",
        max_length=COMMENT_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Write a comment before posting it."},
    )
