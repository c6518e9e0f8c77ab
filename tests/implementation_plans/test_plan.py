"""The District Implementation Plan: activities, the monitoring log, the timeline, home, reminders."""

from __future__ import annotations

import datetime
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from implementation_plans.models import PlanActivity, PlanGoal, ProgressUpdate
from implementation_plans.plan.reminders import open_plan_activities
from mtss.notifications.kinds import Kind
from mtss.notifications.models import Notification
from tests.data_reviews.review_factories import ProblemStatementFactory
from tests.implementation_plans.plan_factories import (
    PlanActivityFactory,
    PlanGoalFactory,
    ProgressUpdateFactory,
    district_today,
)

TODAY = district_today()


def _activity(side, **kwargs):
    goal = kwargs.pop("goal", None) or PlanGoalFactory(district=side.district)
    return PlanActivityFactory(goal=goal, **kwargs)


def test_coordinator_adds_goal_and_activity_and_owner_is_told(side_a, coordinator_a):
    response = coordinator_a.post(
        reverse("plan_goal_create"), {"title": "Install PBIS Tier 1 in every school"}
    )
    assert response.status_code == 302
    goal = PlanGoal.objects.get(district=side_a.district)
    response = coordinator_a.post(
        reverse("plan_activity_create"),
        {
            "goal": goal.pk,
            "title": "Train school PBIS teams",
            "activity_type": "installation",
            "stage": "installation",
            "owner": side_a.member.pk,
            "start_date": "2026-09-01",
            "due_date": "2026-10-15",
            "status": "not_started",
            "on_track": "on",
        },
    )
    activity = PlanActivity.objects.get(title="Train school PBIS teams")
    assert response.url == reverse("plan_activity_detail", args=[activity.pk])
    assert activity.district == side_a.district
    assert activity.owner == side_a.member
    note = Notification.objects.get(recipient=side_a.member)
    assert note.kind == Kind.ASSIGNED


def test_activity_form_keeps_fields_and_explains_due_before_start(side_a, coordinator_a):
    goal = PlanGoalFactory(district=side_a.district)
    response = coordinator_a.post(
        reverse("plan_activity_create"),
        {"goal": goal.pk, "title": "Keep me", "activity_type": "coaching", "stage": "installation",
         "start_date": "2026-10-01", "due_date": "2026-09-01", "status": "not_started"},
    )  # fmt: skip
    assert response.status_code == 200
    assert "The due date cannot be before the start date." in response.content.decode()
    assert 'value="Keep me"' in response.content.decode()
    assert not PlanActivity.objects.exists()


def test_owner_adds_progress_update_and_activity_starts(side_a, member_a):
    activity = _activity(side_a, owner=side_a.member)
    response = member_a.post(
        reverse("plan_progress_add", args=[activity.pk]),
        {"recorded_on": "2026-10-01", "percent_complete": 40, "note": "Four of ten schools trained."},
    )
    assert response.status_code == 302
    activity.refresh_from_db()
    assert activity.status == PlanActivity.Status.IN_PROGRESS
    page = member_a.get(reverse("plan_activity_detail", args=[activity.pk])).content.decode()
    assert "Four of ten schools trained." in page
    assert "40% complete" in page


def test_progress_at_100_percent_marks_done(side_a, coordinator_a):
    activity = _activity(side_a)
    coordinator_a.post(
        reverse("plan_progress_add", args=[activity.pk]),
        {"recorded_on": "2026-10-01", "percent_complete": 100, "note": "Finished."},
    )
    activity.refresh_from_db()
    assert activity.status == PlanActivity.Status.DONE


def test_member_cannot_add_progress_to_someone_elses_activity(side_a, member_a):
    activity = _activity(side_a, owner=side_a.coordinator)
    response = member_a.post(
        reverse("plan_progress_add", args=[activity.pk]),
        {"recorded_on": "2026-10-01", "percent_complete": 40, "note": "Not mine"},
    )
    assert response.status_code == 403
    assert not ProgressUpdate.objects.exists()
    page = member_a.get(reverse("plan_activity_detail", args=[activity.pk])).content.decode()
    assert "Add progress update" not in page


def test_leader_reads_plan_but_cannot_edit_or_add_progress(side_a, leader_a):
    activity = _activity(side_a, owner=side_a.leader)
    assert leader_a.get(reverse("plan_list")).status_code == 200
    assert leader_a.get(reverse("plan_activity_detail", args=[activity.pk])).status_code == 200
    assert leader_a.get(reverse("plan_activity_edit", args=[activity.pk])).status_code == 403
    response = leader_a.post(
        reverse("plan_progress_add", args=[activity.pk]),
        {"recorded_on": "2026-10-01", "percent_complete": 40, "note": "x"},
    )
    assert response.status_code == 403
    assert not ProgressUpdate.objects.exists()


