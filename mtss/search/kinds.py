"""What search finds: one `Kind` per kind of record, in the order the results page lists them.

A kind names
- `scope(member)`: the very selector the kind's list and detail pages use, so search shows a person
  exactly the records those pages would open for them (a site admin's schools only, never another
  district);
- `documents(pks)`: the words of those records (title, body, a short detail line), read in a few
  queries whatever the number of records;
- `watches`: the models whose writes change those words, each with the records it feeds (a minute
  entry feeds its meeting).

A new kind (students, say) is one more `Kind` appended with `register()`; nothing else changes.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Model, Prefetch, QuerySet
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from coordinators import selectors as people_selectors
from coordinators.models import Membership, School, User
from data_reviews.models import DataReview, DataSource, ProblemStatement, SolutionAction, Success
from data_reviews.reviews import selectors as review_selectors
from implementation_plans.models import (
    Barrier,
    PlanActivity,
    Practice,
    Process,
    ProcessVersion,
    ProgressUpdate,
)
from implementation_plans.plan import selectors as plan_selectors
from implementation_plans.processes import selectors as process_selectors
from meetings import selectors as meeting_selectors
from meetings.models import ActionItem, AgendaItem, Meeting, MinuteEntry

TITLE_LENGTH = 300
DETAIL_LENGTH = 200
# Long enough for every process draft; PostgreSQL's tsvector itself stops at 1 MB.
BODY_LENGTH = 50_000
# The highlighting marks travel through ts_headline as these two characters, so they must never
# come from the records themselves.
MARK_START, MARK_STOP = "\x02", "\x03"
MARKDOWN_SIGNS = re.compile(r"[*_`#>|~\[\]]+")


@dataclass(frozen=True)
class Document:
    object_id: int
    district_id: int
    school_id: int | None
    title: str
    body: str
    url: str
    detail: str = ""


@dataclass(frozen=True)
class Watch:
    """A model whose rows feed a kind's records: `roots(row)` gives those records' keys.

    With `fields`, a save that names its update_fields and none of these (a sign-in stamping
    last_login, say) leaves the index alone.
    """

    model: type[Model]
    roots: Callable[[Any], Iterable[int]]
    fields: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Kind:
    key: str
    label: str
    model: type[Model]
    scope: Callable[[Membership], QuerySet]
    documents: Callable[[list[int]], list[Document]]
    watches: tuple[Watch, ...] = field(default=())


def clean(text: str, limit: int = BODY_LENGTH) -> str:
    return (text or "").replace(MARK_START, " ").replace(MARK_STOP, " ")[:limit]


def lines(*parts: object) -> str:
    return clean("\n".join(str(part) for part in parts if part))


def document(
    obj: Any, *, title: str, body: str, url: str, school_id: int | None, detail: str = ""
) -> Document:
    return Document(
        object_id=obj.pk,
        district_id=obj.district_id,
        school_id=school_id,
        title=clean(title, TITLE_LENGTH) or "(untitled)",
        body=body,
        url=url[:500],
        detail=clean(detail, DETAIL_LENGTH),
    )


def _day(day: date) -> str:
    return f"{day:%b} {day.day}, {day.year}"


def _self(obj: Model) -> list[int]:
    return [obj.pk]


# --- the kinds -------------------------------------------------------------------------------------


def _processes(pks: list[int]) -> list[Document]:
    found = Process.objects.filter(pk__in=pks).select_related("approved_version", "latest_version")
    docs = []
    for process in found:
        texts: list[str] = []
        for version in (process.latest_version, process.approved_version):
            if version is not None and isinstance(version.texts, dict):
                texts += [MARKDOWN_SIGNS.sub(" ", str(t)) for t in version.texts.values() if t]
        status = process.latest_version.get_status_display() if process.latest_version else "Not started"
        docs.append(
            document(
                process,
                title=process.name,
                body=lines(process.purpose, *dict.fromkeys(texts)),
                url=reverse("process_detail", args=[process.pk]),
                school_id=None,
                detail=status,
            )
        )
    return docs


def _activities(pks: list[int]) -> list[Document]:
    found = (
        PlanActivity.objects.filter(pk__in=pks)
        .select_related("owner", "practice", "goal")
        .prefetch_related(Prefetch("updates", queryset=ProgressUpdate.objects.order_by("recorded_on", "id")))
    )
    return [
        document(
            activity,
            title=activity.title,
            body=lines(
                activity.goal.title,
                activity.innovation,
                activity.practice.name if activity.practice else "",
                activity.success_criteria,
                activity.motivation,
                *(update.note for update in activity.updates.all()),
            ),
            url=reverse("plan_activity_detail", args=[activity.pk]),
            school_id=None,
            detail=" · ".join(
                part
                for part in (
                    activity.get_status_display(),
                    f"due {_day(activity.due_date)}",
                    activity.owner.get_full_name() if activity.owner else "",
                )
                if part
            ),
        )
        for activity in found
    ]


def _meetings(pks: list[int]) -> list[Document]:
    entries = MinuteEntry.objects.order_by("created_at", "id")
    agenda = AgendaItem.objects.order_by("position", "id").prefetch_related(
        Prefetch("entries", queryset=entries)
    )
    found = (
        Meeting.objects.filter(pk__in=pks)
        .select_related("district")
        .prefetch_related(Prefetch("agenda_items", queryset=agenda))
    )
    docs = []
    for meeting in found:
        starts = timezone.localtime(meeting.starts_at, meeting.district.tz)
        words: list[str] = [meeting.get_kind_display(), meeting.location]
        for item in meeting.agenda_items.all():
            words += [item.title, item.description, *(entry.text for entry in item.entries.all())]
        docs.append(
            document(
                meeting,
                title=meeting.title,
                body=lines(*words),
                url=reverse("meeting_detail", args=[meeting.pk]),
                school_id=None,
                detail=f"{_day(starts)} · {meeting.get_status_display()}",
            )
        )
    return docs


def _action_item_url(item: ActionItem) -> str:
    """The action item's own page; where it came from on an installation without that page."""
    try:
        return reverse("action_item_detail", args=[item.pk])
    except NoReverseMatch:
        pass
    if item.source_url.startswith("/"):
        return item.source_url
    if item.meeting_id:
        return reverse("meeting_detail", args=[item.meeting_id])
    return reverse("action_item_list") + "?show=all"


