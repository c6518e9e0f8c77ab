"""Who may do what: every URL pattern x every persona x GET and POST (QUALITY.md S3).

This is the one place to read the access rules. Each URL pattern the resolver knows must have an entry
below; a new URL without one fails `test_every_url_pattern_has_an_entry`.

Personas, in column order: anonymous, then district A's coordinator, leader, DIT member and site admin,
then district B's coordinator and leader (the outsiders). Objects in URLs belong to district A, so the
outsiders must get 404 on them and change nothing. Expected answers are HTTP status codes; "-" means
"not requested" (e.g. POST to a page that only shows a form is covered by the page's own tests).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.apps import apps
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.conftest import Side

PERSONAS = ["anonymous", "coordinator_a", "leader_a", "member_a", "site_admin_a", "coordinator_b", "leader_b"]
OUTSIDERS = {"coordinator_b", "leader_b"}
# Patterns outside the app's own access rules: Django's admin has its own staff permissions.
NOT_IN_MATRIX_NAMESPACES = {"admin"}


@dataclass(frozen=True)
class Entry:
    get: str  # seven status codes, one per persona, separated by spaces
    post: str = "- - - - - - -"
    kwargs: Callable[[World], dict[str, Any]] | None = None
    post_data: Callable[[World], dict[str, Any]] | None = None


@dataclass
class World:
    a: Side
    b: Side
    objects: dict[str, Any]


def _codes(text: str) -> list[str]:
    codes = text.split()
    assert len(codes) == len(PERSONAS), f"{text!r} needs {len(PERSONAS)} answers"
    return codes


MATRIX: dict[str, Entry] = {
    # --- foundation ---------------------------------------------------------------------------------
    "healthz": Entry(get="200 200 200 200 200 200 200"),
    "accounts/login/": Entry(get="200 302 302 302 302 302 302"),
    "accounts/logout/": Entry(get="405 405 405 405 405 405 405", post="302 302 302 302 302 302 302"),
    "accounts/password_change/": Entry(get="302 200 200 200 200 200 200"),
    "accounts/password_change/done/": Entry(get="302 200 200 200 200 200 200"),
    "accounts/password_reset/": Entry(get="200 200 200 200 200 200 200"),
    "accounts/password_reset/done/": Entry(get="200 200 200 200 200 200 200"),
    "accounts/reset/<uidb64>/<token>/": Entry(
        get="200 200 200 200 200 200 200", kwargs=lambda w: {"uidb64": "MQ", "token": "bad-token"}
    ),
    "accounts/reset/done/": Entry(get="200 200 200 200 200 200 200"),
    "": Entry(get="302 200 200 200 200 200 200"),
    "no-district/": Entry(get="302 302 302 302 302 302 302"),
    "district/switch/": Entry(
        get="302 405 405 405 405 405 405",
        post="302 302 302 302 302 302 302",
        post_data=lambda w: {"district": w.a.district.pk},
    ),
    "schools/": Entry(get="302 200 200 200 200 200 200"),
    "schools/<int:pk>/": Entry(
        get="302 200 200 200 404 404 404", kwargs=lambda w: {"pk": w.a.other_school.pk}
    ),
    "people/": Entry(get="302 200 200 200 403 200 200"),
    "people/invite/": Entry(
        get="302 200 403 403 403 200 403",
        post="302 200 403 403 403 200 403",
        post_data=lambda w: {},
    ),
    "people/<int:pk>/": Entry(
        get="302 200 200 200 403 404 404", kwargs=lambda w: {"pk": w.a.membership(w.a.member).pk}
    ),
}


def _walk(
    patterns: list[Any], prefix: str = "", namespace: str | None = None
) -> list[tuple[str, str | None]]:
    found = []
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            found += _walk(
                pattern.url_patterns, prefix + str(pattern.pattern), pattern.namespace or namespace
            )
        elif isinstance(pattern, URLPattern):
            found.append((prefix + str(pattern.pattern), namespace))
    return found


def all_routes() -> list[str]:
    return sorted(
        {
            route
            for route, namespace in _walk(get_resolver().url_patterns)
            if namespace not in NOT_IN_MATRIX_NAMESPACES
        }
    )


def test_every_url_pattern_has_an_entry():
    missing = [route for route in all_routes() if route not in MATRIX]
    assert not missing, f"add these URL patterns to the authorisation matrix: {missing}"
    stale = [route for route in MATRIX if route not in all_routes()]
    assert not stale, f"these matrix entries match no URL pattern any more: {stale}"


def _path(route: str, world: World, entry: Entry) -> str:
    kwargs = entry.kwargs(world) if entry.kwargs else {}
    path = "/" + route
    for key, value in kwargs.items():
        for converter in ("int:", "str:", "slug:", "uuid:", "path:", ""):
            path = path.replace(f"<{converter}{key}>", str(value))
    assert "<" not in path, f"{route}: kwargs missing for {path}"
    return path


def _client(persona: str, world: World) -> Client:
    client = Client()
    if persona == "anonymous":
        return client
    side = world.a if persona.endswith("_a") else world.b
    role = persona.rsplit("_", 1)[0]
    client.force_login(getattr(side, role))
    return client


def _table_counts() -> dict[str, int]:
    skip = {"audit", "axes", "sessions", "admin"}
    return {m._meta.label: m.objects.count() for m in apps.get_models() if m._meta.app_label not in skip}


@pytest.fixture
def world(side_a: Side, side_b: Side) -> World:
    return World(a=side_a, b=side_b, objects={})


@pytest.mark.django_db
@pytest.mark.parametrize("route", sorted(MATRIX))
def test_each_persona_gets_the_expected_answer(route: str, world: World):
    entry = MATRIX[route]
    path = _path(route, world, entry)
    failures = []
    for method, expected_text in (("GET", entry.get), ("POST", entry.post)):
        for persona, expected in zip(PERSONAS, _codes(expected_text), strict=True):
            if expected == "-":
                continue
            client = _client(persona, world)
            before = _table_counts() if persona in OUTSIDERS else None
            if method == "GET":
                response = client.get(path)
            else:
                data = entry.post_data(world) if entry.post_data else {}
                response = client.post(path, data)
            if str(response.status_code) != expected:
                failures.append(
                    f"{method} {path} as {persona}: expected {expected}, got {response.status_code}"
                )
            if before is not None and expected == "404":
                after = _table_counts()
                changed = {k: (before[k], after[k]) for k in before if before[k] != after[k]}
                if changed:
                    failures.append(f"{method} {path} as {persona} changed rows: {changed}")
    assert not failures, "\n".join(failures)


def test_reverse_of_home_is_the_root():
    assert reverse("home") == "/"
