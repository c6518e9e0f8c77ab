from __future__ import annotations

import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from implementation_plans.models import Barrier, ProcessVersion
from implementation_plans.processes import services
from mtss.audit.models import AuditEvent
from mtss.middleware import KEPT_POSTS_KEY
from tests.implementation_plans.plan_factories import BarrierFactory
from tests.implementation_plans.process_factories import (
    approved,
    backdate_submission,
    coaching_texts,
    drafted,
    started,
    submitted,
    texts_for,
    with_versions,
)

pytestmark = pytest.mark.django_db
Status = ProcessVersion.Status


@pytest.fixture
def coord(side_a):
    return side_a.membership(side_a.coordinator)


@pytest.fixture
def lead(side_a):
    return side_a.membership(side_a.leader)


def _draft_post(extra: str = "") -> dict[str, str]:
    return {f"section_{key}": text for key, text in coaching_texts(extra).items()}


def test_board_lists_the_eight_processes_with_status(side_a, coord, lead, coordinator_a):
    approved(coord, lead)
    response = coordinator_a.get(reverse("process_board"))
    assert response.status_code == 200
    for name in ("Coaching System", "Staff Learning Plans", "Initiative and Innovation Review Process"):
        assert name in response.text
    assert "Approved" in response.text
    assert response.text.count("Start draft") == 7


def test_board_filters_by_status_and_review(side_a, coord, lead, coordinator_a):
    version = approved(coord, lead)
    submitted(coord, "staff-learning")
    only_submitted = coordinator_a.get(reverse("process_board"), {"status": "submitted"}).text
    assert "Staff Learning Plans" in only_submitted
    assert "Coaching System" not in only_submitted
    assert "Nothing" not in only_submitted
    ProcessVersion.objects.filter(pk=version.pk).update(review_on=version.review_on.replace(year=2020))
    due = coordinator_a.get(reverse("process_board"), {"review": "on"}).text
    assert "Coaching System" in due
    assert "Due for review" in due
    assert "Staff Learning Plans" not in due


def test_site_admin_cannot_open_the_board(site_admin_a):
    assert site_admin_a.get(reverse("process_board")).status_code == 403


def test_coordinator_starts_writes_and_submits_a_draft(side_a, coordinator_a):
    response = coordinator_a.post(reverse("process_start", args=["coaching-system"]))
    process_url = response.url
    assert response.status_code == 302
    edit = coordinator_a.get(process_url)
    assert "How are coaching needs identified" in edit.text
    response = coordinator_a.post(process_url, {**_draft_post(), "close": ""})
    assert response.status_code == 302
    version = ProcessVersion.objects.get()
    assert version.texts["coaches"].startswith("Two district literacy coaches")
    response = coordinator_a.post(
        reverse("process_submit", args=[version.process_id]), {"submit-note": "Ready"}
    )
    version.refresh_from_db()
    assert version.status == Status.SUBMITTED
    detail = coordinator_a.get(reverse("process_detail", args=[version.process_id]))
    assert "Submit for approval" not in detail.text
    assert "frozen" in detail.text


def test_text_over_the_limit_is_refused_and_every_field_kept(coord, coordinator_a):
    process = started(coord)
    post = _draft_post()
    post["section_cycle"] = "x" * 20_001
    response = coordinator_a.post(reverse("process_edit", args=[process.pk]), post)
    assert response.status_code == 200
    assert "Two district literacy coaches" in response.text
    assert not ProcessVersion.objects.exists()


def test_expired_session_keeps_the_typed_draft(side_a, coord, coordinator_a):
    """The middleware stashed what was posted after the session ended; the edit page gives it back once."""
    process = started(coord)
    url = reverse("process_edit", args=[process.pk])
    session = coordinator_a.session
    typed = {name: [text] for name, text in _draft_post(" Typed before the session ended.").items()}
    session[KEPT_POSTS_KEY] = {url: typed}
    session.save()
    refill = coordinator_a.get(url)
    assert "Typed before the session ended." in refill.text
    assert "Save it to keep it" in refill.text
    assert not ProcessVersion.objects.exists()
    assert "Typed before the session ended." not in coordinator_a.get(url).text


def test_markdown_is_rendered_and_no_script_survives(coord, coordinator_a):
    process = started(coord)
    texts = coaching_texts()
    texts["cycle"] = (
        "**Weekly** cycle\n\n<script>alert('x')</script>\n\n"
        "[click](javascript:alert(1)) <img src=x onerror=alert(1)>"
    )
    services.draft_save(member=coord, process=process, texts=texts)
    page = coordinator_a.get(reverse("process_detail", args=[process.pk])).text
    assert "<strong>Weekly</strong>" in page
    assert "<script>alert" not in page
    assert "javascript:" not in page
    assert "onerror" not in page


