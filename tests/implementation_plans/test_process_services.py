from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone

from implementation_plans.models import Process, ProcessRevision, ProcessVersion
from implementation_plans.processes import services
from implementation_plans.processes.reminders import waiting_process_drafts
from mtss.audit.models import AuditEvent
from mtss.notifications.kinds import Kind
from mtss.notifications.models import Notification
from tests.factories import MembershipFactory, UserFactory
from tests.implementation_plans.process_factories import (
    approved,
    coaching_texts,
    drafted,
    started,
    submitted,
)

pytestmark = pytest.mark.django_db
Status = ProcessVersion.Status


@pytest.fixture
def coord(side_a):
    return side_a.membership(side_a.coordinator)


@pytest.fixture
def lead(side_a):
    return side_a.membership(side_a.leader)


def test_every_save_is_kept_as_a_revision_of_one_draft(coord):
    process = drafted(coord)
    services.draft_save(member=coord, process=process, texts=coaching_texts(" Edited."))
    process.refresh_from_db()
    assert process.versions.count() == 1
    assert ProcessRevision.objects.filter(version=process.latest_version).count() == 2
    assert process.latest_version.texts["who_coached"].endswith("Edited.")


def test_submit_freezes_the_version_notifies_leaders_and_audits(side_a, coord):
    version = submitted(coord)
    assert version.status == Status.SUBMITTED
    assert version.decision_due_on is not None
    note = Notification.objects.get(recipient=side_a.leader)
    assert note.kind == Kind.APPROVAL_REQUEST
    assert note.subject == "Approval requested: Coaching System"
    assert AuditEvent.objects.filter(action="submit process", object_id=str(version.pk)).exists()
    with pytest.raises(services.ProcessError):
        services.draft_save(member=coord, process=version.process, texts=coaching_texts(" Sneaky."))
    version.refresh_from_db()
    assert "Sneaky" not in version.texts["who_coached"]


def test_submitting_an_empty_draft_is_refused(coord):
    process = drafted(coord, texts={})
    with pytest.raises(services.ProcessError):
        services.draft_submit(member=coord, process=process)
    assert process.versions.get().status == Status.DRAFT


def test_leader_can_approve_submitted_draft_with_default_review_in_a_year(side_a, coord, lead, time_machine):
    # 10:00 in Chicago on 6 October 2026.
    time_machine.move_to(datetime(2026, 10, 6, 15, 0, tzinfo=UTC), tick=False)
    version = approved(coord, lead)
    assert version.status == Status.APPROVED
    assert version.decided_by == side_a.leader
    assert version.review_on == date(2027, 10, 6)
    assert version.process.approved_version == version
    decision = Notification.objects.get(recipient=side_a.coordinator, kind=Kind.APPROVAL_DECISION)
    assert decision.subject == "Approved: Coaching System"
    assert AuditEvent.objects.filter(action="approve process", outcome="success").exists()


def test_request_changes_needs_a_comment(coord, lead):
    version = submitted(coord)
    with pytest.raises(services.ProcessError):
        services.version_request_changes(member=lead, version=version, comment="  ")
    version.refresh_from_db()
    assert version.status == Status.SUBMITTED


def test_returned_draft_is_revised_as_a_new_version_and_resubmitted(side_a, coord, lead):
    first = submitted(coord)
    services.version_request_changes(member=lead, version=first, comment="Name the coaches.")
    first.refresh_from_db()
    assert first.status == Status.CHANGES_REQUESTED
    assert Notification.objects.filter(recipient=side_a.coordinator, kind=Kind.APPROVAL_DECISION).exists()
    assert AuditEvent.objects.filter(action="return process", outcome="success").exists()
    process = first.process
    process.refresh_from_db()
    second = services.draft_save(member=coord, process=process, texts=coaching_texts(" Coaches named."))
    assert second.number == 2
    assert first.texts != second.texts
    second = services.draft_submit(member=coord, process=process)
    assert second.status == Status.SUBMITTED


def test_approving_a_new_version_supersedes_the_old_one_only_then(coord, lead):
    first = approved(coord, lead)
    process = first.process
    process.refresh_from_db()
    services.draft_save(member=coord, process=process, texts=coaching_texts(" Year two."))
    process.refresh_from_db()
    first.refresh_from_db()
    assert first.status == Status.APPROVED
    assert process.approved_version == first
    second = services.draft_submit(member=coord, process=process)
    services.version_approve(member=lead, version=second)
    first.refresh_from_db()
    process.refresh_from_db()
    assert first.status == Status.SUPERSEDED
    assert process.approved_version == second


@pytest.mark.parametrize(
    "moment",
    [
        datetime(2028, 2, 29, 16, 0, tzinfo=UTC),  # 10:00 in Chicago
        datetime(2028, 3, 1, 3, 0, tzinfo=UTC),  # still 21:00 on 29 February in Chicago
    ],
    ids=["morning", "evening-already-1-march-in-utc"],
)
def test_approval_on_29_february_gets_a_review_date_that_exists(side_a, coord, lead, time_machine, moment):
    time_machine.move_to(moment, tick=False)
    version = approved(coord, lead)
    version.refresh_from_db()
    assert version.review_on == date(2029, 2, 28)
    assert version.status == Status.APPROVED


def test_approving_a_draft_that_is_not_submitted_is_refused(coord, lead):
    process = drafted(coord)
    with pytest.raises(services.ProcessError):
        services.version_approve(member=lead, version=process.latest_version)
    assert process.latest_version.__class__.objects.get(pk=process.latest_version_id).status == Status.DRAFT


