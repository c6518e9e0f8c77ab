from __future__ import annotations

from typing import Any

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.contrib.auth.forms import AuthenticationForm

from coordinators.models import District, Role, School


class InvitePersonForm(forms.Form):
    full_name = forms.CharField(label="Full name", max_length=150)
    email = forms.EmailField(label="Email address")
    title = forms.CharField(label="Job title", max_length=150, required=False)
    role = forms.ChoiceField(label="Role in this district", choices=Role.choices)
    schools = forms.ModelMultipleChoiceField(
        label="Schools (Site Admins only)",
        queryset=School.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="A Site Admin sees only the schools ticked here.",
    )

    def __init__(self, *args: Any, district: District, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["schools"].queryset = School.objects.filter(district=district, active=True).order_by(
            "name"
        )
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", "Send invitation"))

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("role") == Role.SITE_ADMIN and not data.get("schools"):
            self.add_error("schools", "Choose at least one school for a Site Admin.")
        return data


class SignInForm(AuthenticationForm):
    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": (
            "That email address and password do not match. Check both and try again, "
            "or use “Forgot your password?” to choose a new one."
        ),
        "inactive": "This account is switched off. Ask your district coordinator to restore it.",
    }
