"""Forms for drafting, submitting and deciding on district processes."""

from __future__ import annotations

from typing import Any, cast

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.db.models import QuerySet
from django.utils.text import slugify

from coordinators.models import User
from implementation_plans.processes.selectors import BOARD_STATUS_CHOICES

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _button(name: str, label: str, style: str = "btn-primary") -> Submit:
    button = Submit(name, label)
    button.field_classes = f"btn {style}"
    return button


def section_field_name(key: str) -> str:
    return f"section_{key}"


class DraftForm(forms.Form):
    """One Markdown text area per section, labelled with the heading, prompted by the template."""

    def __init__(self, *args: Any, sections: list[dict[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.sections = sections
        for section in sections:
            self.fields[section_field_name(section["key"])] = forms.CharField(
                label=section["heading"],
                help_text=section.get("prompt", ""),
                required=False,
                max_length=20_000,
                widget=forms.Textarea(attrs={"rows": 6, "class": "form-control"}),
            )
        self.helper = FormHelper()
        self.helper.form_tag = False

    def texts(self) -> dict[str, str]:
        return {s["key"]: self.cleaned_data.get(section_field_name(s["key"]), "") for s in self.sections}


class SubmitForApprovalForm(forms.Form):
    prefix = "submit"
    decision_due_on = forms.DateField(
        label="Decision needed by",
        required=False,
        widget=DATE_INPUT,
        help_text="Leave empty for ten days from now.",
    )
    note = forms.CharField(
        label="Note to the executive leader",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", "Submit for approval"))


class ApproveForm(forms.Form):
    prefix = "approve"
    comment = forms.CharField(
        label="Comment (optional)", required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 2})
    )
    review_on = forms.DateField(
        label="Review date",
        required=False,
        widget=DATE_INPUT,
        help_text="Leave empty for one year from today.",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_id = "approve-form"
        self.helper.add_input(_button("approve", "Approve", "btn-success"))


class RequestChangesForm(forms.Form):
    prefix = "changes"
    comment = forms.CharField(
        label="What should change",
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Say what should change: a comment is required when requesting changes."},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_id = "request-changes-form"
        self.helper.add_input(_button("request_changes", "Request changes", "btn-warning"))


class CommentForm(forms.Form):
    prefix = "comment"
    section_key = forms.ChoiceField(label="About", required=False)
    body = forms.CharField(label="Comment", max_length=4000, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, sections: list[dict[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["section_key"]).choices = [("", "The whole draft")] + [
            (s["key"], s["heading"]) for s in sections
        ]
        self.helper = FormHelper()
        self.helper.add_input(_button("comment", "Add comment", "btn-outline-primary"))


class CustomProcessForm(forms.Form):
    name = forms.CharField(label="Process name", max_length=200)
    purpose = forms.CharField(label="Purpose", required=False, widget=forms.Textarea(attrs={"rows": 2}))
    sections = forms.CharField(
        label="Sections",
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="One section a line: the heading, a vertical bar, then the guiding prompt. "
        "For example: Who is served | Which students and schools does this process cover?",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", "Add process"))

    def clean_sections(self) -> list[dict[str, str]]:
        result: list[dict[str, str]] = []
        seen: set[str] = set()
        for line in self.cleaned_data["sections"].splitlines():
            if not line.strip():
                continue
            heading, _, prompt = line.partition("|")
            heading = heading.strip()[:200]
            key = slugify(heading).replace("-", "_")[:60] or f"section_{len(result) + 1}"
            if key in seen:
                raise forms.ValidationError(
                    f"Two sections are called “{heading}”; give each its own heading."
                )
            seen.add(key)
            result.append({"key": key, "heading": heading, "prompt": prompt.strip()})
        if not result:
            raise forms.ValidationError("Add at least one section.")
        return result


class CoAuthorForm(forms.Form):
    user = forms.ModelChoiceField(label="DIT member", queryset=User.objects.none())

    def __init__(self, *args: Any, candidates: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["user"]).queryset = candidates
        self.helper = FormHelper()
        self.helper.add_input(_button("invite", "Invite to co-author", "btn-outline-primary"))


class BoardFilterForm(forms.Form):
    status = forms.ChoiceField(label="Status", choices=BOARD_STATUS_CHOICES, required=False)
    review = forms.BooleanField(label="Due for review only", required=False)