def test_approving_twice_is_refused(coord, lead):
    version = submitted(coord)
    services.version_approve(member=lead, version=version)
    with pytest.raises(services.ProcessError, match="already decided"):
        services.version_approve(member=lead, version=version)
    version.refresh_from_db()
    assert version.status == Status.APPROVED
    assert AuditEvent.objects.filter(action="approve process", outcome="success").count() == 1
    decisions = Notification.objects.filter(kind=Kind.APPROVAL_DECISION)
    assert list(decisions.values_list("recipient", "subject")) == [
        (coord.user_id, f"Approved: {version.process.name}")
    ]


def test_returning_an_approved_version_is_refused(coord, lead):
    version = approved(coord, lead)
    with pytest.raises(services.ProcessError):
        services.version_request_changes(member=lead, version=version, comment="Too late")
    version.refresh_from_db()
    assert version.status == Status.APPROVED


def test_coordinator_cannot_approve_and_the_refusal_is_audited(coord):
    version = submitted(coord)
    with pytest.raises(PermissionDenied):
        services.version_approve(member=coord, version=version)
    version.refresh_from_db()
    assert version.status == Status.SUBMITTED
    assert AuditEvent.objects.filter(action="approve process", outcome="denied").exists()


def test_leader_of_another_district_gets_404_and_nothing_changes(side_a, side_b, coord):
    version = submitted(coord)
    outsider = side_b.membership(side_b.leader)
    with pytest.raises(Http404):
        services.version_approve(member=outsider, version=version)
    with pytest.raises(Http404):
        services.version_request_changes(member=outsider, version=version, comment="No")
    version.refresh_from_db()
    assert version.status == Status.SUBMITTED
    assert version.decided_by is None


def test_nobody_approves_their_own_draft(side_a, lead):
    """A leader who also edited the draft (e.g. as a co-author in another role) may not decide on it."""
    author = MembershipFactory(user=UserFactory(), district=side_a.district, role="coordinator")
    version = submitted(author)
    services.comment_add(member=lead, version=version, body="Looks fine")
    # The leader touched the draft's text through a revision they saved.
    version.revisions.create(texts=version.texts, saved_by=side_a.leader)
    with pytest.raises(services.ProcessError):
        services.version_approve(member=lead, version=version)
    version.refresh_from_db()
    assert version.status == Status.SUBMITTED
    assert AuditEvent.objects.filter(
        action="approve process", outcome="denied", detail__reason="own draft"
    ).exists()


def test_dit_member_co_authors_only_when_invited(side_a, coord):
    process = started(coord)
    member = side_a.membership(side_a.member)
    with pytest.raises(PermissionDenied):
        services.draft_save(member=member, process=process, texts=coaching_texts())
    services.co_author_add(member=coord, process=process, user=side_a.member)
    version = services.draft_save(member=member, process=process, texts=coaching_texts())
    assert version.author == side_a.member
    assert Notification.objects.filter(recipient=side_a.member, kind=Kind.ASSIGNED).exists()


def test_leader_comments_on_a_section(side_a, coord, lead):
    version = submitted(coord)
    comment = services.comment_add(
        member=lead, version=version, body="Who trains coaches?", section_key="coaches"
    )
    assert comment.section_key == "coaches"
    with pytest.raises(services.ProcessError):
        services.comment_add(member=lead, version=version, body="x", section_key="not-a-section")


def test_custom_process_type_gets_its_own_sections(coord):
    process = services.process_custom_create(
        member=coord,
        name="Family Engagement Process",
        purpose="How families take part.",
        sections=[{"key": "outreach", "heading": "Outreach", "prompt": "How are families reached?"}],
    )
    assert process.is_custom
    version = services.draft_save(member=coord, process=process, texts={"outreach": "Monthly newsletters."})
    assert version.texts == {"outreach": "Monthly newsletters."}


def test_waiting_drafts_are_offered_to_the_reminder_sweep(side_a, side_b, coord):
    version = submitted(coord)
    submitted(side_b.membership(side_b.coordinator), slug="staff-learning")
    waits = list(waiting_process_drafts())
    assert len(waits) == 2
    mine = next(w for w in waits if w.district_id == side_a.district.pk)
    assert mine.key == f"process-version:{version.pk}"
    assert mine.url == f"/processes/{version.process_id}/"
    assert mine.title == "Coaching System"


def test_reminder_source_is_one_query(side_a, coord, django_assert_num_queries):
    for slug in ("coaching-system", "staff-learning", "principal-support"):
        submitted(coord, slug)
    with django_assert_num_queries(1):
        assert len(list(waiting_process_drafts())) == 3


def test_a_rolled_back_submit_leaves_no_notification(coord, monkeypatch):
    process = drafted(coord)

    def boom(**kwargs):
        raise RuntimeError("audit store down")

    monkeypatch.setattr(services, "audit_record", boom)
    with pytest.raises(RuntimeError):
        services.draft_submit(member=coord, process=process)
    assert not Notification.objects.exists()
    assert Process.objects.get(pk=process.pk).latest_version.status == Status.DRAFT


def test_review_date_can_be_chosen_on_approval(coord, lead):
    version = submitted(coord)
    chosen = timezone.localdate() + timedelta(days=180)
    version = services.version_approve(member=lead, version=version, review_on=chosen)
    assert version.review_on == chosen
