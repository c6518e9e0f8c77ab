"""Monthly MTSS updates: drafted from the month's work, edited, sent once per person, archived."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from coordinators import updates
from coordinators.models import CommunicationUpdate, Role, UpdateAudience
from coordinators.selectors import add_months, month_start
from implementation_plans.models import Barrier, CommunicationProtocol, PlanActivity
from implementation_plans.plan import services as plan_services
from meetings import services as meeting_services
from meetings.models import MeetingKind, MinuteEntry
from mtss.audit.models import AuditEvent
from mtss.notifications.kinds import Kind
from mtss.notifications.models import Notification
from tests.conftest import Side
from tests.factories import MembershipFactory, SchoolFactory, UserFactory
from tests.implementation_plans.plan_factories import (
    BarrierFactory,
    PlanActivityFactory,
    PlanGoalFactory,
    district_today,
)
from tests.implementation_plans.process_factories import approved
from tests.meetings.factories import make_meeting

pytestmark = pytest.mark.django_db

# Queries of a page once the session is warm: the same with 5 updates and with 50.
ARCHIVE_QUERIES = 4
COORDINATOR_ARCHIVE_QUERIES = 7
DETAIL_QUERIES = 5
EDITOR_QUERIES = 8
SEND_PAGE_QUERIES = 7


TZ = ZoneInfo("America/Chicago")  # the test districts' time zone


def _this_month() -> date:
    return month_start(district_today())


def _decision(side: Side, text: str, *, kind: str = MinuteEntry.Kind.DECISION, when: datetime | None = None):
    meeting = make_meeting(
        side.district,
        side.coordinator,
        starts_at=when or datetime.combine(_this_month(), time(15), tzinfo=TZ),
        title=f"DIT meeting of {side.district.name}",
    )
    item = meeting.agenda_items.first()
    return meeting_services.minute_entry_add(
        item=item, kind=kind, text=text, member=side.membership(side.coordinator)
    )


def _finished_activity(side: Side, title: str) -> PlanActivity:
    activity = PlanActivityFactory(goal=PlanGoalFactory(district=side.district), title=title)
    plan_services.progress_add(
        activity=activity,
        member=side.membership(side.coordinator),
        recorded_on=district_today(),
        note="Done.",
        percent_complete=100,
    )
    return activity


def _month_world(side: Side, prefix: str) -> None:
    """One of each kind of news in this month for the side's district, and things that must not show."""
    _decision(side, f"{prefix}: adopt the reading screener district-wide")
    _decision(side, f"{prefix}: we talked about schedules", kind=MinuteEntry.Kind.DISCUSSION)
    approved(side.membership(side.coordinator), side.membership(side.leader))
    BarrierFactory(
        district=side.district,
        description=f"{prefix}: no substitutes for coaching days",
        status=Barrier.Status.RESOLVED,
        resolved_on=district_today(),
        resolution="Two floating substitutes hired",
    )
    BarrierFactory(
        district=side.district,
        description=f"{prefix}: an old barrier",
        status=Barrier.Status.RESOLVED,
        resolved_on=add_months(_this_month(), -1),
    )
    _finished_activity(side, f"{prefix}: train every Tier 2 interventionist")
    PlanActivityFactory(goal=PlanGoalFactory(district=side.district), title=f"{prefix}: still going")
    soon = timezone.now() + timedelta(days=5)
    make_meeting(side.district, side.coordinator, starts_at=soon, title=f"{prefix} DIT meeting next")
    make_meeting(
        side.district,
        side.coordinator,
        starts_at=soon + timedelta(hours=2),
        kind=MeetingKind.LEARNING,
        title=f"{prefix} PBIS booster session",
    )


# --- drafting -------------------------------------------------------------------------------------


