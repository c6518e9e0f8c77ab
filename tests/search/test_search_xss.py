"""Hostile text in every searchable field stays inert in search results, highlighted or not.

District A is the XSS test's hostile world (a payload in every free-text field, people's names and
school names), indexed; searching for words of the payload returns it from every kind of record.
"""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from mtss.search.index import reindex
from mtss.search.kinds import KINDS
from tests.security_world import World
from tests.test_xss import RAW, LiveMarkup, hostile_world  # noqa: F401 (fixture)


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["coordinator", "site_admin"])
def test_hostile_text_is_inert_in_search_results(persona: str, hostile_world: World):  # noqa: F811
    side = hostile_world.a
    reindex(side.district.pk)
    client = Client()
    client.force_login(getattr(side, persona))
    # Words outside the payload's tags: PostgreSQL's parser drops whole HTML tags from the vector.
    for words in ("alert", "click", "alert click"):
        response = client.get(reverse("search"), {"q": words})
        assert response.status_code == 200
        html = response.content.decode()
        for raw in RAW:
            assert raw not in html, words
        scan = LiveMarkup()
        scan.feed(html)
        assert scan.found == [], words
        assert "<mark>" in html, words
        groups = html.count('<section class="mb-4" id="results-')
        assert groups >= (len(KINDS) - 1 if persona == "coordinator" else 2), words
    page = client.get(reverse("search"), {"q": "alert"}).content.decode()
    # Marked inside the hostile text, which stays escaped around the mark.
    assert "&lt;img src=x onerror=<mark>alert</mark>(1)&gt;" in page
