"""A leader decides from wherever they read the draft, on a phone too.

The decision (Approve, Request changes) comes before the draft's text, the changes page carries it
as well and reads as text rather than Markdown, and a resubmitted draft says what changed since it
was returned and what its author noted.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from implementation_plans.models import ProcessVersion
from implementation_plans.processes import services
from tests.implementation_plans.process_factories import coaching_texts, drafted, submitted

pytestmark = pytest.mark.django_db
Status = ProcessVersion.Status


@pytest.fixture
def coord(side_a):
    return side_a.membership(side_a.coordinator)


@pytest.fixture
def lead(side_a):
    return side_a.membership(side_a.leader)


def _returned_and_resubmitted(coord, lead) -> ProcessVersion:
    first = submitted(coord)
    services.version_request_changes(member=lead, version=first, comment="Name the coaches.")
    process = first.process
    services.draft_save(
        member=coord,
        process=process,
        texts=coaching_texts(" Ana Ruiz and Sam Lee coach, trained each August."),
    )
    return services.draft_submit(member=coord, process=process, note="I named both coaches.")


def test_the_decision_comes_before_the_drafts_text(coord, leader_a):
    version = submitted(coord)
    page = leader_a.get(reverse("process_detail", args=[version.process_id])).text
    decision = page.index('id="decide-heading"')
    assert decision < page.index('id="working-heading"')
    assert decision < page.index("All seven elementary schools")
    assert page.index('id="approve-form"') < page.index('id="working-heading"')
    assert page.index('id="request-changes-form"') < page.index('id="working-heading"')


def test_a_resubmitted_draft_offers_the_changes_since_it_was_returned_and_the_authors_note(
    coord, lead, leader_a
):
    version = _returned_and_resubmitted(coord, lead)
    page = leader_a.get(reverse("process_detail", args=[version.process_id])).text
    panel = page[page.index('id="decide-heading"') : page.index('id="working-heading"')]
    since = reverse("process_diff", args=[version.process_id]) + "?from=1&amp;to=2"
    assert f'href="{since}"' in panel
    assert "See the changes since you returned it" in panel
    assert "I named both coaches." in panel
    assert "Name the coaches." in panel


def test_the_changes_page_of_a_submitted_draft_has_the_decision_for_a_leader(
    coord, lead, leader_a, coordinator_a
):
    version = _returned_and_resubmitted(coord, lead)
    url = reverse("process_diff", args=[version.process_id])
    page = leader_a.get(url).text
    assert "Comparing version 1 (Changes requested) with version 2 (Submitted)" in page
    assert f'action="{reverse("process_approve", args=[version.pk])}"' in page
    assert f'action="{reverse("process_request_changes", args=[version.pk])}"' in page
    assert "I named both coaches." in page
    assert page.index('id="decide-heading"') < page.index('class="mb-4 diff-section"')
    assert "process_approve" not in coordinator_a.get(url).text
    assert 'id="approve-form"' not in coordinator_a.get(url).text
    older = leader_a.get(url, {"from": 1, "to": 1}).text
    assert 'id="approve-form"' not in older


def test_the_changes_page_reads_as_text_not_markdown(coord, lead, leader_a):
    process = drafted(
        coord,
        texts={
            **coaching_texts(),
            "cycle": "## Each cycle\n- **Pre-conference** with the _teacher_\n1. Observation",
        },
    )
    version = services.draft_submit(member=coord, process=process)
    services.version_approve(member=lead, version=version)
    services.draft_save(
        member=coord,
        process=process,
        texts={
            **coaching_texts(),
            "cycle": "## Each cycle\n- **Pre-conference** with the _coach_\n1. Observation",
        },
    )
    inline = leader_a.get(reverse("process_diff", args=[process.pk])).text
    side = leader_a.get(reverse("process_diff", args=[process.pk]), {"view": "side"}).text
    for page in (inline, side):
        assert "**" not in page
        assert "## " not in page
        assert "_teacher_" not in page
        assert "• Pre-conference with the" in page
        assert "1. Observation" in page
        assert "Each cycle" in page
    assert '<del class="diff-removed">teacher</del>' in inline
    assert '<ins class="diff-added">coach</ins>' in inline
