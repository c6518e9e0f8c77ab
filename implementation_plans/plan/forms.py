from __future__ import annotations

from typing import Any, cast

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms

from coordinators.models import District, Role, School, User
from coordinators.selectors import district_people
from data_reviews.models import ProblemStatement
from implementation_plans.models import (
    AssessmentItem,
    Barrier,
    CapacityAssessment,
    CommunicationProtocol,
    Initiative,
    PlanActivity,
    PlanGoal,
    Practice,
    ProgressUpdate,
)
from implementation_plans.plan.files import ALLOWED_WORDS, checked_content_type

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class PersonChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: User) -> str:
        return obj.get_full_name()


def _helper(label: str) -> FormHelper:
    helper = FormHelper()
    helper.add_input(Submit("submit", label))
    return helper


class GoalForm(forms.ModelForm):
    class Meta:
        model = PlanGoal
        fields = ["title", "description"]
        labels = {"title": "Goal"}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = _helper("Save goal")


class ActivityForm(forms.ModelForm):
    class Meta:
        model = PlanActivity
        fields = [
            "goal",
            "title",
            "activity_type",
            "innovation",
            "practice",
            "stage",
            "owner",
            "start_date",
            "due_date",
            "evaluate_date",
            "status",
            "on_track",
            "success_criteria",
            "capacity_item",
            "barrier",
            "problem_statement",
            "motivation",
        ]
        widgets = {
            "start_date": DATE,
            "due_date": DATE,
            "evaluate_date": DATE,
            "success_criteria": forms.Textarea(attrs={"rows": 3}),
        }
        labels = {
            "capacity_item": "Motivated by a capacity-assessment item",
            "barrier": "Motivated by a barrier",
            "problem_statement": "Motivated by a problem statement from a data review",
        }

    def __init__(self, *args: Any, district: District, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["goal"]).queryset = PlanGoal.objects.filter(
            district=district
        )
        cast(forms.ModelChoiceField, self.fields["practice"]).queryset = Practice.objects.filter(
            district=district
        )
        self.fields["owner"] = PersonChoice(
            label="Owner",
            queryset=district_people(district.pk, *Role.district_staff()),
            required=False,
        )
        if self.instance.pk:
            self.fields["owner"].initial = self.instance.owner_id
        cast(forms.ModelChoiceField, self.fields["capacity_item"]).queryset = AssessmentItem.objects.filter(
            assessment__district=district, score__lt=2
        ).select_related("assessment__school")
        cast(forms.ModelChoiceField, self.fields["barrier"]).queryset = Barrier.objects.filter(
            district=district
        )
        cast(
            forms.ModelChoiceField, self.fields["problem_statement"]
        ).queryset = ProblemStatement.objects.filter(district=district)
        self.helper = _helper("Save activity")

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        start, due, evaluate = data.get("start_date"), data.get("due_date"), data.get("evaluate_date")
        if start and due and due < start:
            self.add_error("due_date", "The due date cannot be before the start date.")
        if due and evaluate and evaluate < due:
            self.add_error("evaluate_date", "Evaluate on or after the due date.")
        return data


class ProgressForm(forms.ModelForm):
    class Meta:
        model = ProgressUpdate
        fields = ["recorded_on", "percent_complete", "note"]
        widgets = {"recorded_on": DATE, "note": forms.Textarea(attrs={"rows": 3})}
        labels = {"recorded_on": "Date", "percent_complete": "Percent complete", "note": "What happened"}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["percent_complete"].widget.attrs.update({"min": 0, "max": 100})
        self.helper = _helper("Add progress update")


