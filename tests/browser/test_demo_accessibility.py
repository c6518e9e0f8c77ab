"""Every demo role signs in through the form, sees its home page, and every page its navigation
offers passes axe-core with no serious or critical violations (docs/quality.md U1)."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from mtss.demo import DEMO_PASSWORD
from tests.browser.conftest import axe_violations, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DEMO_ROLES = [
    ("coordinator@demo.mtss", "District Coordinator"),
    ("leader@demo.mtss", "Executive Leader"),
    ("member@demo.mtss", "DIT Member"),
    ("principal@demo.mtss", "Site Admin"),
    ("teacher@demo.mtss", "School staff"),
]


@pytest.fixture
def demo(settings):
    settings.DEBUG = True
    call_command("seed_demo", verbosity=0)
    settings.DEBUG = False


def test_demo_roles_sign_in_and_every_main_page_is_accessible(demo, sign_in, live_server):
    problems: list[str] = []
    for email, role in DEMO_ROLES:
        page = sign_in(email, DEMO_PASSWORD)
        expect(page.locator("main")).to_contain_text(role)
        expect(page.locator("main")).to_contain_text("Maple Valley Public Schools")
        screenshot(page, f"demo-home-{role.replace(' ', '-').lower()}")
        links = page.locator("#main-nav a.nav-link, #main-nav a.dropdown-item").evaluate_all(
            "els => els.map(e => e.getAttribute('href'))"
        )
        assert links, f"{email} has no navigation"
        for href in dict.fromkeys(links):
            response = page.goto(f"{live_server.url}{href}")
            assert response is not None
            if response.status != 200:
                problems.append(f"{email} {href}: HTTP {response.status}")
                continue
            problems += [f"{email} {href}: {v}" for v in axe_violations(page)]
        page.context.close()
    assert not problems, "\n".join(problems)
