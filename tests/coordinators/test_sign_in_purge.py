"""Old lockout rows, reset requests and expired sessions are purged on a schedule."""

from __future__ import annotations

from datetime import timedelta

import pytest
from axes.models import AccessAttempt, AccessFailureLog
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.utils import timezone

from coordinators.models import PasswordResetRequest
from coordinators.tasks import purge_sign_in_records
from mtss.celery import BEAT_SCHEDULE

pytestmark = pytest.mark.django_db


def _attempt(username: str, age: timedelta) -> AccessAttempt:
    attempt = AccessAttempt.objects.create(
        username=username, ip_address="10.0.0.7", user_agent="test", failures_since_start=3
    )
    # attempt_time is set on insert; move it back afterwards.
    AccessAttempt.objects.filter(pk=attempt.pk).update(attempt_time=timezone.now() - age)
    return attempt


def _failure_log(username: str, age: timedelta) -> AccessFailureLog:
    log = AccessFailureLog.objects.create(username=username, ip_address="10.0.0.7", user_agent="test")
    AccessFailureLog.objects.filter(pk=log.pk).update(attempt_time=timezone.now() - age)
    return log


def _session(expires_in: timedelta) -> str:
    store = SessionStore()
    store["x"] = 1
    store.create()
    Session.objects.filter(session_key=store.session_key).update(expire_date=timezone.now() + expires_in)
    return store.session_key


def test_purge_removes_only_what_is_past_its_window(settings, celery_eager):
    cool_off = settings.AXES_COOLOFF_TIME
    _attempt("old@example.org", cool_off + timedelta(minutes=1))
    recent = _attempt("recent@example.org", cool_off - timedelta(minutes=1))
    _failure_log("old@example.org", cool_off + timedelta(minutes=1))
    recent_log = _failure_log("recent@example.org", timedelta(minutes=1))
    PasswordResetRequest.objects.create(
        email="old@example.org", ip_address="10.0.0.7", requested_at=timezone.now() - timedelta(minutes=61)
    )
    recent_request = PasswordResetRequest.objects.create(email="recent@example.org", ip_address="10.0.0.7")
    _session(-timedelta(seconds=1))
    live = _session(timedelta(hours=1))

    purge_sign_in_records.delay()

    assert list(AccessAttempt.objects.all()) == [recent]
    assert list(AccessFailureLog.objects.all()) == [recent_log]
    assert list(PasswordResetRequest.objects.all()) == [recent_request]
    assert list(Session.objects.values_list("session_key", flat=True)) == [live]


def test_purge_twice_changes_nothing_more(settings):
    _attempt("old@example.org", settings.AXES_COOLOFF_TIME + timedelta(minutes=1))
    recent = _attempt("recent@example.org", timedelta(minutes=1))
    purge_sign_in_records()
    purge_sign_in_records()
    assert list(AccessAttempt.objects.all()) == [recent]


def test_the_purge_is_on_the_schedule():
    entries = [
        entry
        for entry in BEAT_SCHEDULE.values()
        if entry["task"] == "coordinators.tasks.purge_sign_in_records"
    ]
    assert len(entries) == 1
    assert entries[0]["schedule"] <= 60 * 60