def test_site_admin_has_no_plan_pages(side_a, site_admin_a):
    activity = _activity(side_a)
    assert site_admin_a.get(reverse("plan_list")).status_code == 403
    assert site_admin_a.get(reverse("plan_timeline")).status_code == 403
    assert site_admin_a.get(reverse("plan_activity_detail", args=[activity.pk])).status_code == 403


@pytest.mark.parametrize("name", ["plan_activity_detail", "plan_activity_edit"])
def test_outsider_gets_404_on_activity_pages(side_a, coordinator_b, name):
    activity = _activity(side_a, title="Ours")
    assert coordinator_b.get(reverse(name, args=[activity.pk])).status_code == 404
    response = coordinator_b.post(
        reverse("plan_activity_edit", args=[activity.pk]),
        {"goal": activity.goal_id, "title": "Theirs", "activity_type": "coaching", "stage": "installation",
         "start_date": "2026-09-01", "due_date": "2026-10-01", "status": "done"},
    )  # fmt: skip
    assert response.status_code == 404
    activity.refresh_from_db()
    assert activity.title == "Ours"


def test_outsider_cannot_add_progress_or_edit_goal(side_a, coordinator_b):
    activity = _activity(side_a)
    response = coordinator_b.post(
        reverse("plan_progress_add", args=[activity.pk]),
        {"recorded_on": "2026-10-01", "percent_complete": 40, "note": "x"},
    )
    assert response.status_code == 404
    assert (
        coordinator_b.post(reverse("plan_goal_edit", args=[activity.goal_id]), {"title": "x"}).status_code
        == 404
    )
    assert not ProgressUpdate.objects.exists()
    assert PlanGoal.objects.get(pk=activity.goal_id).title != "x"


def test_plan_list_groups_by_goal_and_filters(side_a, coordinator_a):
    goal = PlanGoalFactory(district=side_a.district, title="Reading goal")
    _activity(side_a, goal=goal, title="Late one", due_date=TODAY - datetime.timedelta(days=3))
    _activity(side_a, goal=goal, title="Mine", owner=side_a.member, status="in_progress")
    _activity(
        side_a, goal=goal, title="Finished late", status="done", due_date=TODAY - datetime.timedelta(days=3)
    )
    page = coordinator_a.get(reverse("plan_list")).content.decode()
    assert "Reading goal" in page
    assert "Late one" in page
    assert "Mine" in page
    overdue = coordinator_a.get(reverse("plan_list"), {"overdue": "on"}).content.decode()
    assert "Late one" in overdue
    assert "Mine" not in overdue
    assert "Finished late" not in overdue
    mine = coordinator_a.get(reverse("plan_list"), {"owner": side_a.member.pk}).content.decode()
    assert "Mine" in mine
    assert "Late one" not in mine
    done = coordinator_a.get(reverse("plan_list"), {"status": "done"}).content.decode()
    assert "Finished late" in done
    assert "Mine" not in done


def test_plan_table_marks_open_overdue_rows_and_shows_dates(side_a, coordinator_a):
    goal = PlanGoalFactory(district=side_a.district, title="Reading goal")
    late = TODAY - datetime.timedelta(days=3)
    _activity(
        side_a,
        goal=goal,
        title="Late one",
        start_date=datetime.date(2026, 1, 5),
        due_date=late,
        evaluate_date=datetime.date(2027, 6, 1),
    )
    _activity(side_a, goal=goal, title="Finished late", status="done", due_date=late)
    page = coordinator_a.get(reverse("plan_list")).content.decode()
    rows = {
        title: page[page.index(title) - 400 : page.index(title) + 900]
        for title in ("Late one", "Finished late")
    }
    assert 'class="table-danger"' in rows["Late one"].split("Finished late")[0]
    assert "Jan 5" in rows["Late one"]
    assert late.strftime("%b %-d, %Y") in rows["Late one"]
    assert "Jun 1, 2027" in rows["Late one"]
    finished_row = page[page.index("Finished late") - 200 : page.index("Finished late")]
    assert "table-danger" not in finished_row
    assert page.count('badge text-bg-danger">Overdue') == 1


def _count_queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("name", ["plan_list", "plan_timeline"])
def test_plan_pages_query_count_does_not_grow(side_a, coordinator_a, name):
    goals = [PlanGoalFactory(district=side_a.district) for _ in range(3)]
    for n in range(5):
        ProgressUpdateFactory(activity=_activity(side_a, goal=goals[n % 3], owner=side_a.member))
    few = _count_queries(coordinator_a, reverse(name))
    for n in range(45):
        ProgressUpdateFactory(activity=_activity(side_a, goal=goals[n % 3], owner=side_a.coordinator))
    assert _count_queries(coordinator_a, reverse(name)) == few