class PlanFilterForm(forms.Form):
    owner = forms.TypedChoiceField(label="Owner", required=False, coerce=int, empty_value=None)
    status = forms.ChoiceField(
        label="Status", required=False, choices=[("", "Any status"), *PlanActivity.Status.choices]
    )
    overdue = forms.BooleanField(label="Overdue only", required=False)

    def __init__(self, *args: Any, district: District, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Names only, not whole people: the filter is on every view of the plan.
        people = district_people(district.pk, *Role.district_staff()).only("pk", "full_name", "email")
        cast(forms.ChoiceField, self.fields["owner"]).choices = [
            ("", "Anyone"),
            *((p.pk, p.get_full_name()) for p in people),
        ]


class AssessmentForm(forms.ModelForm):
    class Meta:
        model = CapacityAssessment
        fields = ["instrument", "school", "administered_on", "window", "facilitator", "participants"]
        widgets = {"administered_on": DATE, "participants": forms.Textarea(attrs={"rows": 2})}
        labels = {"administered_on": "Date", "instrument": "Assessment", "school": "School (TFI only)"}

    def __init__(self, *args: Any, district: District, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["school"]).queryset = School.objects.filter(
            district=district, active=True
        )
        self.fields["facilitator"] = PersonChoice(
            label="Facilitator", queryset=district_people(district.pk), required=False
        )
        self.helper = _helper("Record administration")

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        tfi = data.get("instrument") == CapacityAssessment.Instrument.TFI
        if tfi and not data.get("school"):
            self.add_error("school", "Choose the school whose Tiered Fidelity Inventory this is.")
        if not tfi and data.get("school"):
            self.add_error(
                "school", "A District Capacity Assessment is for the whole district: leave this empty."
            )
        return data

    def validate_constraints(self, exclude: Any = None) -> None:
        # The school rule is explained field by field in clean().
        return None


class ItemForm(forms.ModelForm):
    class Meta:
        model = AssessmentItem
        fields = ["wording", "subscale"]
        labels = {"wording": "Item wording (your district's words)", "subscale": "Subscale or tier"}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = _helper("Add item")


class BarrierForm(forms.ModelForm):
    class Meta:
        model = Barrier
        fields = ["raised_on", "description", "level", "school", "routed_to", "resolution", "resolved_on"]
        widgets = {
            "raised_on": DATE,
            "resolved_on": DATE,
            "description": forms.Textarea(attrs={"rows": 3}),
            "resolution": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args: Any, district: District, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["school"]).queryset = School.objects.filter(
            district=district, active=True
        )
        self.helper = _helper("Save barrier")


class EscalateForm(forms.Form):
    reason = forms.CharField(
        label="Why the executive leader is needed", widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = _helper("Escalate to the executive leader")


class DecisionForm(forms.Form):
    decision = forms.CharField(label="Decision", widget=forms.Textarea(attrs={"rows": 3}), max_length=4000)
    resolved = forms.BooleanField(label="This decision resolves the barrier", required=False, initial=True)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = _helper("Record decision")


class ProtocolForm(forms.ModelForm):
    class Meta:
        model = CommunicationProtocol
        fields = ["group", "designee", "information_shared", "format", "timeframe"]
        widgets = {"information_shared": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args: Any, district: District, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["designee"] = PersonChoice(
            label="Designee", queryset=district_people(district.pk), required=False
        )
        self.helper = _helper("Add protocol entry")


RATING = [("", "—"), *((n, str(n)) for n in range(1, 6))]


class InitiativeForm(forms.ModelForm):
    class Meta:
        model = Initiative
        fields = [
            "name",
            "purpose",
            "outcome_measure",
            "target_group",
            "staff_involved",
            "goal",
            "budget_source",
            *Initiative.HEXAGON,
            "decision",
            "decided_on",
            "rationale",
        ]
        widgets = {
            "decided_on": DATE,
            "purpose": forms.Textarea(attrs={"rows": 2}),
            "staff_involved": forms.Textarea(attrs={"rows": 2}),
            "rationale": forms.Textarea(attrs={"rows": 2}),
        }
        labels = {"goal": "Linked district goal", "decided_on": "Decision date"}

    def __init__(self, *args: Any, district: District, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["goal"]).queryset = PlanGoal.objects.filter(
            district=district
        )
        for name in Initiative.HEXAGON:
            self.fields[name] = forms.TypedChoiceField(
                label=f"Hexagon: {name} (1-5)", choices=RATING, coerce=int, empty_value=None, required=False
            )
        self.helper = _helper("Save initiative")

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if data.get("decision") and not data.get("decided_on"):
            self.add_error("decided_on", "Give the date of the decision.")
        return data


class PracticeForm(forms.ModelForm):
    class Meta:
        model = Practice
        fields = [
            "name",
            "academic",
            "behaviour",
            "sel",
            "tier1",
            "tier2",
            "tier3",
            "grouping",
            "evidence_level",
            "description",
            "success_criteria",
            "resources",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            "success_criteria": forms.Textarea(attrs={"rows": 2}),
            "resources": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args: Any, district: District, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.district = district
        self.helper = _helper("Save practice")

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip()
        taken = Practice.objects.filter(district=self.district, name__iexact=name).exclude(
            pk=self.instance.pk
        )
        if taken.exists():
            raise forms.ValidationError("The library already has a practice with this name.")
        return name

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if not any(data.get(n) for n in ("academic", "behaviour", "sel")):
            self.add_error("academic", "Tick at least one domain.")
        if not any(data.get(n) for n in ("tier1", "tier2", "tier3")):
            self.add_error("tier1", "Tick at least one tier.")
        for line in (data.get("resources") or "").splitlines():
            if line.strip() and not line.strip().startswith(("https://", "http://")):
                self.add_error("resources", f"“{line.strip()}” is not a link: start each line with https://.")
                break
        return data


class PracticeFileForm(forms.Form):
    file = forms.FileField(label="Add a file", help_text=f"{ALLOWED_WORDS}; at most 10 MB.")

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        self.content_type = checked_content_type(upload)
        return upload


NOTES_LIMIT = 4000


class ItemScoresForm(forms.Form):
    """The consensus score and notes of every item of one administration, `score-<pk>` and `notes-<pk>`."""

    def __init__(self, *args: Any, items: list[AssessmentItem], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.items = items
        for item in items:
            self.fields[f"score-{item.pk}"] = forms.TypedChoiceField(
                choices=[("", "—"), ("0", "0"), ("1", "1"), ("2", "2")],
                coerce=int,
                empty_value=None,
                required=False,
                error_messages={"invalid_choice": f"Item {item.number}: score with 0, 1 or 2."},
            )
            self.fields[f"notes-{item.pk}"] = forms.CharField(required=False, strip=False)

    def scores(self) -> dict[int, tuple[int | None, str]]:
        """{item pk: (score or None, notes)}, once the form is valid; notes past the limit are cut."""
        data = self.cleaned_data
        return {
            item.pk: (data[f"score-{item.pk}"], data[f"notes-{item.pk}"][:NOTES_LIMIT]) for item in self.items
        }

    def messages(self) -> list[str]:
        return [str(error) for errors in self.errors.values() for error in errors]
