"""Slides drawn by a real Celery worker over Redis, against PostgreSQL.

The dashboard's button commits the deck row and queues the task after the commit; the worker claims
it with a conditional UPDATE, so the same task delivered again draws nothing more.
CI sets DATABASE_URL and CELERY_BROKER_URL, so it always runs there.
"""

from __future__ import annotations

import io
from collections.abc import Iterator

import pytest
from django.test import Client
from django.urls import reverse
from pptx import Presentation

from data_reviews import tasks
from data_reviews.models import SlideDeck
from tests.data_reviews.score_factories import TierSnapshotFactory
from tests.notifications.realparts import (
    Worker,
    real_services_only,
    wait_until,
    worker_on_test_database,
)

pytestmark = real_services_only()


@pytest.fixture
def worker(transactional_db) -> Iterator[Worker]:
    with worker_on_test_database(name="slides", email_url="console://") as worker:
        yield worker


def test_the_worker_draws_the_deck_the_dashboard_asked_for_once(worker, side_a):
    TierSnapshotFactory(school=side_a.school, window="winter", tier1=71, tier2=17, tier3=12)
    TierSnapshotFactory(school=side_a.other_school, window="winter", tier1=30, tier2=10, tier3=10)
    client = Client()
    client.force_login(side_a.leader)
    response = client.post(reverse("score_district_slides"), {"period": "2025-winter"})
    assert response.status_code == 302
    deck = SlideDeck.objects.get()
    assert response["Location"] == reverse("score_slides_detail", args=[deck.pk])

    def ready() -> bool:
        deck.refresh_from_db()
        return deck.status == SlideDeck.Status.READY

    assert wait_until(ready, timeout=90), (deck.status, deck.stage)
    finished = deck.finished_at
    tasks.build_slide_deck.delay(deck.pk)
    tasks.build_slide_deck.delay(deck.pk)
    progress = client.get(reverse("score_slides_progress", args=[deck.pk]))
    assert "Download the slides" in progress.content.decode()
    download = client.get(reverse("score_slides_download", args=[deck.pk]))
    presentation = Presentation(io.BytesIO(download.content))
    assert [slide.shapes.title.text for slide in presentation.slides][:3] == [
        "District A",
        "Reading, Winter 2025-26: tiers against the healthy triangle",
        "All schools, reading, Winter 2025-26",
    ]
    assert wait_until(lambda: worker.log.read_text().count("build_slide_deck") >= 6, timeout=30)
    deck.refresh_from_db()
    assert deck.finished_at == finished
    assert SlideDeck.objects.count() == 1
    assert worker.process.poll() is None