def test_plan_list_query_count_is_pinned(side_a, coordinator_a, django_assert_num_queries):
    goal = PlanGoalFactory(district=side_a.district)
    activities = [_activity(side_a, goal=goal, owner=side_a.member) for _ in range(5)]
    # session, user, membership, owners for the filter, goals, activities (+ nav / messages).
    with django_assert_num_queries(6):
        response = coordinator_a.get(reverse("plan_list"))
    assert response.status_code == 200
    body = response.content.decode()
    assert goal.title in body
    for activity in activities:
        assert f'href="{reverse("plan_activity_detail", args=[activity.pk])}">{activity.title}</a>' in body


def test_timeline_draws_200_activities_with_today_and_overdue(side_a, coordinator_a):
    goal = PlanGoalFactory(district=side_a.district)
    PlanActivity.objects.bulk_create(
        PlanActivity(
            district=side_a.district,
            goal=goal,
            title=f"Activity {n}",
            start_date=TODAY - datetime.timedelta(days=60),
            due_date=TODAY + datetime.timedelta(days=n - 20),
        )
        for n in range(200)
    )
    with CaptureQueriesContext(connection) as ctx:
        response = coordinator_a.get(reverse("plan_timeline"))
    assert len(ctx.captured_queries) < 15
    page = response.content.decode()
    assert 'src="/static/js/plan_timeline.js"' in page
    assert "plotly-strict.min.js" in page
    marker = '<script id="plan-timeline-data" type="application/json">'
    start = page.index(marker) + len(marker)
    payload = json.loads(page[start : page.index("</script>", start)])
    assert len(payload["activities"]) == 200
    assert sum(row["overdue"] for row in payload["activities"]) == 20
    assert payload["today"] == response.context["today"].isoformat()
    assert "<script>" not in page


def test_owner_sees_open_activities_on_home(side_a, member_a):
    _activity(side_a, owner=side_a.member, title="Coach Lakeside's Tier 2 team")
    _activity(side_a, owner=side_a.member, title="Already done", status="done")
    _activity(side_a, owner=side_a.coordinator, title="Someone else's")
    page = member_a.get(reverse("home")).content.decode()
    assert "My plan activities" in page
    assert "Coach Lakeside&#x27;s Tier 2 team" in page
    assert "Already done" not in page
    assert "Someone else" not in page


def test_coordinator_home_lists_overdue_activities(side_a, coordinator_a):
    _activity(side_a, title="Past due", due_date=TODAY - datetime.timedelta(days=5))
    page = coordinator_a.get(reverse("home")).content.decode()
    assert "Overdue plan activities" in page
    assert "Past due" in page


def test_reminder_source_offers_open_activities_in_one_query(side_a, side_b, django_assert_num_queries):
    open_a = _activity(side_a, owner=side_a.member, due_date=TODAY)
    _activity(side_a, status="done", due_date=TODAY)
    _activity(side_a, due_date=TODAY + datetime.timedelta(days=40))
    open_b = _activity(side_b, status="in_progress", due_date=TODAY - datetime.timedelta(days=2))
    with django_assert_num_queries(1):
        items = list(open_plan_activities(due_on_or_before=TODAY))
    assert {item.key for item in items} == {f"plan-activity:{open_a.pk}", f"plan-activity:{open_b.pk}"}
    mine = next(i for i in items if i.key == f"plan-activity:{open_a.pk}")
    assert mine.kind_label == "Plan activity"
    assert mine.owner_id == side_a.member.pk
    assert mine.district_id == side_a.district.pk
    assert mine.url == reverse("plan_activity_detail", args=[open_a.pk])


def test_reminder_sweep_finds_plan_activities(side_a):
    from mtss.notifications.reminders import due_items

    activity = _activity(side_a, owner=side_a.member, due_date=TODAY)
    keys = {item.key for item in due_items(due_on_or_before=TODAY)}
    assert f"plan-activity:{activity.pk}" in keys


def test_activity_can_be_motivated_by_a_problem_statement_of_the_same_district(side_a, side_b, coordinator_a):
    problem = ProblemStatementFactory(
        review__district=side_a.district, what="Grade 2 fluency below benchmark"
    )
    outsider = ProblemStatementFactory(review__district=side_b.district)
    goal = PlanGoalFactory(district=side_a.district)
    fields = {
        "goal": goal.pk,
        "title": "Small-group fluency intervention",
        "activity_type": "implementation",
        "stage": "initial",
        "start_date": "2026-11-01",
        "due_date": "2027-01-15",
        "status": "not_started",
    }
    refused = coordinator_a.post(
        reverse("plan_activity_create"), {**fields, "problem_statement": outsider.pk}
    )
    assert refused.status_code == 200
    assert not PlanActivity.objects.exists()
    coordinator_a.post(reverse("plan_activity_create"), {**fields, "problem_statement": problem.pk})
    activity = PlanActivity.objects.get()
    assert activity.problem_statement == problem
    page = coordinator_a.get(reverse("plan_activity_detail", args=[activity.pk])).text
    assert "Grade 2 fluency below benchmark" in page
    assert reverse("problem_detail", args=[problem.pk]) in page
