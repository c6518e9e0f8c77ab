"""Forms for data reviews. They validate and lay out; the services write."""

from __future__ import annotations

from typing import Any, cast

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms

from coordinators.models import District, School, User
from data_reviews.models import DataReview, DataSource, ProblemCheck, ProblemStatement
from data_reviews.reviews.selectors import action_owners
from mtss.links import is_app_path

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _helper(label: str) -> FormHelper:
    helper = FormHelper()
    helper.add_input(Submit("save", label))
    return helper


def _local_path(value: str) -> str:
    """Links point into this app: a path such as /data/schools/12/, never another site."""
    value = value.strip()
    if value and not is_app_path(value):
        raise forms.ValidationError("Use a path in this app that starts with /, e.g. /data/schools/12/.")
    return value


class ReviewForm(forms.ModelForm):
    class Meta:
        model = DataReview
        fields = ["school", "title", "held_on", "facilitator", "meeting_label", "meeting_url", "notes"]
        widgets = {"held_on": DATE, "notes": forms.Textarea(attrs={"rows": 3})}
        labels = {"held_on": "Held on"}

    def __init__(self, *args: Any, district: District, creating: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        school = cast(forms.ModelChoiceField, self.fields["school"])
        school.queryset = School.objects.filter(district=district, active=True).order_by("name")
        school.empty_label = "The whole district"
        cast(forms.ModelChoiceField, self.fields["facilitator"]).queryset = action_owners(district.pk)
        if not creating:
            # Problems carry forward within one school or the district: the scope stays fixed.
            del self.fields["school"]
        self.helper = _helper("Create data review" if creating else "Save")

    def clean_meeting_url(self) -> str:
        return _local_path(self.cleaned_data["meeting_url"])


class SourceForm(forms.ModelForm):
    class Meta:
        model = DataSource
        fields = ["title", "link", "as_of", "summary"]
        widgets = {"as_of": DATE, "summary": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = _helper("Add data")

    def clean_link(self) -> str:
        return _local_path(self.cleaned_data["link"])


class DashboardSourceForm(forms.Form):
    """Pick a subject and window; the review keeps the dashboard's numbers as they are today."""

    subject = forms.ChoiceField()
    period = forms.ChoiceField(label="Window")

    def __init__(
        self, *args: Any, subjects: list[tuple[str, str]], periods: list[tuple[str, str]], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["subject"]).choices = subjects
        cast(forms.ChoiceField, self.fields["period"]).choices = periods
        if periods:
            self.fields["period"].initial = periods[-1][0]
        self.helper = _helper("Add the dashboard's numbers")


class SuccessForm(forms.Form):
    text = forms.CharField(label="Success", widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = _helper("Add success")


class ProblemForm(forms.ModelForm):
    factors = forms.CharField(
        label="Why: contributing factors",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="One hypothesis per line.",
    )

    class Meta:
        model = ProblemStatement
        fields = ["what", "who", "where", "when", "how_often", "goal", "goal_target", "goal_date"]
        widgets = {"goal_date": DATE}

    def __init__(self, *args: Any, creating: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.initial["factors"] = "\n".join(f.text for f in self.instance.factors.all())
        self.helper = _helper("Add problem statement" if creating else "Save")

    def factor_list(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data.get("factors", "").splitlines() if line.strip()]


class ActionForm(forms.Form):
    description = forms.CharField(label="Action", max_length=300)
    owner: forms.ModelChoiceField[User] = forms.ModelChoiceField(label="Owner", queryset=None)
    due_date = forms.DateField(label="Due date", widget=DATE)

    def __init__(self, *args: Any, district: District, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["owner"]).queryset = action_owners(district.pk)
        self.helper = _helper("Add action")


class CheckForm(forms.ModelForm):
    resolve = forms.BooleanField(label="The problem is resolved (stop carrying it forward)", required=False)

    class Meta:
        model = ProblemCheck
        fields = ["fidelity", "effectiveness", "next_step", "current_rate", "notes"]
        widgets = {
            "fidelity": forms.RadioSelect,
            "effectiveness": forms.RadioSelect,
            "next_step": forms.RadioSelect,
            "notes": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = _helper("Record check")


class ReviewFilterForm(forms.Form):
    school = forms.ChoiceField(label="School", required=False)
    held_from = forms.DateField(label="Held from", required=False, widget=DATE)
    held_to = forms.DateField(label="Held to", required=False, widget=DATE)

    def __init__(self, *args: Any, schools: list[School], with_district: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        district_choice = [("district", "District reviews")] if with_district else []
        cast(forms.ChoiceField, self.fields["school"]).choices = [
            ("", "All"),
            *district_choice,
            *[(str(s.pk), s.name) for s in schools],
        ]
