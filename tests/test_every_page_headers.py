"""Every page the coordinator can open sends the strict headers and has no inline code (QUALITY.md S2).

The pages are the authorisation matrix's routes (so a new URL is covered as soon as it has a matrix
entry) opened with GET by district A's coordinator, on one object of each kind (`tests/security_world.py`).
"""

from __future__ import annotations

import re

import pytest
from django.test import Client

from tests.security_world import World
from tests.test_authorization_matrix import MATRIX, PERSONAS, _path, world  # noqa: F401 (fixture)

COORDINATOR = PERSONAS.index("coordinator_a")
HTML_ROUTES = sorted(route for route, entry in MATRIX.items() if entry.get.split()[COORDINATOR] == "200")
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>", re.IGNORECASE)
EVENT_HANDLER = re.compile(r"<[a-z][^>]*\son[a-z]+\s*=", re.IGNORECASE)


def _directives(header: str) -> dict[str, list[str]]:
    return {part.split()[0]: part.split()[1:] for part in (p.strip() for p in header.split(";")) if part}


def test_the_list_of_pages_is_the_matrix_not_a_handful():
    assert len(HTML_ROUTES) > 60


@pytest.mark.django_db
def test_every_page_sends_strict_headers_and_no_inline_code(world: World):  # noqa: F811
    client = Client()
    client.force_login(world.a.coordinator)
    failures: list[str] = []
    pages = 0
    for route in HTML_ROUTES:
        path = _path(route, world, MATRIX[route])
        response = client.get(path)
        if response.status_code != 200:
            failures.append(f"{path}: {response.status_code}")
            continue
        csp = _directives(response.get("Content-Security-Policy", ""))
        problems = []
        if csp.get("script-src") != ["'self'"]:
            problems.append(f"script-src {csp.get('script-src')}")
        if csp.get("object-src") != ["'none'"] or csp.get("frame-ancestors") != ["'none'"]:
            problems.append("object-src/frame-ancestors not 'none'")
        if response.get("X-Frame-Options") != "DENY":
            problems.append("X-Frame-Options")
        if response.get("X-Content-Type-Options") != "nosniff":
            problems.append("nosniff")
        if response.get("Referrer-Policy") != "same-origin":
            problems.append("Referrer-Policy")
        if response["Content-Type"].startswith("text/html"):
            pages += 1
            html = response.content.decode()
            if INLINE_SCRIPT.search(html):
                problems.append(f"inline <script>: {INLINE_SCRIPT.search(html).group(0)}")
            if EVENT_HANDLER.search(html):
                problems.append(f"event handler attribute: {EVENT_HANDLER.search(html).group(0)[:80]}")
        if problems:
            failures.append(f"{path}: {'; '.join(problems)}")
    assert not failures, "\n".join(failures)
    assert pages > 60
