from __future__ import annotations

from typing import Any, cast

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms

from coordinators.models import District, School
from data_reviews.models import DecisionRule, ImportBatch
from data_reviews.scores.importing import FIELDS


class ImportUploadForm(forms.Form):
    file_format = forms.ChoiceField(label="What kind of file is it?", choices=ImportBatch.Format.choices)
    data_file = forms.FileField(
        label="File (CSV or XLSX)",
        help_text="For NWEA MAP Growth choose AssessmentResults.csv here; for a roster, the OneRoster "
        "1.1 zip.",
    )
    extra_file = forms.FileField(
        label="Second file (NWEA MAP Growth: StudentsBySchool.csv)",
        required=False,
        help_text="Gives each student's grade and student groups.",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False


class SchoolMappingsForm(forms.Form):
    """The school each unmatched name of an import means, the likely one already chosen."""

    def __init__(
        self, *args: Any, district: District, names: list[str], suggestions: dict[str, int], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        # One query for every list: a file may name dozens of schools that match nothing.
        self.schools = {school.pk: school for school in School.objects.filter(district=district)}
        choices = [("", "Choose a school")] + [
            (pk, school.name) for pk, school in sorted(self.schools.items(), key=lambda item: item[1].name)
        ]
        self.names = names
        for number, name in enumerate(names, start=1):
            self.fields[f"school_{number}"] = forms.TypedChoiceField(
                label=f"School “{name}” means",
                choices=choices,
                coerce=int,
                empty_value=None,
                required=False,
                initial=suggestions.get(name),
            )

    def mappings(self) -> dict[str, School]:
        chosen = ((name, self.cleaned_data.get(f"school_{n}")) for n, name in enumerate(self.names, start=1))
        return {name: self.schools[pk] for name, pk in chosen if pk is not None}

    def rows(self) -> list[tuple[str, forms.BoundField]]:
        return [(name, self[f"school_{n}"]) for n, name in enumerate(self.names, start=1)]


class ImportSchoolForm(forms.ModelForm):
    """A school the file names but the district does not have yet."""

    source_name = forms.ChoiceField(label="For the name in the file", required=False)

    class Meta:
        model = School
        fields = ["name", "code", "level", "grades_served"]
        labels = {"name": "School name", "code": "Building code", "grades_served": "Grades served"}

    def __init__(self, *args: Any, names: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["source_name"]).choices = [
            ("", "(none)"),
            *[(n, n) for n in names],
        ]
        if names and not self.is_bound:
            self.initial.setdefault("source_name", names[0])
        self.helper = FormHelper()
        self.helper.form_tag = False


class ColumnMappingForm(forms.Form):
    """Which column of the file holds each field; blank means the file has no such column."""

    def __init__(
        self, *args: Any, columns: list[str], initial_mapping: dict[str, str], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        choices = [("", "(not in this file)"), *[(c, c) for c in columns]]
        for name, label in FIELDS.items():
            self.fields[name] = forms.ChoiceField(
                label=label, choices=choices, required=False, initial=initial_mapping.get(name, "")
            )
        self.helper = FormHelper()
        self.helper.form_tag = False

    def mapping(self) -> dict[str, str]:
        return {name: self.cleaned_data.get(name, "") for name in FIELDS}


class DecisionRuleForm(forms.ModelForm):
    category_lines = forms.CharField(
        label="Benchmark categories and tiers",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="One per line, e.g. “Well Below Benchmark = 3”. Used when the method is by category.",
    )

    class Meta:
        model = DecisionRule
        fields = ["subject", "measure", "method", "tier3_below", "tier2_below"]
        labels = {
            "tier3_below": "Tier 3 below percentile",
            "tier2_below": "Tier 2 below percentile",
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["category_lines"].initial = "\n".join(
                f"{k} = {v}" for k, v in self.instance.category_tiers.items()
            )
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", "Save rule and recompute tiers"))

    def clean_category_lines(self) -> dict[str, int]:
        mapping = {}
        for number, line in enumerate(self.cleaned_data["category_lines"].splitlines(), start=1):
            if not line.strip():
                continue
            name, _, tier = line.rpartition("=")
            if not name.strip() or tier.strip() not in {"1", "2", "3"}:
                raise forms.ValidationError(f"Line {number} should look like “Below Benchmark = 2”.")
            mapping[name.strip()] = int(tier)
        return mapping

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if data.get("method") == DecisionRule.Method.CATEGORY and not data.get("category_lines"):
            self.add_error("category_lines", "List the categories and their tiers.")
        t3, t2 = data.get("tier3_below"), data.get("tier2_below")
        if t3 is not None and t2 is not None and not 0 <= t3 <= t2 <= 100:
            self.add_error("tier2_below", "Tier 3's percentile must be at or below Tier 2's, both 0 to 100.")
        return data


class StudentRecordsForm(forms.Form):
    """Step one names the student; step two repeats the id in `confirm` to delete."""

    student_id = forms.CharField(
        label="Student id",
        max_length=64,
        help_text="The district's own student id, as in the screener files.",
    )
    confirm = forms.CharField(required=False, widget=forms.HiddenInput)

    def clean_student_id(self) -> str:
        return self.cleaned_data["student_id"].strip()