def test_draft_tells_the_months_decisions_approvals_barriers_milestones_and_whats_next(side_a, side_b):
    _month_world(side_a, "District A")
    _month_world(side_b, "District B")
    update = updates.update_draft(member=side_a.membership(side_a.coordinator), month=_this_month())

    body = update.body
    assert "- District A: adopt the reading screener district-wide (DIT meeting of District A," in body
    assert body.count("Coaching System, version 1") == 1
    assert "District A: no substitutes for coaching days. Resolved: Two floating substitutes hired" in body
    assert "District A: train every Tier 2 interventionist" in body
    assert "District A DIT meeting next" in body
    assert "District A PBIS booster session" in body
    assert body.index("### Coming up") < body.index("District A DIT meeting next")
    assert body.index("### Professional learning") < body.index("District A PBIS booster session")
    # Discussion lines, last month's barriers and unfinished activities are not news of this month.
    assert "we talked about schedules" not in body
    assert "an old barrier" not in body
    assert "still going" not in body
    # District B's work never appears in district A's update.
    assert "District B" not in body
    assert update.status == CommunicationUpdate.Status.DRAFT
    assert update.audiences == [UpdateAudience.PRINCIPALS]
    assert update.title == f"MTSS update: {_this_month():%B %Y}"


def test_an_empty_month_says_so_in_each_section(side_a):
    update = updates.update_draft(
        member=side_a.membership(side_a.coordinator), month=add_months(_this_month(), -3)
    )
    assert "No decisions were recorded in meeting minutes this month." in update.body
    assert "No process was approved this month." in update.body
    assert "No professional learning sessions are scheduled yet." in update.body


def test_a_decision_of_last_month_belongs_to_last_months_update(side_a):
    last_month = add_months(_this_month(), -1)
    _decision(side_a, "Keep the PBIS store open", when=datetime.combine(last_month, time(15), tzinfo=TZ))
    member = side_a.membership(side_a.coordinator)
    assert "Keep the PBIS store open" in updates.update_draft(member=member, month=last_month).body
    assert "Keep the PBIS store open" not in updates.update_draft(member=member, month=_this_month()).body


def test_a_communication_plan_entry_offers_its_groups(side_a):
    protocol = CommunicationProtocol.objects.create(
        district=side_a.district,
        group="Principals and the DIT",
        information_shared="Decisions",
        format="Monthly memo",
        timeframe="Within a week of each DIT meeting",
    )
    update = updates.update_draft(
        member=side_a.membership(side_a.coordinator), month=_this_month(), protocol=protocol
    )
    assert update.audiences == [UpdateAudience.PRINCIPALS, UpdateAudience.DIT]
    board = CommunicationProtocol(group="Board of Education")
    assert updates.protocol_audiences(board) == []


def test_drafting_page_creates_a_draft_and_opens_the_editor(side_a, coordinator_a):
    _decision(side_a, "Adopt the reading screener")
    response = coordinator_a.post("/updates/new/", {"month": _this_month().isoformat(), "protocol": ""})
    update = CommunicationUpdate.objects.get(district=side_a.district)
    assert response.status_code == 302
    assert response["Location"] == f"/updates/{update.pk}/edit/"
    page = coordinator_a.get(response["Location"])
    assert page.status_code == 200
    assert "Adopt the reading screener" in page.content.decode()
    assert AuditEvent.objects.filter(action="draft communication update", district=side_a.district).exists()


def test_drafting_a_month_twice_opens_the_one_draft(side_a, coordinator_a):
    data = {"month": _this_month().isoformat(), "protocol": ""}
    first = coordinator_a.post("/updates/new/", data)
    second = coordinator_a.post("/updates/new/", data, follow=True)
    update = CommunicationUpdate.objects.get(district=side_a.district)
    assert first["Location"] == f"/updates/{update.pk}/edit/"
    assert second.redirect_chain[-1][0] == f"/updates/{update.pk}/edit/"
    assert "This month already has a draft; here it is." in second.content.decode()
    assert AuditEvent.objects.filter(action="draft communication update").count() == 1


def test_a_month_not_offered_is_refused_and_drafts_nothing(side_a, coordinator_a):
    response = coordinator_a.post("/updates/new/", {"month": "1999-01-01"}, follow=True)
    assert "Choose one of the months offered" in response.content.decode()
    assert not CommunicationUpdate.objects.exists()


# --- editing and sanitising -----------------------------------------------------------------------


