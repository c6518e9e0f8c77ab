"""The approval journey: draft, submit, return with a comment, revise, resubmit, compare, approve."""

from __future__ import annotations

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from implementation_plans.models import ProcessVersion
from implementation_plans.processes import services
from tests.browser.conftest import screenshot
from tests.implementation_plans.process_factories import coaching_texts, submitted

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_coaching_system_goes_from_draft_to_approved(side_a, sign_in, live_server):
    # The coordinator drafts the Coaching System and submits it.
    coordinator = sign_in(side_a.coordinator.email)
    coordinator.get_by_role("navigation", name="Main").get_by_role("link", name="Processes").click()
    coordinator.get_by_role("button", name="Start draft of Coaching System").click()
    expect(coordinator.get_by_role("heading", level=1)).to_contain_text("Coaching System")
    coordinator.get_by_label("Who is coached").fill("All seven elementary schools' reading teams.")
    coordinator.get_by_label("By whom").fill("Two district literacy coaches.")
    coordinator.get_by_label("Coaching cycle").fill("- Observe\n- Debrief within 48 hours")
    screenshot(coordinator, "process-edit")
    coordinator.get_by_role("button", name="Save and close").click()
    expect(coordinator.locator("main")).to_contain_text("Draft saved (version 1)")
    expect(coordinator.locator("main")).to_contain_text("Debrief within 48 hours")
    coordinator.get_by_role("button", name="Submit for approval").click()
    expect(coordinator.locator("main")).to_contain_text("was submitted for approval")

    # The leader finds it in the approval queue and requests changes with a comment.
    leader = sign_in(side_a.leader.email)
    leader.get_by_role("link", name="Approval queue").first.click()
    expect(leader.get_by_role("heading", level=1)).to_have_text("Approval queue")
    screenshot(leader, "process-approval-queue")
    leader.get_by_role("link", name="Coaching System").click()
    leader.get_by_label("What should change").fill("Name the coaches and how they are trained.")
    screenshot(leader, "process-detail-leader")
    leader.get_by_role("button", name="Request changes").click()
    expect(leader.locator("main")).to_contain_text("You returned Coaching System")

    # The coordinator sees the comment, revises and resubmits.
    coordinator.reload()
    expect(coordinator.locator("main")).to_contain_text("Name the coaches and how they are trained.")
    coordinator.get_by_role("link", name="Revise the draft").click()
    expect(coordinator.locator("main")).to_contain_text("Name the coaches and how they are trained.")
    coordinator.get_by_label("By whom").fill(
        "Two district literacy coaches, Ana Ruiz and Sam Lee, trained each August."
    )
    coordinator.get_by_role("button", name="Save and close").click()
    expect(coordinator.locator("main")).to_contain_text("Draft saved (version 2)")
    coordinator.get_by_role("button", name="Submit for approval").click()
    expect(coordinator.locator("main")).to_contain_text("was submitted for approval")

    # The leader sees what changed and approves.
    leader.goto(f"{live_server.url}/approvals/")
    leader.get_by_role("link", name="Coaching System").click()
    leader.get_by_role("link", name="See the changes since you returned it").click()
    expect(leader.locator("ins.diff-added").first).to_contain_text("Ana Ruiz")
    expect(leader.locator("del.diff-removed").first).to_be_visible()
    screenshot(leader, "process-diff")
    leader.go_back()
    leader.get_by_role("button", name="Approve").click()
    expect(leader.locator("main")).to_contain_text("You approved Coaching System")

    # The board shows Approved with the date; the version history shows both versions.
    coordinator.get_by_role("navigation", name="Main").get_by_role("link", name="Processes").click()
    row = coordinator.get_by_role("row", name=re.compile("Coaching System"))
    today = timezone.localdate(timezone=side_a.district.tz)
    expect(row).to_contain_text("Approved")
    expect(row).to_contain_text(f"{today:%b} {today.day}, {today.year}")
    screenshot(coordinator, "process-board")
    coordinator.get_by_role("link", name="Coaching System").click()
    history = coordinator.locator("section", has=coordinator.get_by_role("heading", name="Version history"))
    expect(history).to_contain_text("Version 1")
    expect(history).to_contain_text("Version 2")
    expect(history).to_contain_text("Changes requested")
    screenshot(coordinator, "process-detail-approved")
    statuses = list(ProcessVersion.objects.order_by("number").values_list("status", flat=True))
    assert statuses == ["changes_requested", "approved"]


def test_a_leader_approves_a_resubmitted_draft_from_a_phone(side_a, sign_in, live_server):
    coord = side_a.membership(side_a.coordinator)
    first = submitted(coord)
    services.version_request_changes(
        member=side_a.membership(side_a.leader), version=first, comment="Name the coaches."
    )
    services.draft_save(
        member=coord, process=first.process, texts=coaching_texts(" **Ana Ruiz** and Sam Lee coach.")
    )
    services.draft_submit(member=coord, process=first.process, note="Both coaches are named now.")

    leader = sign_in(side_a.leader.email)
    leader.set_viewport_size({"width": 390, "height": 844})
    leader.goto(f"{live_server.url}/processes/{first.process_id}/")
    # The decision and the author's note are on the first screen, before the draft's text.
    approve = leader.get_by_role("button", name="Approve")
    expect(approve).to_be_in_viewport()
    expect(leader.get_by_text("Both coaches are named now.").first).to_be_in_viewport()
    screenshot(leader, "process-detail-leader-phone")

    # The changes since the return read as text and carry the decision too.
    leader.get_by_role("link", name="See the changes since you returned it").click()
    expect(leader.get_by_role("heading", level=1)).to_contain_text("What changed in Coaching System")
    expect(leader.locator("ins.diff-added").first).to_contain_text("Ana Ruiz")
    expect(leader.locator("main")).not_to_contain_text("**")
    expect(leader.get_by_role("button", name="Approve")).to_be_in_viewport()
    screenshot(leader, "process-diff-phone")
    width = leader.evaluate("document.documentElement.scrollWidth")
    assert width <= 390
    leader.get_by_role("button", name="Approve").click()
    expect(leader.locator("main")).to_contain_text("You approved Coaching System")
    assert first.process.versions.get(number=2).status == ProcessVersion.Status.APPROVED