def test_leader_requests_changes_and_coordinator_sees_the_comment(side_a, coord, leader_a, coordinator_a):
    version = submitted(coord)
    response = leader_a.post(reverse("process_request_changes", args=[version.pk]), {"changes-comment": ""})
    version.refresh_from_db()
    assert version.status == Status.SUBMITTED
    leader_a.post(
        reverse("process_request_changes", args=[version.pk]), {"changes-comment": "Name the two coaches."}
    )
    version.refresh_from_db()
    assert version.status == Status.CHANGES_REQUESTED
    edit = coordinator_a.get(reverse("process_edit", args=[version.process_id]))
    assert "Name the two coaches." in edit.text
    assert response.status_code == 302


def test_leader_comments_on_a_section(coord, leader_a, coordinator_a):
    version = submitted(coord)
    leader_a.post(
        reverse("process_comment", args=[version.pk]),
        {"comment-section_key": "cycle", "comment-body": "How long?"},
    )
    assert version.comments.get().section_key == "cycle"
    assert "How long?" in coordinator_a.get(reverse("process_detail", args=[version.process_id])).text


def test_leader_approves_through_the_page(coord, leader_a):
    version = submitted(coord)
    response = leader_a.post(reverse("process_approve", args=[version.pk]), {"approve-comment": "Good work"})
    assert response.status_code == 302
    version.refresh_from_db()
    assert version.status == Status.APPROVED
    assert version.decision_comment == "Good work"


def test_coordinator_cannot_approve_through_the_page(coord, coordinator_a):
    version = submitted(coord)
    response = coordinator_a.post(reverse("process_approve", args=[version.pk]))
    assert response.status_code == 403
    version.refresh_from_db()
    assert version.status == Status.SUBMITTED


def test_outsider_leader_gets_404_approving_and_nothing_changes(side_a, side_b, coord, leader_b):
    version = submitted(coord)
    before = AuditEvent.objects.filter(outcome="denied").count()
    assert leader_b.post(reverse("process_approve", args=[version.pk])).status_code == 404
    assert (
        leader_b.post(
            reverse("process_request_changes", args=[version.pk]), {"changes-comment": "no"}
        ).status_code
        == 404
    )
    assert (
        leader_b.post(reverse("process_comment", args=[version.pk]), {"comment-body": "hi"}).status_code
        == 404
    )
    version.refresh_from_db()
    assert version.status == Status.SUBMITTED
    assert not version.comments.exists()
    assert AuditEvent.objects.filter(outcome="denied").count() == before + 3


@pytest.mark.parametrize(
    "name",
    ["process_detail", "process_edit", "process_versions", "process_diff", "process_print", "process_docx"],
)
def test_outsider_gets_404_on_every_process_page(name, coord, lead, coordinator_b):
    version = approved(coord, lead)
    response = coordinator_b.get(reverse(name, args=[version.process_id]))
    assert response.status_code == 404
    version.refresh_from_db()
    assert version.status == Status.APPROVED


def test_outsider_cannot_write_a_draft(coord, coordinator_b):
    process = drafted(coord)
    response = coordinator_b.post(reverse("process_edit", args=[process.pk]), _draft_post(" Outsider"))
    assert response.status_code == 404
    assert coordinator_b.post(reverse("process_submit", args=[process.pk])).status_code == 404
    process.refresh_from_db()
    assert process.latest_version.status == Status.DRAFT
    assert "Outsider" not in process.latest_version.texts["who_coached"]


def test_dit_member_reads_but_cannot_edit_unless_invited(side_a, coord, member_a, coordinator_a):
    process = drafted(coord)
    assert member_a.get(reverse("process_detail", args=[process.pk])).status_code == 200
    assert member_a.get(reverse("process_edit", args=[process.pk])).status_code == 403
    coordinator_a.post(reverse("process_co_authors", args=[process.pk]), {"user": side_a.member.pk})
    assert member_a.get(reverse("process_edit", args=[process.pk])).status_code == 200


def test_diff_shows_what_changed_since_the_last_approved_version(coord, lead, leader_a):
    version = approved(coord, lead)
    process = version.process
    services.draft_save(member=coord, process=process, texts=coaching_texts(" Added middle schools."))
    page = leader_a.get(reverse("process_diff", args=[process.pk])).text
    assert "Comparing version 1 (Approved) with version 2 (Draft)" in page
    assert "Added middle schools.</ins>" in page
    assert '<ins class="diff-added">' in page
    side = leader_a.get(reverse("process_diff", args=[process.pk]), {"from": 2, "to": 1, "view": "side"}).text
    assert "Removed: </span>" in side


def test_print_page_and_docx_of_the_approved_version(coord, lead, member_a):
    version = approved(coord, lead)
    page = member_a.get(reverse("process_print", args=[version.process_id]))
    assert "Two district literacy coaches" in page.text
    assert "js/processes.js" in page.text
    response = member_a.get(reverse("process_docx", args=[version.process_id]))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert 'filename="coaching-system-v1.docx"' in response["Content-Disposition"]
    from docx import Document

    document = Document(io.BytesIO(response.content))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "Coaching System" in text
    assert "Debrief within 48 hours" in text


def test_docx_without_approved_version_is_404(coord, coordinator_a):
    process = drafted(coord)
    assert coordinator_a.get(reverse("process_docx", args=[process.pk])).status_code == 404