def _draft(side: Side, **fields) -> CommunicationUpdate:
    update = updates.update_draft(member=side.membership(side.coordinator), month=_this_month())
    for name, value in fields.items():
        setattr(update, name, value)
    update.save()
    return update


def test_edits_are_kept_and_scripts_never_reach_a_reader(side_a, coordinator_a, site_admin_a):
    update = _draft(side_a)
    body = "### Our month\n\n**Great** work.<script>alert('x')</script><img src=x onerror=alert(2)>"
    response = coordinator_a.post(
        f"/updates/{update.pk}/edit/",
        {"title": "November news", "body": body, "audiences": ["principals"], "save": ""},
    )
    assert response.status_code == 302
    update.refresh_from_db()
    assert update.body == body
    assert update.title == "November news"
    editor = coordinator_a.get(f"/updates/{update.pk}/edit/").content.decode()
    assert "<strong>Great</strong>" in editor
    assert "<script>alert" not in editor
    assert "onerror" not in editor.replace("onerror=alert(2)&gt;", "")  # only inside the escaped textarea
    updates.update_send(update=update, member=side_a.membership(side_a.coordinator))
    page = site_admin_a.get(f"/updates/{update.pk}/").content.decode()
    assert "<h3>Our month</h3>" in page
    assert "alert('x')" not in page
    assert "onerror" not in page


def test_a_form_with_errors_keeps_the_text(side_a, coordinator_a):
    update = _draft(side_a)
    response = coordinator_a.post(
        f"/updates/{update.pk}/edit/",
        {"title": "", "body": "My long careful text", "audiences": ["school_staff"], "review": ""},
    )
    content = response.content.decode()
    assert response.status_code == 200
    assert "My long careful text" in content
    assert "Choose the schools whose staff get the update." in content
    update.refresh_from_db()
    assert "My long careful text" not in update.body


def test_a_sent_update_no_longer_changes(side_a, coordinator_a):
    update = _draft(side_a)
    updates.update_send(update=update, member=side_a.membership(side_a.coordinator))
    with pytest.raises(ValidationError):
        updates.update_save(
            update=update,
            member=side_a.membership(side_a.coordinator),
            title="Changed",
            body="Changed",
            audiences=[],
            schools=[],
            protocol=None,
        )
    response = coordinator_a.post(f"/updates/{update.pk}/edit/", {"title": "Changed", "body": "x"})
    assert response.status_code == 302
    update.refresh_from_db()
    assert update.title != "Changed"


# --- audiences --------------------------------------------------------------------------------------


def _add(side: Side, role: str, name: str, *, schools=None, active=True, user_active=True):
    user = UserFactory(
        full_name=name, email=f"{name.lower().replace(' ', '.')}@example.org", is_active=user_active
    )
    MembershipFactory(user=user, district=side.district, role=role, schools=schools, active=active)
    return user


def test_audience_counts_each_active_person_of_the_district_once(side_a, side_b):
    other_principal = _add(side_a, Role.SITE_ADMIN, "Other Principal", schools=[side_a.other_school])
    _add(side_a, Role.SITE_ADMIN, "Left Principal", schools=[side_a.school], active=False)
    _add(side_a, Role.SITE_ADMIN, "Locked Principal", schools=[side_a.school], user_active=False)
    update = _draft(side_a, audiences=[UpdateAudience.PRINCIPALS, UpdateAudience.SCHOOL_STAFF])
    update.schools.set([side_a.school])

    people = list(updates.audience_people(update))

    # The site admin of the chosen school is a principal too: one entry, not two. The school's
    # teacher is its school staff.
    assert people == [other_principal, side_a.school_staff, side_a.site_admin]
    assert side_b.site_admin not in people
    assert side_b.school_staff not in people


def test_school_staff_are_the_people_of_the_chosen_schools_only(side_a):
    other_principal = _add(side_a, Role.SITE_ADMIN, "Other Principal", schools=[side_a.other_school])
    other_teacher = _add(side_a, Role.SCHOOL_STAFF, "Other Teacher", schools=[side_a.other_school])
    update = _draft(side_a, audiences=[UpdateAudience.SCHOOL_STAFF])
    update.schools.set([side_a.other_school])
    assert list(updates.audience_people(update)) == [other_principal, other_teacher]


