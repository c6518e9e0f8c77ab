"""The N+1 detector (django-zeal, switched on in tests/settings.py) fails any request that has one."""

from __future__ import annotations

import pytest
from zeal.errors import NPlusOneError

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.mtss.n_plus_one_urls")]


def test_a_page_loading_related_rows_one_by_one_fails(side_a, client):
    with pytest.raises(NPlusOneError, match=r"N\+1 detected on coordinators\.Membership\.user"):
        client.get("/one-by-one/")


def test_the_same_page_with_one_join_passes(side_a, client):
    response = client.get("/all-at-once/")
    assert response.status_code == 200
    assert side_a.leader.full_name in response.text
