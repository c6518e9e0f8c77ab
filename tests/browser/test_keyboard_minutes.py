"""Keyboard only: a coordinator signs in, finds the meeting and records its minutes (docs/quality.md U1).

No mouse and no locator clicks: every step is Tab, Shift+Tab, Enter, Space, arrow keys or typing,
and each stop shows a visible focus indicator. Recording minutes is the coordinator's most
frequent task, done live during the monthly DIT meeting.
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from meetings.models import ActionItem, MinuteEntry
from tests.browser.conftest import screenshot
from tests.factories import PASSWORD
from tests.meetings.factories import make_meeting

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MAX_TABS = 120

FOCUSED = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const style = getComputedStyle(el);
  const label = el.labels && el.labels.length ? el.labels[0].innerText : "";
  return {
    tag: el.tagName.toLowerCase(),
    name: (el.getAttribute("aria-label") || label || el.innerText || el.value || "").trim(),
    ring: style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0 || style.boxShadow !== "none",
  };
}"""


def focused(page: Page) -> dict | None:
    return page.evaluate(FOCUSED)


def tab_to(page: Page, name: str | re.Pattern[str], *, tag: str | None = None, back: bool = False) -> dict:
    """Press Tab (or Shift+Tab) until the focused element's accessible name matches; fail if never."""
    pattern = name if isinstance(name, re.Pattern) else re.compile(rf"^{re.escape(name)}$")
    seen = []
    for _ in range(MAX_TABS):
        page.keyboard.press("Shift+Tab" if back else "Tab")
        element = focused(page)
        if element is None:
            continue
        seen.append(element["name"][:40])
        if pattern.search(element["name"]) and (tag is None or element["tag"] == tag):
            assert element["ring"], f"{element['name']!r} has focus but no visible focus indicator"
            return element
    raise AssertionError(f"Tab never reached {name!r}; it went through {seen}")


def write_next_line(page: Page, item_title: str, *, kind: str, text: str) -> None:
    """Tab to the next item's Kind, choose it by typing its name, then type the line in its box."""
    tab_to(page, "Kind", tag="select")
    page.keyboard.type(kind)
    page.keyboard.press("Tab")
    assert focused(page)["name"] == f"Minutes for {item_title}"
    page.keyboard.type(text)


def test_coordinator_records_minutes_with_the_keyboard_alone(side_a, live_server, new_page):
    today = timezone.localdate(timezone=side_a.district.tz)
    meeting = make_meeting(
        side_a.district,
        side_a.coordinator,
        starts_at=timezone.now() + timedelta(days=2),
        title="December DIT meeting",
    )
    page = new_page()
    page.goto(f"{live_server.url}/accounts/login/")

    # Sign in: the email field has focus when the page opens.
    assert focused(page)["tag"] == "input"
    page.keyboard.type(side_a.coordinator.email)
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(f"{live_server.url}/")

    # The skip link comes first, then the menus: open Meetings and choose the meetings list.
    page.keyboard.press("Tab")
    assert focused(page)["name"] == "Skip to main content"
    tab_to(page, "Meetings", tag="button")
    page.keyboard.press("Enter")
    page.keyboard.press("ArrowDown")
    assert focused(page)["name"] == "Meetings"
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/meetings/$"))

    # The meeting, then its minutes page.
    tab_to(page, "December DIT meeting", tag="a")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(rf"/meetings/{meeting.pk}/$"))
    tab_to(page, "Record minutes", tag="a")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(rf"/meetings/{meeting.pk}/minutes/$"))
    screenshot(page, "keyboard-minutes")

    # A decision for the first agenda item: choose the kind by typing, write, save with Ctrl+Enter.
    first = meeting.agenda_items.order_by("position").first()
    write_next_line(page, first.title, kind="Decision", text="Adopt the new reading screener in grades K-2")
    page.keyboard.press("Control+Enter")
    expect(page.locator(f"#item-{first.pk}")).to_contain_text("Saved")
    # Focus comes back to the same box, ready for the next line.
    assert focused(page)["name"] == f"Minutes for {first.title}"
    decision = MinuteEntry.objects.get(agenda_item=first)
    assert (decision.kind, decision.text) == ("decision", "Adopt the new reading screener in grades K-2")

    # A task on the next item: owner chosen by typing their name, date typed, saved with the button.
    second = meeting.agenda_items.order_by("position")[1]
    write_next_line(page, second.title, kind="Task", text="Send the screener summary to principals")
    page.keyboard.press("Tab")
    assert focused(page)["name"] == "Who"
    page.keyboard.type(side_a.member.full_name)
    page.keyboard.press("Tab")
    assert focused(page)["name"] == "By when"
    due = today + timedelta(days=10)
    page.keyboard.type(due.strftime("%m%d%Y"))
    tab_to(page, "Save", tag="button")
    page.keyboard.press("Enter")
    expect(page.locator(f"#item-{second.pk}")).to_contain_text("Send the screener summary to principals")
    item = ActionItem.objects.get(title="Send the screener summary to principals")
    assert (item.owner, item.due_date) == (side_a.member, due)

    # A line saved by mistake is deleted from the keyboard too: back past the task's own line to
    # the decision's.
    tab_to(page, "Delete this line", tag="button", back=True)
    tab_to(page, "Delete this line", tag="button", back=True)
    page.keyboard.press("Enter")
    expect(page.locator(f"#item-{first.pk}")).not_to_contain_text("Adopt the new reading screener")
    assert not MinuteEntry.objects.filter(pk=decision.pk).exists()
    # Focus stays in that item, in its box, not lost to the top of the page.
    expect(page.locator(f"#text-{first.pk}")).to_be_focused()
    assert MinuteEntry.objects.filter(agenda_item=second, kind="task").count() == 1
    screenshot(page, "keyboard-minutes-saved")