def test_the_dit_and_the_leaders_are_their_roles(side_a):
    update = _draft(side_a, audiences=[UpdateAudience.DIT, UpdateAudience.LEADERS])
    assert set(updates.audience_people(update)) == {side_a.member, side_a.leader}


# --- sending ----------------------------------------------------------------------------------------


def test_send_writes_one_notification_per_person_and_a_second_send_writes_none(side_a, coordinator_a):
    _add(side_a, Role.SITE_ADMIN, "Other Principal", schools=[side_a.other_school])
    update = _draft(side_a, audiences=[UpdateAudience.PRINCIPALS, UpdateAudience.SCHOOL_STAFF])
    update.schools.set([side_a.school, side_a.other_school])

    first = coordinator_a.post(f"/updates/{update.pk}/send/", follow=True)
    second = coordinator_a.post(f"/updates/{update.pk}/send/", follow=True)

    assert "Sent to 3 people" in first.content.decode()
    assert "already sent; nobody gets it twice" in second.content.decode()
    rows = Notification.objects.filter(kind=Kind.UPDATE, district=side_a.district)
    assert sorted(rows.values_list("recipient__full_name", flat=True)) == [
        "Other Principal",
        "School staff A",
        "Site Admin A",
    ]
    assert {row.url for row in rows} == {f"/updates/{update.pk}/"}
    assert all(row.subject == update.title for row in rows)
    update.refresh_from_db()
    assert (update.status, update.recipient_count, update.sent_by) == ("sent", 3, side_a.coordinator)
    assert AuditEvent.objects.filter(action="send communication update").count() == 1


def test_the_email_text_reads_as_text_not_markdown(side_a):
    update = _draft(side_a, body="### Decisions\n\n- **Adopt** the screener", audiences=["principals"])
    updates.update_send(update=update, member=side_a.membership(side_a.coordinator))
    row = Notification.objects.get(kind=Kind.UPDATE)
    assert row.body == "Decisions\n\n• Adopt the screener"


def test_sending_to_nobody_is_refused_with_a_reason(side_a, coordinator_a):
    update = _draft(side_a, audiences=[])
    response = coordinator_a.post(f"/updates/{update.pk}/send/", follow=True)
    assert "Choose at least one group" in response.content.decode()
    update.refresh_from_db()
    assert update.status == CommunicationUpdate.Status.DRAFT
    assert not Notification.objects.exists()


def test_the_send_page_names_who_gets_it_before_sending(side_a, coordinator_a):
    update = _draft(side_a, audiences=[UpdateAudience.PRINCIPALS])
    response = coordinator_a.get(f"/updates/{update.pk}/send/")
    content = response.content.decode()
    assert response.status_code == 200
    assert "Send to 1 person" in content
    assert "Site Admin A" in content
    assert not Notification.objects.exists()


# --- the archive --------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["leader", "member", "site_admin"])
def test_everyone_in_the_district_reads_sent_updates_but_not_drafts(side_a, login_as, persona):
    sent = _draft(side_a, title="Sent in October", audiences=["principals"])
    updates.update_send(update=sent, member=side_a.membership(side_a.coordinator))
    draft = _draft(side_a, title="Still a draft")
    client = login_as(getattr(side_a, persona))

    archive = client.get("/updates/")
    assert archive.status_code == 200
    assert "Sent in October" in archive.content.decode()
    assert "Still a draft" not in archive.content.decode()
    assert client.get(f"/updates/{sent.pk}/").status_code == 200
    assert client.get(f"/updates/{draft.pk}/").status_code == 404
    assert client.get(f"/updates/{draft.pk}/edit/").status_code == 403


def test_coordinators_see_drafts_in_the_archive(side_a, coordinator_a):
    _draft(side_a, title="Still a draft")
    content = coordinator_a.get("/updates/").content.decode()
    assert "Still a draft" in content
    assert "Draft an update" in content


