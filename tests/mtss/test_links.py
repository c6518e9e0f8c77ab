"""Links people type or post stay inside the app: nothing a browser would follow to another site."""

from __future__ import annotations

import pytest
from django.urls import reverse

from data_reviews.models import DataReview
from meetings import services
from meetings.models import ActionItem
from mtss.links import is_app_path

OFF_SITE = [
    "https://evil.example/login",
    "//evil.example/login",
    "/\\evil.example/login",
    "\\\\evil.example/login",
    "/\\/evil.example/login",
    "javascript:alert(1)",
    " //evil.example/",
    "/\t/evil.example/",
    "http:/evil.example/",
    "",
]


@pytest.mark.parametrize("link", OFF_SITE)
def test_links_a_browser_would_follow_off_site_are_refused(link):
    assert not is_app_path(link)


@pytest.mark.parametrize("link", ["/", "/data/schools/12/?subject=reading", "/meetings/3/#agenda"])
def test_paths_in_the_app_are_accepted(link):
    assert is_app_path(link)


@pytest.mark.django_db
@pytest.mark.parametrize("link", OFF_SITE)
def test_marking_an_action_item_done_never_redirects_off_site(link, side_a, member_a):
    item = services.action_item_create(
        district=side_a.district, title="Send the survey", owner=side_a.member, due_date=None, member=None
    )
    response = member_a.post(reverse("action_item_status", args=[item.pk]), {"status": "done", "next": link})
    assert response.status_code == 302
    assert response["Location"] == reverse("action_item_list")
    item.refresh_from_db()
    assert item.status == ActionItem.Status.DONE


@pytest.mark.django_db
@pytest.mark.parametrize("link", [link for link in OFF_SITE if link])
def test_data_review_links_must_stay_inside_the_app(link, coordinator_a):
    response = coordinator_a.post(
        reverse("review_create"), {"title": "Winter review", "held_on": "2026-01-20", "meeting_url": link}
    )
    assert response.status_code == 200
    assert "starts with /" in response.content.decode()
    assert not DataReview.objects.exists()
