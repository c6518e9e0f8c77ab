"""People are greeted by the name they go by, and choose it on their own "Your profile" page."""

from __future__ import annotations

import pytest
from django.urls import reverse

from coordinators.models import User, default_short_name
from coordinators.sign_in import _reset_message
from mtss.notifications.delivery import build_message
from tests.notifications.factories import NotificationFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("full_name", "expected"),
    [
        ("Dr. Marcus Reyes", "Marcus"),
        ("Ms Ana Ortiz", "Ana"),
        ("MRS. Jo Park", "Jo"),
        ("Prof. Dr. Lee Kim", "Lee"),
        ("Mx. Sam Rivera", "Sam"),
        ("  Maria   Lopez ", "Maria"),
        ("Cher", "Cher"),
        ("Dr.", "Dr."),
        ("Drew Miller", "Drew"),
    ],
)
def test_the_default_short_name_is_the_first_word_that_is_not_an_honorific(full_name, expected):
    assert default_short_name(full_name) == expected


@pytest.fixture
def doctor(side_a):
    side_a.coordinator.full_name = "Dr. Marcus Reyes"
    side_a.coordinator.save()
    return side_a.coordinator


def test_home_greets_by_the_default_short_name_not_the_title(doctor, coordinator_a):
    page = coordinator_a.get(reverse("home")).text
    assert "Good to see you, Marcus" in page
    assert "Good to see you, Dr." not in page


def test_a_person_sets_the_name_they_go_by_and_is_greeted_by_it(doctor, side_a, coordinator_a):
    page = coordinator_a.get(reverse("profile")).text
    assert 'value="Dr. Marcus Reyes"' in page
    response = coordinator_a.post(
        reverse("profile"), {"full_name": "Dr. Marcus Reyes", "short_name": "Marc", "title": "Coordinator"}
    )
    assert response.status_code == 302
    doctor.refresh_from_db()
    assert (doctor.short_name, doctor.title) == ("Marc", "Coordinator")
    assert "Good to see you, Marc<" in coordinator_a.get(reverse("home")).text
    assert User.objects.get(pk=side_a.leader.pk).short_name == ""


def test_an_empty_short_name_goes_back_to_the_default(doctor, coordinator_a):
    doctor.short_name = "Marc"
    doctor.save()
    coordinator_a.post(reverse("profile"), {"full_name": "Dr. Marcus Reyes", "short_name": "  "})
    doctor.refresh_from_db()
    assert doctor.short_name == ""
    assert doctor.get_short_name() == "Marcus"


def test_the_profile_form_keeps_what_was_typed_when_the_name_is_missing(doctor, coordinator_a):
    response = coordinator_a.post(reverse("profile"), {"full_name": "", "short_name": "Marc"})
    assert response.status_code == 200
    assert 'value="Marc"' in response.text
    doctor.refresh_from_db()
    assert doctor.full_name == "Dr. Marcus Reyes"


def test_the_person_menu_links_to_the_profile_page(doctor, coordinator_a):
    assert f'href="{reverse("profile")}">Your profile</a>' in coordinator_a.get(reverse("home")).text


def test_emails_greet_by_the_short_name(doctor, side_a):
    message = build_message(NotificationFactory(district=side_a.district, recipient=doctor))
    assert message.body.startswith("Hello Marcus,")
    assert "<p>Hello Marcus,</p>" in message.alternatives[0][0]
    assert _reset_message(doctor).body.startswith("Hello Marcus,")