def _action_items(pks: list[int]) -> list[Document]:
    found = ActionItem.objects.filter(pk__in=pks).select_related("owner")
    return [
        document(
            item,
            title=item.title,
            body=lines(item.details, item.source_label),
            url=_action_item_url(item),
            school_id=None,
            detail=" · ".join(
                part
                for part in (
                    item.get_status_display(),
                    f"due {item.due_date:%b} {item.due_date.day}, {item.due_date.year}"
                    if item.due_date
                    else "",
                    item.owner.get_full_name() if item.owner else "",
                )
                if part
            ),
        )
        for item in found
    ]


def _barriers(pks: list[int]) -> list[Document]:
    found = Barrier.objects.filter(pk__in=pks).select_related("school")
    return [
        document(
            barrier,
            title=" ".join(barrier.description.split())[:120],
            body=lines(
                barrier.description,
                barrier.routed_to,
                barrier.escalation_reason,
                barrier.decision,
                barrier.resolution,
            ),
            url=reverse("barrier_detail", args=[barrier.pk]),
            school_id=barrier.school_id,
            detail=f"{barrier.get_status_display()} · {barrier.get_level_display()}",
        )
        for barrier in found
    ]


def _practices(pks: list[int]) -> list[Document]:
    return [
        document(
            practice,
            title=practice.name,
            body=lines(
                MARKDOWN_SIGNS.sub(" ", practice.description),
                practice.success_criteria,
                practice.resources,
            ),
            url=reverse("practice_detail", args=[practice.pk]),
            school_id=None,
            detail=practice.get_evidence_level_display(),
        )
        for practice in Practice.objects.filter(pk__in=pks)
    ]


def _reviews(pks: list[int]) -> list[Document]:
    found = DataReview.objects.filter(pk__in=pks).prefetch_related("sources", "successes")
    docs = []
    for review in found:
        words = [review.meeting_label, review.notes]
        for source in review.sources.all():
            words += [source.title, source.summary]
        words += [success.text for success in review.successes.all()]
        docs.append(
            document(
                review,
                title=review.title,
                body=lines(*words),
                url=reverse("review_detail", args=[review.pk]),
                school_id=review.school_id,
                detail=f"{'' if review.school_id else 'District · '}held {_day(review.held_on)}",
            )
        )
    return docs


