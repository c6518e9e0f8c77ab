from __future__ import annotations

from typing import Any

from django import forms

from mtss.notifications.kinds import LEADER_LOCKED_KINDS, Kind
from mtss.notifications.models import Delivery, DigestFrequency


def field_name(kind: str) -> str:
    return f"kind_{kind}"


class PreferencesForm(forms.Form):
    """One choice per kind, and how often the digest comes.

    Executive leaders approve drafts; a request no one is emailed about waits unseen, so for
    them "A draft is waiting for my approval" offers email or digest, never in-app only.
    """

    digest_frequency = forms.ChoiceField(
        label="My digest comes",
        choices=DigestFrequency.choices,
        widget=forms.RadioSelect,
        help_text="Executive leaders also get the weekly executive digest on the district's digest day.",
    )

    def __init__(self, *args: Any, is_leader: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.is_leader = is_leader
        for kind in Kind:
            if kind == Kind.DIGEST:
                continue
            choices = Delivery.choices
            help_text = ""
            if is_leader and kind in LEADER_LOCKED_KINDS:
                choices = [c for c in Delivery.choices if c[0] != Delivery.IN_APP]
                help_text = (
                    "Executive leaders always get approval requests by email, at once or in the digest."
                )
            self.fields[field_name(kind)] = forms.ChoiceField(
                label=kind.label, choices=choices, help_text=help_text
            )
        self.order_fields([field_name(k) for k in Kind if k != Kind.DIGEST] + ["digest_frequency"])

    def deliveries(self) -> dict[str, str]:
        return {kind: self.cleaned_data[field_name(kind)] for kind in Kind if kind != Kind.DIGEST}
