from __future__ import annotations

from decimal import Decimal
from typing import Any, cast

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.contrib.auth.forms import AuthenticationForm, SetPasswordForm
from django.contrib.auth.signals import user_login_failed
from django.core.exceptions import ValidationError
from django.db.models import QuerySet

from coordinators.models import (
    HOURS_PER_DAY,
    District,
    ImplementationStage,
    Role,
    School,
    TimeActivity,
    User,
    normalize_email_address,
)
from coordinators.single_sign_on import password_sign_in_refusal


class InvitePersonForm(forms.Form):
    full_name = forms.CharField(label="Full name", max_length=150)
    email = forms.EmailField(label="Email address")
    title = forms.CharField(label="Job title", max_length=150, required=False)
    role = forms.ChoiceField(label="Role in this district", choices=Role.choices)
    schools = forms.ModelMultipleChoiceField(
        label="Schools (Site Admins and School staff)",
        queryset=School.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="A Site Admin sees only the schools ticked here; School staff work in them.",
    )

    def __init__(self, *args: Any, district: District, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        schools = cast(forms.ModelMultipleChoiceField, self.fields["schools"])
        schools.queryset = School.objects.filter(district=district, active=True).order_by("name")
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", "Send invitation"))

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        role = data.get("role")
        if role in Role.school_roles() and not data.get("schools"):
            who = "a Site Admin" if role == Role.SITE_ADMIN else "School staff"
            self.add_error("schools", f"Choose at least one school for {who}.")
        return data


class InvitationPasswordForm(SetPasswordForm):
    """A new person accepts an invitation: the name they go by and a password."""

    full_name = forms.CharField(label="Your name", max_length=150)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.order_fields(["full_name", "new_password1", "new_password2"])
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", "Accept and set my password"))


class SignInForm(AuthenticationForm):
    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": (
            "That email address and password do not match. Check both and try again, "
            "or use “Forgot your password?” to choose a new one."
        ),
        "inactive": "This account is switched off. Ask your district coordinator to restore it.",
    }

    def clean_username(self) -> str:
        return normalize_email_address(self.cleaned_data["username"])

    def confirm_login_allowed(self, user: User) -> None:
        """The password was right; the person's districts may still require single sign-on.

        The refusal comes only after a correct password, so it tells nothing to someone guessing.
        It is counted and audited as a failed sign-in (Django's `user_login_failed`, which axes and
        the audit trail both receive).
        """
        super().confirm_login_allowed(user)
        refusal = password_sign_in_refusal(user) if isinstance(user, User) else None
        if refusal is not None:
            reason, message = refusal
            user_login_failed.send(
                sender=__name__,
                credentials={"username": user.get_username(), "method": "password", "reason": reason},
                request=self.request,
            )
            raise ValidationError(message, code="single_sign_on_policy")


class PasswordResetRequestForm(forms.Form):
    email = forms.EmailField(
        label="Email address", max_length=254, widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )

    def clean_email(self) -> str:
        return normalize_email_address(self.cleaned_data["email"])


# Coordinator time ----------------------------------------------------------------------------
# Appended section: imports kept here so the code above stays untouched.


class TimeEntryForm(forms.Form):
    date = forms.DateField(label="Date", widget=forms.DateInput(attrs={"type": "date"}))
    amount = forms.DecimalField(
        label="Time", min_value=Decimal("0.25"), max_value=Decimal(24), decimal_places=2
    )
    unit = forms.ChoiceField(label="In", choices=[("hours", "Hours"), ("days", "Days")], initial="hours")
    activity = forms.ChoiceField(label="Activity", choices=TimeActivity.choices)
    note = forms.CharField(label="Note", max_length=300, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", "Add time"))

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        amount, unit = data.get("amount"), data.get("unit")
        if amount is not None and unit:
            hours = amount * HOURS_PER_DAY if unit == "days" else amount
            if hours > 24:
                self.add_error("amount", "One entry can be at most a day (24 hours); add one entry per day.")
            data["hours"] = hours
        return data


class CoordinatorChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: User) -> str:
        return obj.full_name or obj.email


class TimeSummaryForm(forms.Form):
    coordinator = CoordinatorChoiceField(label="Coordinator", queryset=User.objects.none(), required=False)
    month = forms.DateField(
        label="Month",
        input_formats=["%Y-%m"],
        required=False,
        widget=forms.DateInput(attrs={"type": "month"}, format="%Y-%m"),
    )
    stage = forms.ChoiceField(
        label="Stage of implementation", choices=ImplementationStage.choices, required=False
    )

    def __init__(self, *args: Any, coordinators: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(CoordinatorChoiceField, self.fields["coordinator"]).queryset = coordinators


class ProfileForm(forms.Form):
    """The signed-in person's own name, the name they go by and their job title."""

    full_name = forms.CharField(label="Your full name", max_length=150)
    short_name = forms.CharField(
        label="Name you go by",
        max_length=60,
        required=False,
        help_text="Greetings and emails use it. Leave it empty to use the first word of your name "
        "that is not a title such as Dr.",
    )
    title = forms.CharField(
        label="Job title", max_length=150, required=False, help_text="For example Assistant Superintendent."
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", "Save my profile"))
