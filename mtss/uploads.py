"""Caps on request bodies, applied before Django reads them.

Django streams an uploaded file bigger than FILE_UPLOAD_MAX_MEMORY_SIZE to a temporary file as
it arrives, so without a cap a 200 MB body is written to disk before any view can refuse it.
Three guards, outermost first:

- under ASGI, `limit_asgi_body` counts the body as the server hands it over (Django's ASGI
  handler would spool all of it to disk before any middleware runs), declared length or not;
- `RequestBodyLimitMiddleware` answers 413 when the declared Content-Length is past
  MTSS_MAX_REQUEST_BYTES, without reading a byte of the body;
- `BoundedUploadHandler`, first of the upload handlers, stops storing a file once it passes
  MTSS_MAX_UPLOAD_BYTES; the form then refuses it by its size with its usual message.
"""

from __future__ import annotations

import io
from collections.abc import Awaitable, Callable
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import FileUploadHandler
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string

# The page is answered outside Django's middleware, so it carries its own headers.
ASGI_PAGE_POLICY = b"default-src 'self'; style-src 'self' 'unsafe-inline'; frame-ancestors 'none'"
ASGIApp = Callable[[Any, Any, Any], Awaitable[None]]


def too_large_page() -> str:
    return render_to_string("413.html", {"limit_mb": settings.MTSS_MAX_UPLOAD_BYTES // (1024 * 1024)})


def too_large_response() -> HttpResponse:
    return HttpResponse(too_large_page(), status=413)


def declared_length(value: str | bytes | None) -> int | None:
    try:
        return int(value) if value else None
    except ValueError:
        return None


class RequestBodyLimitMiddleware:
    """Refuse a body whose declared length is past the cap before anything reads it."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        length = declared_length(request.META.get("CONTENT_LENGTH"))
        if length is not None and length > settings.MTSS_MAX_REQUEST_BYTES:
            return too_large_response()
        return self.get_response(request)


class TooLargeUpload(UploadedFile):
    """A file that passed the cap: nothing of it is kept, only its name and how much arrived."""

    def __init__(self, name: str | None, content_type: str | None, size: int, charset: str | None) -> None:
        super().__init__(io.BytesIO(), name=name, content_type=content_type, size=size, charset=charset)


class BoundedUploadHandler(FileUploadHandler):
    """Pass each file's bytes to the next handlers until it passes MTSS_MAX_UPLOAD_BYTES, then
    drop the rest, so no file puts more than that on disk whatever length the request declared."""

    def new_file(self, *args: Any, **kwargs: Any) -> None:
        super().new_file(*args, **kwargs)
        self.received = 0
        self.too_large = False

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes | None:
        self.received += len(raw_data)
        if self.received > settings.MTSS_MAX_UPLOAD_BYTES:
            self.too_large = True
            return None
        return raw_data

    def file_complete(self, file_size: int) -> UploadedFile | None:
        if not self.too_large:
            return None
        return TooLargeUpload(self.file_name, self.content_type, self.received, self.charset)


def limit_asgi_body(app: ASGIApp) -> ASGIApp:
    """Wrap the ASGI application so a body past MTSS_MAX_REQUEST_BYTES, declared or streamed in
    chunks, is cut off where it passes the cap and answered with 413."""

    async def limited(
        scope: dict[str, Any], receive: Callable[[], Awaitable[Any]], send: Callable[[Any], Awaitable[None]]
    ):
        if scope["type"] != "http":
            return await app(scope, receive, send)
        cap = settings.MTSS_MAX_REQUEST_BYTES
        headers = dict(scope.get("headers") or [])
        length = declared_length(headers.get(b"content-length"))
        started = False
        received = 0
        cut_off = length is not None and length > cap

        async def counted_receive() -> dict:
            nonlocal received, cut_off
            if cut_off:
                return {"type": "http.disconnect"}
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > cap:
                    # Django stops reading and sends nothing; the 413 goes out below.
                    cut_off = True
                    return {"type": "http.disconnect"}
            return message

        async def tracked_send(message: dict) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        if not cut_off:
            await app(scope, counted_receive, tracked_send)
        if cut_off and not started:
            body = too_large_page().encode()
            await send(
                {
                    "type": "http.response.start",
                    "status": 413,
                    "headers": [
                        (b"content-type", b"text/html; charset=utf-8"),
                        (b"content-length", str(len(body)).encode()),
                        (b"x-frame-options", b"DENY"),
                        (b"x-content-type-options", b"nosniff"),
                        (b"referrer-policy", b"same-origin"),
                        (b"content-security-policy", ASGI_PAGE_POLICY),
                    ],
                }
            )
            await send({"type": "http.response.body", "body": body})

    return limited
