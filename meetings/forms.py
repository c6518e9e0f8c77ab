from __future__ import annotations

from datetime import date, time
from typing import Any, cast

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.db.models import QuerySet

from coordinators.models import District, User
from coordinators.selectors import district_people
from meetings.models import ActionItem, AgendaItem, Meeting, MeetingKind, MinuteEntry

WEEKDAYS = [(0, "Monday"), (1, "Tuesday"), (2, "Wednesday"), (3, "Thursday"), (4, "Friday")]
WEEKS = [(1, "First"), (2, "Second"), (3, "Third"), (4, "Fourth"), (-1, "Last")]
RATING_CHOICES = Meeting.Rating.choices


def _people(district: District) -> QuerySet[User]:
    return district_people(district.pk)


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: User) -> str:
        return obj.full_name or obj.email


class MeetingSeriesForm(forms.Form):
    kind = forms.ChoiceField(label="Kind of meeting", choices=MeetingKind.choices, initial=MeetingKind.DIT)
    title = forms.CharField(label="Title", max_length=200, initial="DIT meeting")
    week_of_month = forms.TypedChoiceField(label="Week of the month", choices=WEEKS, coerce=int, initial=2)
    weekday = forms.TypedChoiceField(label="Day", choices=WEEKDAYS, coerce=int, initial=1)
    start_time = forms.TimeField(
        label="Starts at", initial=time(15, 30), widget=forms.TimeInput(attrs={"type": "time"})
    )
    end_time = forms.TimeField(
        label="Ends at", initial=time(17, 0), widget=forms.TimeInput(attrs={"type": "time"})
    )
    first_date = forms.DateField(label="From", widget=forms.DateInput(attrs={"type": "date"}))
    last_date = forms.DateField(label="Until", widget=forms.DateInput(attrs={"type": "date"}))
    location = forms.CharField(label="Location", max_length=200, required=False)
    video_link = forms.URLField(label="Video link", required=False, assume_scheme="https")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", "Create the meetings"))

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if data.get("start_time") and data.get("end_time") and data["end_time"] <= data["start_time"]:
            self.add_error("end_time", "The meeting must end after it starts.")
        first, last = data.get("first_date"), data.get("last_date")
        if first and last and (last < first or (last - first).days > 400):
            self.add_error("last_date", "Choose an end date after the start date and within about a year.")
        return data


class MeetingForm(forms.Form):
    kind = forms.ChoiceField(label="Kind of meeting", choices=MeetingKind.choices)
    title = forms.CharField(label="Title", max_length=200)
    date = forms.DateField(label="Date", widget=forms.DateInput(attrs={"type": "date"}))
    start_time = forms.TimeField(label="Starts at", widget=forms.TimeInput(attrs={"type": "time"}))
    end_time = forms.TimeField(label="Ends at", widget=forms.TimeInput(attrs={"type": "time"}))
    location = forms.CharField(label="Location", max_length=200, required=False)
    video_link = forms.URLField(label="Video link", required=False, assume_scheme="https")
    facilitator = PersonChoiceField(label="Facilitator", queryset=User.objects.none(), required=False)
    note_taker = PersonChoiceField(label="Note taker", queryset=User.objects.none(), required=False)
    data_analyst = PersonChoiceField(label="Data analyst", queryset=User.objects.none(), required=False)

    def __init__(self, *args: Any, district: District, submit: str = "Save", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("facilitator", "note_taker", "data_analyst"):
            cast(PersonChoiceField, self.fields[name]).queryset = _people(district)
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", submit))

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if data.get("start_time") and data.get("end_time") and data["end_time"] <= data["start_time"]:
            self.add_error("end_time", "The meeting must end after it starts.")
        return data


class ProposeItemForm(forms.Form):
    title = forms.CharField(label="Agenda item", max_length=200)
    description = forms.CharField(
        label="What the team should know", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    minutes_planned = forms.IntegerField(label="Planned minutes", min_value=1, max_value=180, initial=10)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", "Propose item"))


class AgendaItemForm(forms.Form):
    title = forms.CharField(label="Title", max_length=200)
    minutes_planned = forms.IntegerField(label="Planned minutes", min_value=1, max_value=180)


class MinuteEntryForm(forms.Form):
    kind = forms.ChoiceField(
        label="Kind", choices=MinuteEntry.Kind.choices, initial=MinuteEntry.Kind.DISCUSSION
    )
    text = forms.CharField(label="Minutes", widget=forms.Textarea(attrs={"rows": 2}))
    owner = PersonChoiceField(label="Who", queryset=User.objects.none(), required=False)
    due_date = forms.DateField(
        label="By when", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args: Any, district: District, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(PersonChoiceField, self.fields["owner"]).queryset = _people(district)

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if data.get("kind") == MinuteEntry.Kind.TASK:
            if not data.get("owner"):
                self.add_error("owner", "A task needs someone to do it.")
            if not data.get("due_date"):
                self.add_error("due_date", "A task needs a date it is due by.")
        return data


class CloseMeetingForm(forms.Form):
    started_on_time = forms.ChoiceField(
        label="Started on time", choices=RATING_CHOICES, widget=forms.RadioSelect
    )
    agenda_followed = forms.ChoiceField(
        label="Agenda followed", choices=RATING_CHOICES, widget=forms.RadioSelect
    )
    decisions_recorded = forms.ChoiceField(
        label="Decisions recorded", choices=RATING_CHOICES, widget=forms.RadioSelect
    )
    action_items_assigned = forms.ChoiceField(
        label="Action items assigned", choices=RATING_CHOICES, widget=forms.RadioSelect
    )
    unfinished = forms.MultipleChoiceField(
        label="Unfinished items (carried forward to the next meeting)",
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, agenda: list[AgendaItem], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        unfinished = cast(forms.MultipleChoiceField, self.fields["unfinished"])
        unfinished.choices = [(str(i.pk), i.title) for i in agenda if not i.standing]
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", "Close the meeting"))


class ActionItemStatusForm(forms.Form):
    status = forms.ChoiceField(choices=ActionItem.Status.choices)


def default_school_year(today: date) -> tuple[date, date]:
    start_year = today.year if today.month >= 7 else today.year - 1
    return date(start_year, 8, 1), date(start_year + 1, 6, 30)
