"""The plan journey: a DCA administration, a plan activity from a low item, the owner's progress update,
the timeline, and a barrier escalated to the executive leader who records a decision."""

from __future__ import annotations

import datetime

import pytest
from playwright.sync_api import expect

from implementation_plans.models import Barrier, PlanActivity, ProgressUpdate
from tests.browser.conftest import screenshot
from tests.browser.test_dashboard_district import serious_accessibility_problems
from tests.implementation_plans.plan_factories import BarrierFactory, PlanGoalFactory, district_today

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_capacity_to_plan_to_progress_to_barrier_decision(side_a, sign_in, live_server):
    PlanGoalFactory(district=side_a.district, title="Build the district's capacity to support MTSS")
    barrier = BarrierFactory(
        district=side_a.district, description="Substitute shortages cancel coaching days"
    )
    due = district_today() + datetime.timedelta(days=21)

    coordinator = sign_in(side_a.coordinator.email)
    main_nav = coordinator.get_by_role("navigation", name="Main")
    main_nav.get_by_role("button", name="Plan", exact=True).click()
    main_nav.get_by_role("link", name="Capacity", exact=True).click()
    coordinator.get_by_role("link", name="Record a capacity assessment").click()
    coordinator.get_by_label("Window").select_option("fall")
    coordinator.get_by_label("Participants").fill("District Implementation Team")
    coordinator.get_by_role("button", name="Record administration").click()
    coordinator.get_by_label("Item wording").fill(
        "Coaches support each school while it learns a new practice."
    )
    coordinator.get_by_label("Subscale or tier").fill("Action planning")
    coordinator.get_by_role("button", name="Add item").click()
    coordinator.get_by_label("Score for item 1").select_option("0")
    coordinator.get_by_label("Notes for item 1").fill("No coaching plan yet.")
    coordinator.get_by_role("button", name="Save scores").click()
    expect(coordinator.locator("main")).to_contain_text("Scores saved.")
    screenshot(coordinator, "plan-capacity-detail")
    # A low item's row is shaded; its button must still read clearly on that shade.
    assert serious_accessibility_problems(coordinator, live_server) == []
    coordinator.get_by_role("button", name="Create plan activity").click()
    expect(coordinator.locator("main")).to_contain_text("Choose its owner and due date")
    coordinator.locator("#id_owner").select_option(label=side_a.member.full_name)
    coordinator.locator("#id_due_date").fill(due.isoformat())
    coordinator.get_by_role("button", name="Save activity").click()
    expect(coordinator.locator("main")).to_contain_text(side_a.member.full_name)
    activity = PlanActivity.objects.get()
    assert activity.owner == side_a.member
    assert activity.due_date == due
    assert activity.capacity_item.score == 0

    member = sign_in(side_a.member.email)
    panel = member.get_by_role("region", name="My plan activities")
    expect(panel).to_contain_text("Coaches support each school")
    screenshot(member, "plan-member-home")
    panel.get_by_role("link", name=activity.title).click()
    member.get_by_label("Percent complete").fill("25")
    member.get_by_label("What happened").fill("Drafted the coaching service delivery plan.")
    member.get_by_role("button", name="Add progress update").click()
    expect(member.locator("main")).to_contain_text("Drafted the coaching service delivery plan.")
    expect(member.locator("main")).to_contain_text("25% complete")
    assert ProgressUpdate.objects.get().author == side_a.member
    member_nav = member.get_by_role("navigation", name="Main")
    member_nav.get_by_role("button", name="Plan", exact=True).click()
    member_nav.get_by_role("link", name="Plan", exact=True).click()
    member.get_by_role("link", name="Timeline").click()
    expect(member.locator("#plan-timeline")).to_have_attribute("data-chart-drawn", "true")
    expect(member.get_by_role("table")).to_contain_text(activity.title)
    screenshot(member, "plan-timeline")

    main_nav.get_by_role("button", name="Plan", exact=True).click()
    main_nav.get_by_role("link", name="Barriers", exact=True).click()
    coordinator.get_by_role("link", name="Substitute shortages cancel coaching days").click()
    coordinator.get_by_label("Why the executive leader is needed").fill(
        "Only the cabinet can fund a sub pool."
    )
    coordinator.get_by_role("button", name="Escalate to the executive leader").click()
    expect(coordinator.locator("main")).to_contain_text("Escalated to the executive leader.")

    leader = sign_in(side_a.leader.email)
    leader.get_by_role("region", name="Escalated barriers").get_by_role(
        "link", name="Escalated barriers"
    ).click()
    leader.get_by_role("link", name="Substitute shortages cancel coaching days").click()
    leader.locator("#id_decision").fill("Fund two roaming substitutes from Title II-A.")
    leader.get_by_role("button", name="Record decision").click()
    expect(leader.locator("main")).to_contain_text("Decision recorded.")
    screenshot(leader, "plan-barrier-decided")
    barrier.refresh_from_db()
    assert barrier.status == Barrier.Status.RESOLVED
    assert barrier.decided_by == side_a.leader
