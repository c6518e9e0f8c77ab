"""A new district's first steps, for its coordinators' home page: each ticks itself once done.

Everything is read in one query (one EXISTS or count per step), whatever the district's size.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Exists, IntegerField, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.urls import NoReverseMatch, reverse

from coordinators.models import District, Invitation, RosterPerson, School, Student
from data_reviews.models import ImportBatch, ScreeningWindow, StudentResult
from implementation_plans.models import Process
from implementation_plans.processes.catalogue import STANDARD_PROCESSES
from meetings.models import MeetingKind, MeetingSeries
from mtss.audit.models import AuditEvent

STANDARD_SLUGS = [process.slug for process in STANDARD_PROCESSES]
# The settings count as reviewed once they were saved (any successful audit row about the district's
# settings) or the district's screening windows are set.
SETTINGS_AUDIT_WORD = "settings"
SETTINGS_URL_NAME = "district_settings"
ROSTER_FORMAT = ImportBatch.Format.ONEROSTER


@dataclass(frozen=True)
class OnboardingStep:
    label: str
    done: bool
    url: str | None
    action: str
    note: str = ""
    # Another way to the same step: (action, url), shown beside the first.
    alternative: tuple[str, str] | None = None


@dataclass(frozen=True)
class Onboarding:
    steps: list[OnboardingStep]

    @property
    def done_count(self) -> int:
        return sum(1 for step in self.steps if step.done)

    @property
    def complete(self) -> bool:
        return all(step.done for step in self.steps)


def _url(name: str) -> str | None:
    try:
        return reverse(name)
    except NoReverseMatch:
        # The page is not part of this installation yet: the step shows without its link.
        return None


def onboarding_for(district: District) -> Onboarding:
    """The six first steps of a district, each done or not, in one query."""
    in_district = {"district": OuterRef("pk")}
    started = (
        Process.objects.filter(**in_district, slug__in=STANDARD_SLUGS, latest_version__isnull=False)
        .order_by()
        .values("district")
        .annotate(started=Count("pk"))
        .values("started")
    )
    row = (
        District.objects.filter(pk=district.pk)
        .annotate(
            has_windows=Exists(ScreeningWindow.objects.filter(**in_district)),
            settings_saved=Exists(
                AuditEvent.objects.filter(
                    **in_district,
                    action__icontains=SETTINGS_AUDIT_WORD,
                    outcome=AuditEvent.Outcome.SUCCESS,
                )
            ),
            has_schools=Exists(School.objects.filter(**in_district)),
            has_students=Exists(Student.objects.filter(**in_district)),
            has_roster=Exists(RosterPerson.objects.filter(**in_district)),
            # Sent by someone of the district: the invitation that brought its first coordinator
            # (from the installation's operator) does not count.
            has_invitations=Exists(
                Invitation.objects.filter(**in_district, invited_by__memberships__district=OuterRef("pk"))
            ),
            # Results in the district count too: a district moved here with its results already in.
            has_import=Exists(ImportBatch.objects.filter(**in_district, status=ImportBatch.Status.DONE))
            | Exists(StudentResult.objects.filter(**in_district)),
            has_series=Exists(MeetingSeries.objects.filter(**in_district, kind=MeetingKind.DIT)),
            processes_started=Coalesce(Subquery(started, output_field=IntegerField()), 0),
        )
        .values(
            "has_windows",
            "settings_saved",
            "has_schools",
            "has_students",
            "has_roster",
            "has_invitations",
            "has_import",
            "has_series",
            "processes_started",
        )
        .get()
    )
    total = len(STANDARD_SLUGS)
    started_count = row["processes_started"]
    steps = [
        OnboardingStep(
            label="Review the district settings",
            done=row["has_windows"] or row["settings_saved"],
            url=_url(SETTINGS_URL_NAME),
            action="Open the district settings",
            note="Time zone, school year, screening windows and sign-in.",
        ),
        OnboardingStep(
            label="Add your schools",
            done=row["has_schools"],
            url=reverse("school_add"),
            action="Add a school",
        ),
        OnboardingStep(
            label="Invite your people or import a roster",
            done=row["has_students"] or row["has_roster"] or row["has_invitations"],
            url=reverse("people_bulk"),
            action="Invite people from a file",
            alternative=("Import a roster", f"{reverse('score_import_list')}?format={ROSTER_FORMAT}"),
        ),
        OnboardingStep(
            label="Import your first screener file",
            done=row["has_import"],
            url=reverse("score_import_list"),
            action="Import screener data",
        ),
        OnboardingStep(
            label="Set up the monthly DIT meeting series",
            done=row["has_series"],
            url=reverse("meeting_series_create"),
            action="Create the DIT meeting series",
        ),
        OnboardingStep(
            label=f"Start the {total} district processes",
            done=started_count >= total,
            url=reverse("process_board"),
            action="Open the processes",
            note=f"{started_count} of {total} started.",
        ),
    ]
    return Onboarding(steps=steps)
