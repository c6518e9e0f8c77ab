"""A coordinator runs a school data review, then follows the problem up at the next review."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from data_reviews.models import ProblemCheck, ProblemStatement
from meetings.models import ActionItem
from mtss.notifications.models import Notification
from tests.browser.conftest import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _new_review(page, live_server, school_name: str, title: str, held_on: str) -> None:
    page.goto(f"{live_server.url}/")
    main_nav = page.get_by_role("navigation", name="Main")
    main_nav.get_by_role("button", name="Data", exact=True).click()
    main_nav.get_by_role("link", name="Data reviews").click()
    page.get_by_role("link", name="New data review").click()
    page.get_by_label("School").select_option(label=school_name)
    page.get_by_label("Title").fill(title)
    page.get_by_label("Held on").fill(held_on)
    page.get_by_role("button", name="Create data review").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(f"{title}: {school_name}")


def test_coordinator_runs_a_review_and_checks_the_problem_at_the_next_one(side_a, sign_in, live_server):
    page = sign_in(side_a.coordinator.email)
    _new_review(page, live_server, side_a.school.name, "Winter reading review", "2026-01-20")

    page.get_by_role("link", name="Add data").click()
    page.get_by_label("Title").fill("Reading tiers, winter")
    page.get_by_label("Link").fill(f"/data/schools/{side_a.school.pk}/?subject=reading&window=winter")
    page.get_by_label("Summary").fill("71% at Tier 1, 17% at Tier 2, 12% at Tier 3.")
    page.get_by_role("button", name="Add data").click()

    page.get_by_role("link", name="Add success").click()
    page.get_by_label("Success").fill("Tier 1 in reading up 6 points from the fall.")
    page.get_by_role("button", name="Add success").click()
    expect(page.locator("#successes")).to_contain_text("up 6 points")

    page.get_by_role("link", name="Add problem statement").click()
    page.get_by_label("What").fill("Students below benchmark in oral reading fluency")
    page.get_by_label("Who").fill("Grade 2")
    page.get_by_label("Where").fill("Classrooms, reading block")
    page.get_by_label("When").fill("Winter screening")
    page.get_by_label("How often (current rate)").fill("38% below benchmark")
    page.get_by_label(re.compile(r"^\s*Goal\W*$")).fill("Reduce grade 2 students below benchmark")
    page.get_by_label("Target").fill("25%")
    page.get_by_label("Goal date").fill("2026-05-29")
    page.get_by_label("Why: contributing factors").fill(
        "Fluency practice under 10 minutes\nNew teachers not trained"
    )
    page.get_by_role("button", name="Add problem statement").click()
    problem_card = page.locator(".problem").first
    expect(problem_card).to_contain_text("New teachers not trained")

    problem_card.get_by_role("link", name="Add action").click()
    page.get_by_label("Action").fill("Schedule a 30-minute WIN block for grade 2")
    page.get_by_label("Owner").select_option(label=side_a.member.full_name)
    page.get_by_label("Due date").fill("2026-02-15")
    page.get_by_role("button", name="Add action").click()
    expect(page.get_by_role("status")).to_contain_text("on the owner's action items")
    expect(problem_card).to_contain_text(side_a.member.full_name)
    screenshot(page, "data-review-detail")

    item = ActionItem.objects.get()
    assert item.owner == side_a.member
    assert item.source_label == f"Data review: Winter reading review, {side_a.school.name}"
    assert Notification.objects.filter(recipient=side_a.member, url=item.source_url).exists()

    page.get_by_role("link", name="Printable summary").click()
    expect(page.get_by_role("button", name="Print")).to_be_visible()
    screenshot(page, "data-review-print")

    _new_review(page, live_server, side_a.school.name, "Spring reading review", "2026-04-20")
    carried = page.locator("#carried .problem")
    expect(carried).to_contain_text("Students below benchmark in oral reading fluency")
    carried.get_by_role("link", name="Record check").click()
    page.get_by_label("Partial").check()
    page.get_by_label("Improved but not to goal").check()
    page.get_by_label("Continue", exact=True).check()
    page.get_by_label("Current rate").fill("31% below benchmark")
    page.get_by_role("button", name="Record check").click()
    expect(carried).to_contain_text("Improved but not to goal")
    expect(carried).to_contain_text("Continue")
    screenshot(page, "data-review-carried")

    check = ProblemCheck.objects.get()
    assert (check.fidelity, check.effectiveness, check.next_step) == ("partial", "improved", "continue")
    assert ProblemStatement.objects.get().is_open

    carried.get_by_role("link", name="Students below benchmark in oral reading fluency", exact=True).click()
    expect(page.locator("main")).to_contain_text("Spring reading review")
    screenshot(page, "data-review-problem")
    page.locator("main").get_by_role("link", name="Data reviews").first.click()
    screenshot(page, "data-review-list")


def test_member_sees_the_open_problem_on_home(side_a, sign_in, live_server):
    from tests.data_reviews.review_factories import DataReviewFactory, ProblemStatementFactory

    ProblemStatementFactory(
        review=DataReviewFactory(district=side_a.district, school=side_a.school), what="Grade 2 fluency"
    )
    page = sign_in(side_a.member.email)
    panel = page.get_by_role("region", name="Open problem statements")
    expect(panel).to_contain_text("Grade 2 fluency")
    screenshot(page, "data-review-home-member")