def _problems(pks: list[int]) -> list[Document]:
    found = ProblemStatement.objects.filter(pk__in=pks).prefetch_related(
        "factors", Prefetch("actions", queryset=SolutionAction.objects.order_by("id"))
    )
    return [
        document(
            problem,
            title=problem.what,
            body=lines(
                problem.who,
                problem.where,
                problem.when,
                problem.how_often,
                problem.goal,
                problem.goal_target,
                *(factor.text for factor in problem.factors.all()),
                *(action.description for action in problem.actions.all()),
            ),
            url=reverse("problem_detail", args=[problem.pk]),
            school_id=problem.school_id,
            detail=problem.get_status_display()
            if problem.school_id
            else f"District · {problem.get_status_display()}",
        )
        for problem in found
    ]


def _schools(pks: list[int]) -> list[Document]:
    return [
        document(
            school,
            title=school.name,
            body=lines(school.code, school.get_level_display(), f"Grades {school.grades_served}"),
            url=reverse("school_detail", args=[school.pk]),
            school_id=school.pk,
            detail=f"{school.get_level_display()} · {school.grades_served}",
        )
        for school in School.objects.filter(pk__in=pks)
    ]


def _people(pks: list[int]) -> list[Document]:
    found = Membership.objects.filter(pk__in=pks).select_related("user")
    return [
        document(
            membership,
            title=membership.user.full_name,
            body=lines(membership.user.short_name, membership.user.title, membership.user.email),
            url=reverse("person_detail", args=[membership.pk]),
            school_id=None,
            detail=" · ".join(p for p in (membership.get_role_display(), membership.user.title) if p),
        )
        for membership in found
    ]


def _memberships_of(user: User) -> list[int]:
    return list(Membership.objects.filter(user_id=user.pk).values_list("pk", flat=True))


KINDS: dict[str, Kind] = {}


def register(kind: Kind) -> Kind:
    KINDS[kind.key] = kind
    return kind


register(
    Kind(
        "process",
        "Processes",
        Process,
        process_selectors.processes_for,
        _processes,
        (Watch(Process, _self), Watch(ProcessVersion, lambda v: [v.process_id])),
    )
)
register(
    Kind(
        "plan_activity",
        "Plan activities",
        PlanActivity,
        plan_selectors.activities_for,
        _activities,
        (Watch(PlanActivity, _self), Watch(ProgressUpdate, lambda u: [u.activity_id])),
    )
)
register(
    Kind(
        "meeting",
        "Meetings and minutes",
        Meeting,
        meeting_selectors.meetings_in_view,
        _meetings,
        (
            Watch(Meeting, _self),
            Watch(AgendaItem, lambda i: [i.meeting_id]),
            Watch(
                MinuteEntry,
                lambda e: AgendaItem.objects.filter(pk=e.agenda_item_id).values_list("meeting_id", flat=True),
            ),
        ),
    )
)
register(
    Kind(
        "action_item",
        "Action items",
        ActionItem,
        meeting_selectors.action_items_for,
        _action_items,
        (Watch(ActionItem, _self),),
    )
)
register(
    Kind("barrier", "Barriers", Barrier, plan_selectors.barriers_for, _barriers, (Watch(Barrier, _self),))
)
register(
    Kind(
        "practice", "Practices", Practice, plan_selectors.practices_for, _practices, (Watch(Practice, _self),)
    )
)
register(
    Kind(
        "data_review",
        "Data reviews",
        DataReview,
        review_selectors.reviews_for,
        _reviews,
        (
            Watch(DataReview, _self),
            Watch(DataSource, lambda s: [s.review_id]),
            Watch(Success, lambda s: [s.review_id]),
        ),
    )
)
register(
    Kind(
        "problem",
        "Problem statements",
        ProblemStatement,
        review_selectors.problems_for,
        _problems,
        (Watch(ProblemStatement, _self), Watch(SolutionAction, lambda a: [a.problem_id])),
    )
)
register(Kind("school", "Schools", School, people_selectors.schools_for, _schools, (Watch(School, _self),)))
register(
    Kind(
        "person",
        "People",
        Membership,
        people_selectors.people_for,
        _people,
        (
            Watch(Membership, _self),
            Watch(User, _memberships_of, frozenset({"full_name", "short_name", "title", "email"})),
        ),
    )
)
