"""The school form: what a coordinator types to add or edit a school."""

from __future__ import annotations

from typing import Any, cast

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms

from coordinators.models import District, Membership, School, User


class PrincipalChoiceField(forms.ModelChoiceField):
    """People of the district, each shown with their role so the Site Admins stand out."""

    def label_from_instance(self, obj: Membership) -> str:
        return f"{obj.user.get_full_name()} ({obj.get_role_display()})"


class SchoolForm(forms.Form):
    name = forms.CharField(label="School name", max_length=200)
    code = forms.CharField(
        label="Building code", max_length=32, help_text="The state or district building code."
    )
    state_id = forms.CharField(
        label="State school id",
        max_length=64,
        required=False,
        help_text="The school's id in the state's records.",
    )
    level = forms.ChoiceField(label="Level", choices=School.Level.choices)
    grades_served = forms.CharField(
        label="Grades served", max_length=32, help_text="For example K-5, 6-8 or 9-12."
    )
    principal = PrincipalChoiceField(
        label="Principal",
        queryset=Membership.objects.none(),
        required=False,
        empty_label="No principal yet",
        help_text="A person of the district, usually its Site Admin; invite them first if not listed.",
    )

    def __init__(self, *args: Any, district: District, submit: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        principal = cast(PrincipalChoiceField, self.fields["principal"])
        principal.queryset = (
            Membership.objects.filter(district=district, active=True)
            .select_related("user")
            .order_by("user__full_name")
        )
        self.helper = FormHelper()
        # The page draws the <form> tag: adding a school for an import carries the import in it.
        self.helper.form_tag = False
        self.helper.add_input(Submit("submit", submit))

    def clean_principal(self) -> User | None:
        membership = self.cleaned_data.get("principal")
        return membership.user if membership is not None else None

    @staticmethod
    def initial_for(school: School) -> dict[str, Any]:
        initial: dict[str, Any] = {
            name: getattr(school, name) for name in ("name", "code", "state_id", "level", "grades_served")
        }
        if school.principal_id is not None:
            membership = Membership.objects.filter(
                district_id=school.district_id, user_id=school.principal_id
            )
            initial["principal"] = membership.first()
        return initial
