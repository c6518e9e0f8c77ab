"""Hostile text in every free-text field renders inert on every page that shows it (docs/quality.md).

District A is built with a payload appended to every free-text field (process sections and comments,
plan goals, activities and progress notes, capacity items, barriers and escalation reasons,
initiatives, practices, meetings, agenda items, minutes, action items, data reviews, sources,
successes, problem statements, factors and actions, notifications), to people's names and titles,
school names and a teacher's roster class. Every page the coordinator, the site admin (the
principal) or the school staff member (the teacher) can open, taken from the authorisation matrix,
is then fetched and must not contain the payload as live markup. Markdown fields (process sections,
practice descriptions) must come out sanitised, links included.
"""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from django.test import Client

from coordinators.models import Enrollment, RosterClass, RosterPerson
from tests.conftest import Side
from tests.security_world import World, build_objects
from tests.test_authorization_matrix import MATRIX, PERSONAS, _path

SCRIPT = "<script>alert(1)</script>"
IMG = '"><img src=x onerror=alert(1)>'
MARKDOWN_LINK = "[click](javascript:alert(1))"
PAYLOAD = f" {SCRIPT} {IMG} {MARKDOWN_LINK}"
RAW = ["<script>alert(1)", "<img src=x onerror"]
ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;"


class LiveMarkup(HTMLParser):
    """What a browser would run: payload tags, event-handler attributes, javascript: links."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self._in_script = self._json = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "img" and values.get("src") == "x":
            self.found.append(f"<img src=x> {attrs}")
        for name, value in attrs:
            if name.startswith("on"):
                self.found.append(f"<{tag} {name}=...>")
            if name in {"href", "src", "action", "formaction"} and (value or "").strip().lower().startswith(
                "javascript:"
            ):
                self.found.append(f"<{tag} {name}={value!r}>")
        self._in_script = tag == "script"
        self._json = values.get("type") == "application/json"

    def handle_endtag(self, tag: str) -> None:
        self._in_script = self._json = False

    def handle_data(self, data: str) -> None:
        # json_script data is not run; it must still not be able to close its element early.
        if self._in_script and self._json and "<" in data:
            self.found.append(f"unescaped < in JSON data: {data[:60]}")
        elif self._in_script and not self._json and "alert(1)" in data:
            self.found.append(f"<script>{data[:60]}")


def _routes(persona: str) -> list[str]:
    column = PERSONAS.index(persona)
    return sorted(route for route, entry in MATRIX.items() if entry.get.split()[column] == "200")


@pytest.fixture
def hostile_world(side_a: Side, side_b: Side) -> World:
    for user in (side_a.coordinator, side_a.leader, side_a.member, side_a.site_admin, side_a.school_staff):
        user.full_name = f"{user.full_name}{PAYLOAD}"[:150]
        user.title = f"Coordinator{PAYLOAD}"[:150]
        user.save()
    for school in (side_a.school, side_a.other_school):
        school.name = f"{school.name}{PAYLOAD}"[:200]
        school.save()
    # The teacher's home lists their roster classes by the titles the roster gave them.
    teacher = RosterPerson.objects.create(
        district=side_a.district, sourced_id="teacher", roster_role="teacher", person=side_a.school_staff
    )
    hostile_class = RosterClass.objects.create(
        district=side_a.district,
        sourced_id="class",
        title=f"Reading{PAYLOAD}"[:200],
        course_title=f"Course{PAYLOAD}"[:200],
        grades=f"2{PAYLOAD}"[:64],
        school=side_a.school,
    )
    Enrollment.objects.create(
        district=side_a.district, sourced_id="e", roster_class=hostile_class, staff=teacher, role="teacher"
    )
    return World(a=side_a, b=side_b, objects=build_objects(side_a, text=PAYLOAD))


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["coordinator_a", "site_admin_a", "school_staff_a"])
def test_hostile_text_is_inert_on_every_page(persona: str, hostile_world: World):
    side = hostile_world.a
    client = Client()
    client.force_login(getattr(side, persona.removesuffix("_a")))
    live: list[str] = []
    shown = 0
    pages = 0
    for route in _routes(persona):
        path = _path(route, hostile_world, MATRIX[route])
        response = client.get(path)
        assert response.status_code == 200, path
        if not response["Content-Type"].startswith("text/html"):
            continue
        pages += 1
        html = response.content.decode()
        shown += html.count(ESCAPED)
        for raw in RAW:
            at = html.find(raw)
            if at >= 0:
                live.append(f"{path}: {html[max(at - 80, 0) : at + 60]!r}")
        scan = LiveMarkup()
        scan.feed(html)
        live += [f"{path}: {found}" for found in scan.found]
    assert not live, "\n".join(live)
    assert pages > (60 if persona == "coordinator_a" else 10)
    assert shown > pages, "the payload should be on the pages, escaped"


@pytest.mark.parametrize(
    ("html", "live"),
    [
        ('<img src=x onerror="alert(1)">', True),
        ('<a href=" javascript:alert(1)">x</a>', True),
        ("<script>alert(1)</script>", True),
        ('<button onclick="go()">Go</button>', True),
        ('<script type="application/json">{"t": "</b>"}</script>', True),
        ('<p title="&quot;&gt;&lt;img src=x onerror=alert(1)&gt;">ok</p>', False),
        ("<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>", False),
        ('<script type="application/json">{"t": "\\u003Cscript\\u003Ealert(1)"}</script>', False),
    ],
)
def test_the_scanner_tells_live_markup_from_escaped_text(html: str, live: bool):
    scan = LiveMarkup()
    scan.feed(html)
    assert bool(scan.found) is live