def test_approval_queue_lists_oldest_first_with_waiting_days(coord, leader_a):
    newer = submitted(coord, "staff-learning")
    older = submitted(coord, "coaching-system")
    backdate_submission(older, 5)
    backdate_submission(newer, 1)
    page = leader_a.get(reverse("approval_queue")).text
    assert page.index("Coaching System") < page.index("Staff Learning Plans")
    assert "5 days" in page


def test_only_leaders_open_the_approval_queue(coordinator_a):
    assert coordinator_a.get(reverse("approval_queue")).status_code == 403


def test_version_history_shows_decisions_with_who_and_when(side_a, coord, lead, coordinator_a):
    process = with_versions(coord, lead, 2)
    page = coordinator_a.get(reverse("process_versions", args=[process.pk])).text
    assert "Version 1" in page
    assert "Version 2" in page
    assert "Changes requested" in page
    assert f"by {side_a.leader.full_name}" in page


def test_home_panels_for_leader_and_coordinator(side_a, coord, leader_a, coordinator_a):
    version = submitted(coord)
    backdate_submission(version, 3)
    home = leader_a.get(reverse("home")).text
    assert "Waiting for your approval" in home
    assert "waiting 3 days" in home
    assert "Approval queue" in home
    coordinator_home = coordinator_a.get(reverse("home")).text
    assert "Your process drafts" in coordinator_home
    assert "Coaching System" in coordinator_home
    assert 'href="/approvals/"' not in coordinator_home


def _count(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_board_query_count_does_not_grow(side_a, coord, lead, coordinator_a, django_assert_num_queries):
    for n in range(5):
        services.process_custom_create(
            member=coord,
            name=f"Local process {n}",
            purpose="",
            sections=[{"key": "a", "heading": "A", "prompt": ""}],
        )
    with_versions(coord, lead, 3)
    url = reverse("process_board")
    small = _count(coordinator_a, url)
    for n in range(5, 50):
        services.process_custom_create(
            member=coord,
            name=f"Local process {n}",
            purpose="",
            sections=[{"key": "a", "heading": "A", "prompt": ""}],
        )
    with_versions(coord, lead, 5, slug="staff-learning")
    with django_assert_num_queries(small):
        coordinator_a.get(url)
    assert small == BOARD_QUERIES


def test_approval_queue_query_count_does_not_grow(coord, leader_a, django_assert_num_queries):
    for n in range(5):
        process = services.process_custom_create(
            member=coord, name=f"Local {n}", purpose="", sections=[{"key": "a", "heading": "A", "prompt": ""}]
        )
        services.draft_save(member=coord, process=process, texts={"a": "text"})
        services.draft_submit(member=coord, process=process)
    url = reverse("approval_queue")
    small = _count(leader_a, url)
    for n in range(5, 50):
        process = services.process_custom_create(
            member=coord, name=f"Local {n}", purpose="", sections=[{"key": "a", "heading": "A", "prompt": ""}]
        )
        services.draft_save(member=coord, process=process, texts={"a": "text"})
        services.draft_submit(member=coord, process=process)
    with django_assert_num_queries(small):
        page = leader_a.get(url)
    assert page.text.count("Local ") == 50
    assert small == QUEUE_QUERIES


@pytest.mark.parametrize("client_name", ["leader_a", "coordinator_a"])
def test_detail_query_count_is_the_same_with_5_and_50_versions(
    client_name, request, coord, lead, django_assert_num_queries
):
    client = request.getfixturevalue(client_name)
    few = with_versions(coord, lead, 5)
    services.draft_save(member=coord, process=few, texts=coaching_texts(" more"))
    services.draft_submit(member=coord, process=few)
    many = with_versions(coord, lead, 50, slug="staff-learning")
    services.draft_save(member=coord, process=many, texts=texts_for(many, " more"))
    services.draft_submit(member=coord, process=many)
    small = _count(client, reverse("process_detail", args=[few.pk]))
    with django_assert_num_queries(small):
        page = client.get(reverse("process_detail", args=[many.pk]))
    assert "Version 50" in page.text
    assert small == DETAIL_QUERIES[client_name]


BOARD_QUERIES = 4
QUEUE_QUERIES = 5
DETAIL_QUERIES = {"leader_a": 7, "coordinator_a": 8}


def test_approval_queue_shows_escalated_barriers_beside_the_drafts(side_a, side_b, leader_a):
    BarrierFactory(
        district=side_a.district,
        description="No release time for Tier 2 coaching",
        status=Barrier.Status.ESCALATED,
        escalated_on=datetime.date(2026, 11, 2),
    )
    BarrierFactory(district=side_a.district, description="Still open at the DIT", status=Barrier.Status.OPEN)
    BarrierFactory(
        district=side_b.district, description="Another district's barrier", status=Barrier.Status.ESCALATED
    )
    page = leader_a.get(reverse("approval_queue")).text
    assert "Escalated barriers" in page
    assert "No release time for Tier 2 coaching" in page
    assert "Still open at the DIT" not in page
    assert "Another district&#x27;s barrier" not in page
    assert "Another district's barrier" not in page
