"""/healthz: is the database reachable, is the broker reachable."""

from __future__ import annotations

from django.conf import settings
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache

from mtss.celery import app as celery_app


def database_ok() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except Exception:
        # Any failure means "down" for a health check.
        return False


def broker_ok() -> bool:
    try:
        with celery_app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=settings.CELERY_BROKER_CONNECTION_TIMEOUT)
        return True
    except Exception:
        return False


@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    status = {"database": "up" if database_ok() else "down", "broker": "up" if broker_ok() else "down"}
    healthy = all(value == "up" for value in status.values())
    return JsonResponse({"status": "ok" if healthy else "degraded", **status}, status=200 if healthy else 503)
