from __future__ import annotations

import time

import pytest
from django.test import Client

from mtss.celery import app as celery_app

pytestmark = pytest.mark.django_db


def test_healthz_reports_database_and_broker_up(client: Client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "up", "broker": "up"}


@pytest.fixture
def dead_broker(monkeypatch):
    """Point Celery at a port where nothing listens: the broker is down, the real one untouched."""
    dead = "redis://127.0.0.1:6399/0"
    # Celery reads CELERY_BROKER_URL from the environment before its own configuration.
    monkeypatch.setenv("CELERY_BROKER_URL", dead)
    saved = {key: celery_app.conf[key] for key in ("broker_url", "broker_transport_options")}
    celery_app.conf.update(broker_url=dead, broker_transport_options={"socket_connect_timeout": 1})
    yield
    celery_app.conf.update(saved)


def test_healthz_answers_503_quickly_when_the_broker_is_down(client: Client, dead_broker):
    started = time.monotonic()
    response = client.get("/healthz")
    assert time.monotonic() - started < 5
    assert response.status_code == 503
    assert response.json()["broker"] == "down"
    assert response.json()["database"] == "up"


def test_healthz_answers_503_when_the_database_is_down(client: Client, monkeypatch):
    def broken_cursor(*args, **kwargs):
        from django.db import OperationalError

        raise OperationalError("connection refused")

    monkeypatch.setattr("django.db.backends.base.base.BaseDatabaseWrapper.cursor", broken_cursor)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"] == "down"