def test_another_district_never_sees_an_update_and_changes_nothing(side_a, coordinator_b):
    update = _draft(side_a, title="District A news", audiences=["principals"])
    updates.update_send(update=update, member=side_a.membership(side_a.coordinator))
    assert coordinator_b.get(f"/updates/{update.pk}/").status_code == 404
    assert "District A news" not in coordinator_b.get("/updates/").content.decode()
    before = Notification.objects.count()
    assert coordinator_b.post(f"/updates/{update.pk}/send/").status_code == 404
    assert coordinator_b.post(f"/updates/{update.pk}/delete/").status_code == 404
    assert Notification.objects.count() == before
    assert CommunicationUpdate.objects.filter(pk=update.pk).exists()


def test_a_draft_can_be_deleted_but_a_sent_update_stays(side_a, coordinator_a):
    sent = _draft(side_a, audiences=["principals"])
    updates.update_send(update=sent, member=side_a.membership(side_a.coordinator))
    draft = _draft(side_a)
    coordinator_a.post(f"/updates/{draft.pk}/delete/")
    coordinator_a.post(f"/updates/{sent.pk}/delete/")
    assert list(CommunicationUpdate.objects.values_list("pk", flat=True)) == [sent.pk]


def _sent_updates(side: Side, count: int) -> None:
    for n in range(count):
        update = _draft(side, title=f"Update number {n}", audiences=["principals"])
        updates.update_send(update=update, member=side.membership(side.coordinator))


@pytest.mark.parametrize("count", [5, 50])
def test_archive_query_count_does_not_grow_with_updates(side_a, login_as, django_assert_num_queries, count):
    _sent_updates(side_a, count)
    client = login_as(side_a.site_admin)
    client.get("/updates/")  # the session and the bell warm up
    with django_assert_num_queries(ARCHIVE_QUERIES):
        response = client.get("/updates/")
    assert response.status_code == 200
    assert response.content.decode().count("Update number") == count


@pytest.mark.parametrize("count", [5, 50])
def test_coordinators_archive_query_count_does_not_grow(
    side_a, coordinator_a, django_assert_num_queries, count
):
    _sent_updates(side_a, count)
    CommunicationProtocol.objects.create(
        district=side_a.district,
        group="Principals",
        information_shared="x",
        format="Memo",
        timeframe="Monthly",
    )
    coordinator_a.get("/updates/")
    with django_assert_num_queries(COORDINATOR_ARCHIVE_QUERIES):
        response = coordinator_a.get("/updates/")
    content = response.content.decode()
    assert response.status_code == 200
    assert content.count("Update number") == count
    assert "Principals</strong>: Memo, Monthly" in content


def test_update_page_query_count(side_a, login_as, django_assert_num_queries):
    update = _draft(side_a, title="October news", audiences=["principals", "school_staff"])
    update.schools.set([side_a.school])
    updates.update_send(update=update, member=side_a.membership(side_a.coordinator))
    client = login_as(side_a.member)
    client.get(f"/updates/{update.pk}/")
    with django_assert_num_queries(DETAIL_QUERIES):
        response = client.get(f"/updates/{update.pk}/")
    assert response.status_code == 200
    assert "October news" in response.content.decode()
    assert side_a.school.name in response.content.decode()


@pytest.mark.parametrize("schools", [2, 20])
def test_editor_and_send_page_query_counts_do_not_grow_with_schools(
    side_a, coordinator_a, django_assert_num_queries, schools
):
    for n in range(schools - 2):
        SchoolFactory(district=side_a.district, name=f"School number {n}", code=f"N{n}")
    update = _draft(side_a, audiences=["principals", "school_staff"])
    update.schools.set([side_a.school])
    coordinator_a.get(f"/updates/{update.pk}/edit/")
    with django_assert_num_queries(EDITOR_QUERIES):
        editor = coordinator_a.get(f"/updates/{update.pk}/edit/")
    assert editor.status_code == 200
    assert editor.content.decode().count('name="schools"') == schools
    with django_assert_num_queries(SEND_PAGE_QUERIES):
        send_page = coordinator_a.get(f"/updates/{update.pk}/send/")
    assert send_page.status_code == 200
    # The principal and the teacher of the chosen school.
    assert "Send to 2 people" in send_page.content.decode()
