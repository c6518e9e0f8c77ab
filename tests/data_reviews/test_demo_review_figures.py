"""The demo's district reviews quote the dashboards of the windows they review, on dates that agree."""

from __future__ import annotations

import datetime

import pytest
from django.core.management import call_command

from data_reviews.models import DataReview, ProblemCheck, ProblemStatement
from data_reviews.reviews.demo import FALL_TITLE, WINTER_TITLE, dit_day
from data_reviews.scores import demo as scores_demo

pytestmark = pytest.mark.django_db


def _months(table, since: datetime.date, before: datetime.date) -> list[tuple[datetime.date, list]]:
    """The table's finished months from `since` up to the month of `before`."""
    found = []
    for row in table.rows:
        month = datetime.datetime.strptime(row[0][:8], "%b %Y").date()  # noqa: DTZ007
        if since <= month < before.replace(day=1):
            found.append((month, row))
    return found


def test_demo_district_reviews_take_their_figures_from_the_dashboards_on_consistent_dates(settings, client):
    settings.DEBUG = True
    call_command("seed_demo", stdout=None)
    fall = DataReview.objects.get(school=None, title=FALL_TITLE)
    winter = DataReview.objects.get(school=None, title=WINTER_TITLE)
    client.force_login(fall.facilitator)
    assert fall.held_on < winter.held_on
    for review, window in ((fall, "fall"), (winter, "winter")):
        tiers, attendance, referrals = review.sources.order_by("position")
        year = int(tiers.link.rsplit("period=", 1)[1].split("-")[0])
        tested_on = scores_demo.window_date(year, window)
        # At the DIT meeting (second Tuesday) at least two weeks after the window's tests.
        assert review.held_on == dit_day(review.held_on.year, review.held_on.month)
        assert (review.held_on - tested_on).days >= 14
        assert f"{review.held_on:%B} {review.held_on.day}, {review.held_on.year}" in review.meeting_label
        assert tested_on <= tiers.as_of <= review.held_on
        dashboard = client.get(tiers.link).context
        assert dashboard["period_label"].startswith(window.capitalize())
        assert tiers.summary.startswith(dashboard["summary"])
        # Each month quoted reads as the district dashboard's attendance and referral tables have it.
        tables = {t.key: t for t in dashboard["tables"]}
        since = datetime.date(year, 8, 1) if window == "fall" else fall.held_on.replace(day=1)
        district_attendance = attendance.summary.split(". ", 1)[0]
        months = _months(tables["attendance"], since, attendance.as_of)
        assert months
        for month, row in months:
            assert f"{month:%B} {row[1]:g}%" in district_attendance
        district_referrals = referrals.summary.split(". ", 1)[0]
        months = _months(tables["odr"], since, referrals.as_of)
        assert months
        for month, row in months:
            assert f"{month:%B} {row[1]:g} ({row[2]:g} per 100 students per school day)" in district_referrals
    odr = ProblemStatement.objects.get(what="Office discipline referrals for disruption in hallways")
    check = odr.checks.get()
    assert check.effectiveness == ProblemCheck.Effectiveness.GOAL_MET
    assert "down" in check.current_rate
    absent = ProblemStatement.objects.get(what="Chronic absenteeism in middle school")
    lowest = absent.how_often.removeprefix("Attendance at ").split(" was ")[0]
    assert absent.where.startswith(lowest)
