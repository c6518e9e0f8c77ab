"""Forms to invite people from a file and to change a person's role."""

from __future__ import annotations

from typing import Any, cast

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms

from coordinators.models import District, School
from coordinators.people import MAX_BULK_BYTES, MAX_BULK_ROWS, OFFERED_ROLES


class PeopleFileForm(forms.Form):
    people_file = forms.FileField(
        label="Staff list (CSV)",
        help_text=(
            f"Columns: email, name, role, schools. Up to {MAX_BULK_ROWS} people and "
            f"{MAX_BULK_BYTES // 1024} KB. Several schools are separated by “;”."
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        # The page draws the <form> tag: it must send the file (multipart).
        self.helper.form_tag = False
        self.helper.add_input(Submit("submit", "Check the file"))


class RoleChangeForm(forms.Form):
    role = forms.ChoiceField(
        label="Role in this district", choices=[(r.value, r.label) for r in OFFERED_ROLES]
    )
    schools = forms.ModelMultipleChoiceField(
        label="Schools (Site Admins only)",
        queryset=School.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="A Site Admin sees only the schools ticked here.",
    )

    def __init__(self, *args: Any, district: District, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        schools = cast(forms.ModelMultipleChoiceField, self.fields["schools"])
        schools.queryset = School.objects.filter(district=district, active=True).order_by("name")
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", "Change the role"))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("role") == "site_admin" and not data.get("schools"):
            self.add_error("schools", "Choose at least one school for a Site Admin.")
        return data
