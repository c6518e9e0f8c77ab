"""Error pages. A database outage anywhere in the request answers 503, not 500 (docs/quality.md R5)."""

from __future__ import annotations

import sys

from django.db import OperationalError, connections
from django.http import HttpRequest, HttpResponse, HttpResponseServerError
from django.template.loader import render_to_string


def database_unavailable_response() -> HttpResponse:
    # Drop broken connections so the next request reconnects by itself once the database is back.
    for connection in connections.all(initialized_only=True):
        connection.close_if_unusable_or_obsolete()
    response = HttpResponse(render_to_string("503.html", {}), status=503)
    response["Retry-After"] = "30"
    return response


def server_error(request: HttpRequest) -> HttpResponse:
    """handler500: Django calls it while handling the exception, so the exception is at hand."""
    error = sys.exc_info()[1]
    if isinstance(error, OperationalError):
        return database_unavailable_response()
    return HttpResponseServerError(render_to_string("500.html", {}))
