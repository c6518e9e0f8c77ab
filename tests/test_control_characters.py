"""Control characters a person can type into an address answer 400 or 404, never 500.

Every URL pattern the authorisation matrix knows is requested with NUL and with other control
characters in its path segments and in its query values, as anonymous and as district A's
coordinator. PostgreSQL refuses NUL in text, so on PostgreSQL a NUL that reached a query used to
answer 500 (`/calendar/%00.ics`, `/practices/?text=%00`). Run this file with DATABASE_URL set too.

The query values go to every parameter a view reads: names read straight from `request.GET`, found
in the source, and the fields of the filter forms bound to it.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import quote

import pytest
from django.test import Client
from django.urls import reverse

from coordinators.forms import TimeSummaryForm
from data_reviews.reviews.forms import ReviewFilterForm
from implementation_plans.plan.forms import PlanFilterForm
from implementation_plans.processes.forms import BoardFilterForm
from meetings.models import Attendance
from mtss.audit.views import AuditFilterForm
from tests.meetings.factories import make_meeting
from tests.security_world import World
from tests.test_authorization_matrix import MATRIX, PERSONAS, Entry, _path, world  # noqa: F401 (fixture)

ROOT = Path(__file__).resolve().parent.parent
PAYLOADS = {"nul": "%00", "controls": "a%01%08%09%0A%0D%1B%1F%7Fb"}
FILTER_FORMS = {
    "AuditFilterForm": AuditFilterForm,
    "TimeSummaryForm": TimeSummaryForm,
    "ReviewFilterForm": ReviewFilterForm,
    "PlanFilterForm": PlanFilterForm,
    "BoardFilterForm": BoardFilterForm,
}
GET_READ = re.compile(r"""request\.GET(?:\.get|\.getlist)?[(\[]\s*["'](\w+)["']""")
# A line that reads the query in a loop names the parameters around it: ("text", "domain", ...).
GET_LOOP = re.compile(r"""^.*request\.GET\.get\(\s*\w+\b.*$""", re.MULTILINE)
QUOTED = re.compile(r"""["'](\w+)["']""")
GET_FORM = re.compile(r"""(\w+Form)\(\s*request\.GET""")


def _app_sources() -> list[str]:
    return [
        path.read_text()
        for path in ROOT.glob("*/**/*.py")
        if not path.relative_to(ROOT).as_posix().startswith((".venv/", "tests/", "var/"))
    ]


def query_names() -> list[str]:
    names = set()
    for source in _app_sources():
        names |= set(GET_READ.findall(source))
        for line in GET_LOOP.findall(source):
            names |= set(QUOTED.findall(line))
    for form in FILTER_FORMS.values():
        names |= set(form.base_fields)
    return sorted(names)


def test_every_form_bound_to_the_query_string_is_probed():
    bound = {name for source in _app_sources() for name in GET_FORM.findall(source)}
    assert bound == set(FILTER_FORMS)
    assert {"text", "page", "show", "subject"} <= set(query_names())


def probes(objects: World, payload: str, persona: str) -> list[str]:
    """Each route with the payload in each path parameter (or as a last segment) and in the query.

    The query carries the payload in every parameter at once; on the pages the persona opens, also
    in each parameter alone, since one parameter can lead a view away from where another is read.
    """
    names = query_names()
    column = PERSONAS.index(persona)
    found = []
    for route, entry in sorted(MATRIX.items()):
        path = _path(route, objects, entry)
        found.append(f"{path}?" + "&".join(f"{name}={payload}" for name in names))
        if entry.get.split()[column] == "200":
            found += [f"{path}?{name}={payload}" for name in names]
        kwargs = entry.kwargs(objects) if entry.kwargs else {}
        if not kwargs:
            found.append(f"{path}{payload}")
            continue
        for key in kwargs:
            tampered = {**kwargs, key: f"{quote(str(kwargs[key]))}{payload}"}
            found.append(_path(route, objects, Entry(get=entry.get, kwargs=lambda _w, t=tampered: t)))
    return found


@pytest.mark.django_db
@pytest.mark.parametrize("payload", sorted(PAYLOADS))
@pytest.mark.parametrize("persona", ["anonymous", "coordinator_a"])
def test_control_characters_in_any_address_answer_400_or_404(persona: str, payload: str, world: World):  # noqa: F811
    client = Client(raise_request_exception=False)
    if persona == "coordinator_a":
        client.force_login(world.a.coordinator)
    failures = []
    paths = probes(world, PAYLOADS[payload], persona)
    for path in paths:
        response = client.get(path)
        if response.status_code not in (400, 404):
            failures.append(f"GET {path[:120]}: {response.status_code}")
    assert len(paths) > 2 * len(MATRIX)
    assert not failures, "\n".join(failures)


@pytest.mark.django_db
def test_the_refusal_says_what_happened_in_plain_words(client):
    response = client.get("/calendar/%00.ics")
    assert response.status_code == 400
    assert "can't read" in response.content.decode()
    assert response["Content-Type"].startswith("text/html")
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "script-src 'self'" in response["Content-Security-Policy"]


@pytest.mark.parametrize(
    ("path", "query", "refused"),
    [
        ("/practices/", "text=reading%20groups", False),
        ("/practices/", "text=caf%C3%A9", False),
        ("/practices/", "text=%00", True),
        ("/practices/", "text=a%0Ab", True),
        ("/practices/", "te%00xt=a", True),
        ("/calendar/a\x00b.ics", "", True),
        ("/calendar/a\x7fb.ics", "", True),
        ("/meetings/\u00e9/", "", False),
    ],
)
def test_the_middleware_refuses_only_control_characters(rf, path: str, query: str, refused: bool):
    from mtss.middleware import ControlCharacterMiddleware

    middleware = ControlCharacterMiddleware(lambda request: None)
    request = rf.get(path, QUERY_STRING=query)
    response = middleware(request)
    assert (response is not None and response.status_code == 400) is refused


@pytest.mark.django_db
def test_a_form_posted_with_nul_answers_400_and_saves_nothing(side_a, coordinator_a):
    meeting = make_meeting(side_a.district, side_a.coordinator)
    url = reverse("meeting_attendance", args=[meeting.pk])
    response = coordinator_a.post(url, {"guests": "Ms. Rivera\x00"})
    assert response.status_code == 400
    assert not Attendance.objects.filter(meeting=meeting, person__isnull=True).exists()
    response = Client(raise_request_exception=False).post(
        reverse("login"), {"username": "coordinator\x00@example.org", "password": "x"}
    )
    assert response.status_code == 400


@pytest.mark.django_db
def test_line_breaks_and_tabs_in_a_form_are_kept(side_a, coordinator_a):
    meeting = make_meeting(side_a.district, side_a.coordinator)
    url = reverse("meeting_attendance", args=[meeting.pk])
    assert coordinator_a.post(url, {"guests": "Ms. Rivera\r\nMr.\tOkafor\n"}).status_code == 302
    assert set(meeting.attendance.filter(person__isnull=True).values_list("guest_name", flat=True)) == {
        "Ms. Rivera",
        "Mr.\tOkafor",
    }
