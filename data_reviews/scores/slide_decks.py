"""Asking for a dashboard's slides, and drawing them in the worker.

A district deck of 60 schools draws about 25 charts: several seconds of work on one core, more
than a page may hold a web process for, so every deck is drawn by the worker (`tasks.build_slide_deck`)
while its page shows the progress, as the district export does. The deck is built with the asker's
own access at the time it is drawn: a site admin's deck holds only their school, a person who has
lost the role gets no deck.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.http import Http404
from django.utils import timezone

from coordinators.models import Membership, School
from data_reviews.models import SlideDeck
from data_reviews.scores import selectors

logger = logging.getLogger(__name__)

# A deck is for presenting soon after it is asked for; the daily retention task removes older ones.
CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
DECK_KEEP = timedelta(days=1)
# Longer than the drawing task's hard time limit: a deck still waiting or being drawn after this
# was never queued or has died with its worker, and never will be finished.
STALE_BUILD = timedelta(minutes=10)
BUILD_STOPPED = "Something went wrong; no slides were made. Ask for them again."
NO_LONGER_ALLOWED = "You can no longer see this dashboard, so no slides were made."
Status = SlideDeck.Status


def slide_deck_request(
    *, member: Membership, school: School | None, subject: str, period: str, sort: str
) -> SlideDeck:
    """Queue the deck; the same deck already waiting or being drawn for this person is returned.

    A double click, or a second tab, so gives one deck. The caller has checked the person may see
    the dashboard.
    """
    now = timezone.now()
    with transaction.atomic():
        # One request at a time per person, so two clicks cannot both find nothing and both queue.
        Membership.objects.select_for_update().filter(pk=member.pk).first()
        mine = SlideDeck.objects.filter(district=member.district, requested_by=member.user)
        # Never queued (the broker was down) or its worker died: asking again starts afresh.
        mine.filter(status__in=[Status.QUEUED, Status.BUILDING], created_at__lt=now - STALE_BUILD).update(
            status=Status.FAILED, progress=100, stage=BUILD_STOPPED
        )
        running = mine.filter(
            school=school,
            subject=subject,
            period=period,
            sort=sort,
            status__in=[Status.QUEUED, Status.BUILDING],
        ).first()
        if running is not None:
            return running
        deck = SlideDeck.objects.create(
            district=member.district,
            school=school,
            requested_by=member.user,
            subject=subject,
            period=period,
            sort=sort,
            stage="Waiting to start",
        )
        transaction.on_commit(lambda: _queue_build(deck.pk))
    return deck


def as_shown(deck: SlideDeck, *, now: datetime | None = None) -> SlideDeck:
    """The deck as its page shows it: one that will never be finished reads as failed, unpolled."""
    if deck.is_running and deck.created_at < (now or timezone.now()) - STALE_BUILD:
        deck.status, deck.progress, deck.stage = Status.FAILED, 100, BUILD_STOPPED
    return deck


def _queue_build(deck_id: int) -> None:
    from data_reviews import tasks

    try:
        tasks.build_slide_deck.delay(deck_id)
    except Exception:
        # Broker down: the deck stays "Waiting to start"; asking again after a while queues a new one.
        logger.exception("Could not queue slide deck %s", deck_id)


def _progress(deck_id: int, done: int, total: int, subject: str) -> None:
    # A plain UPDATE so the page polling the progress sees it at once.
    SlideDeck.objects.filter(pk=deck_id).update(
        progress=5 + 90 * done // max(total, 1), stage=f"Drawing {subject} ({done + 1} of {total})"
    )


def slide_deck_build(deck: SlideDeck) -> SlideDeck | None:
    """Draw the deck (the caller has claimed it, so no other worker draws it)."""
    # PowerPoint and the chart library load here, in the worker, not with every page's URLs.
    from data_reviews.scores import slides

    district = deck.district
    member = (
        Membership.objects.select_related("district", "user")
        .filter(user=deck.requested_by_id, district=district, active=True)
        .first()
    )
    # School staff open no dashboard: a principal who became a teacher gets no deck drawn either.
    if (
        member is None
        or member.is_school_staff
        or (deck.school_id is None and not member.sees_whole_district)
    ):
        return slide_deck_fail(deck.pk, reason=NO_LONGER_ALLOWED)
    now = timezone.now()
    common: dict[str, Any] = {
        "subject": deck.subject or None,
        "period": deck.period or None,
        "today": timezone.localdate(now, district.tz),
        "made_at": now,
        "tz": district.tz,
        "progress": lambda done, total, subject: _progress(deck.pk, done, total, subject),
    }
    if deck.school_id is not None:
        try:
            school = selectors.get_dashboard_school_for_user(member, deck.school_id)
        except Http404:
            return slide_deck_fail(deck.pk, reason=NO_LONGER_ALLOWED)
        built = slides.school_deck(
            school_name=school.name,
            district_name=district.name,
            snapshot_rows=selectors.school_snapshots(school),
            min_group_size=district.min_group_size,
            **common,
        )
    else:
        built = slides.district_deck(
            district_name=district.name,
            snapshot_rows=selectors.district_snapshots(member),
            schools=dict(selectors.dashboard_schools_for(member).values_list("pk", "name")),
            sort=deck.sort or None,
            **common,
        )
    SlideDeck.objects.filter(pk=deck.pk, status=Status.BUILDING).update(
        status=Status.READY,
        progress=100,
        stage="Ready",
        content=built.content,
        file_name=built.file_name,
        finished_at=timezone.now(),
    )
    deck.refresh_from_db()
    return deck


def slide_decks_expire(*, now: datetime | None = None) -> int:
    """Delete the decks past their keeping time (a rerun deletes nothing more)."""
    now = now or timezone.now()
    deleted, _by_model = SlideDeck.objects.filter(created_at__lt=now - DECK_KEEP).delete()
    return deleted


def slide_deck_fail(deck_id: int, *, reason: str = BUILD_STOPPED) -> SlideDeck | None:
    SlideDeck.objects.filter(pk=deck_id).exclude(status=Status.READY).update(
        status=Status.FAILED, progress=100, stage=reason, finished_at=timezone.now()
    )
    return SlideDeck.objects.filter(pk=deck_id).defer("content").first()
