"""The installation's operator, who belongs to no district, lands where they can work, never on a 403."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from coordinators.models import User
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

ROOT = Path(settings.BASE_DIR)


@pytest.fixture
def operator() -> User:
    return User.objects.create_superuser("operator@example.org", PASSWORD, full_name="Olive Operator")


def test_operator_without_a_district_signs_in_to_the_list_of_districts(side_a, operator):
    client = Client()
    response = client.post(
        reverse("login"), {"username": "operator@example.org", "password": PASSWORD}, follow=True
    )
    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == reverse("operator_districts")
    assert side_a.district.name in response.text


@pytest.mark.parametrize("page", ["home", "no_district", "meeting_list"])
def test_operator_without_a_district_is_sent_to_the_districts_not_refused(side_a, operator, page):
    client = Client()
    client.force_login(operator)
    response = client.get(reverse(page), follow=True)
    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == reverse("operator_districts")


def test_a_person_without_a_district_still_gets_the_no_district_page(side_a):
    person = User.objects.create_user(email="nobody@example.org", password=PASSWORD, full_name="No Body")
    client = Client()
    client.force_login(person)
    response = client.get(reverse("home"), follow=True)
    assert response.redirect_chain[-1][0] == reverse("no_district")
    assert response.status_code == 403


def test_site_url_defaults_to_the_address_make_run_serves():
    makefile = (ROOT / "Makefile").read_text()
    host = re.search(r"^HOST \?= (\S+)$", makefile, re.MULTILINE).group(1)
    port = re.search(r"^PORT \?= (\S+)$", makefile, re.MULTILINE).group(1)
    settings_text = (ROOT / "mtss" / "settings.py").read_text()
    assert f'env_str("SITE_URL", "http://{host}:{port}")' in settings_text


def test_the_favicon_answers_and_every_page_links_it(coordinator_a):
    icon = Client().get("/favicon.ico")
    assert icon.status_code == 200
    assert b"".join(icon.streaming_content if icon.streaming else [icon.content])[:4] == b"\x00\x00\x01\x00"
    page = coordinator_a.get(reverse("home")).text
    assert re.search(r'<link rel="icon" href="/static/img/favicon\.svg[^"]*" type="image/svg\+xml">', page)
    assert (ROOT / "static" / "img" / "favicon.svg").read_text().startswith("<svg")
