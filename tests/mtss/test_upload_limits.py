"""Request bodies are capped before Django reads them: declared lengths, undeclared (chunked)
bodies under ASGI, and each file's bytes on the way to disk."""

from __future__ import annotations

import asyncio
import io
import os
import socket
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.files.uploadhandler import TemporaryFileUploadHandler
from django.http.multipartparser import MultiPartParser
from django.test.client import BOUNDARY, MULTIPART_CONTENT, encode_multipart
from django.urls import reverse

from data_reviews.models import ImportBatch
from mtss.asgi import application as asgi_application
from mtss.uploads import BoundedUploadHandler, TooLargeUpload

MB = 1024 * 1024


def test_settings_cap_the_body_at_two_files_and_the_form() -> None:
    from django.conf import settings

    assert settings.MTSS_MAX_REQUEST_BYTES == 2 * settings.MTSS_MAX_UPLOAD_BYTES + MB
    assert settings.FILE_UPLOAD_HANDLERS[0] == "mtss.uploads.BoundedUploadHandler"


@pytest.mark.django_db(transaction=True)
def test_a_200_mb_body_is_answered_413_before_the_server_reads_it(live_server) -> None:
    """Only 1 KB of the declared 200 MB is sent: a server that read the body would wait for the
    rest until the socket timed out instead of answering."""
    host, port = live_server.url.removeprefix("http://").split(":")
    path = reverse("score_import_list")
    head = (
        f"POST {path} HTTP/1.1\r\nHost: {host}\r\nContent-Type: multipart/form-data; boundary=x\r\n"
        f"Content-Length: {200 * MB}\r\n\r\n"
    ).encode()
    with socket.create_connection((host, int(port)), timeout=20) as sock:
        sock.sendall(head + b"--x\r\n" + b"0" * 1024)
        answer = b""
        while b"</html>" not in answer:
            chunk = sock.recv(65536)
            if not chunk:
                break
            answer += chunk
    status_line, _, rest = answer.partition(b"\r\n")
    assert status_line.split()[1] == b"413"
    assert b"That upload is too large" in rest
    assert b"A file can be at most 25 MB" in rest


@pytest.mark.django_db
def test_the_413_page_is_the_apps_plain_page_with_its_headers(client) -> None:
    response = client.post(
        reverse("score_import_list"), data=b"x", content_type="text/plain", CONTENT_LENGTH=str(200 * MB)
    )
    assert response.status_code == 413
    assert "Nothing was saved. A file can be at most 25 MB" in response.content.decode()
    assert response["X-Frame-Options"] == "DENY"
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert not ImportBatch.objects.exists()


def _parse(content: bytes, cap: int, settings) -> tuple[dict, TemporaryFileUploadHandler]:
    settings.MTSS_MAX_UPLOAD_BYTES = cap
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 1024
    body = encode_multipart(BOUNDARY, {"data_file": SimpleUploadedFile("big.csv", content)})
    meta = {"CONTENT_TYPE": MULTIPART_CONTENT, "CONTENT_LENGTH": str(len(body))}
    disk = TemporaryFileUploadHandler()
    handlers = [BoundedUploadHandler(), disk]
    _post, files = MultiPartParser(meta, io.BytesIO(body), handlers, "utf-8").parse()
    return files, disk


def test_a_file_past_the_cap_stops_going_to_disk_and_arrives_empty_with_its_size(settings) -> None:
    files, disk = _parse(b"7" * (3 * MB), MB, settings)
    upload = files["data_file"]
    assert isinstance(upload, TooLargeUpload)
    assert upload.size > MB
    assert upload.read() == b""
    written = os.path.getsize(disk.file.temporary_file_path())
    # Parsers hand over 64 KB at a time: the disk got at most the cap plus one piece.
    assert written <= MB + 64 * 1024


def test_a_file_within_the_cap_arrives_whole(settings) -> None:
    files, _disk = _parse(b"7" * (MB // 2), MB, settings)
    assert files["data_file"].read() == b"7" * (MB // 2)


def test_the_import_page_refuses_a_file_cut_off_at_the_cap_with_its_usual_message(
    side_a, coordinator_a, settings
) -> None:
    """As when no length was declared: the body is under the request cap, the file past its own."""
    settings.MTSS_MAX_UPLOAD_BYTES = MB
    response = coordinator_a.post(
        reverse("score_import_list"),
        {"file_format": "generic", "data_file": SimpleUploadedFile("big.csv", b"a,b\n" * MB)},
    )
    assert response.status_code == 200
    assert "big.csv is larger than the 1 MB limit." in response.content.decode()
    assert not ImportBatch.objects.exists()


def _asgi_post(chunks: int, *, declared: int | None, settings) -> tuple[list[dict], int]:
    settings.MTSS_MAX_REQUEST_BYTES = 3 * MB
    handed = 0
    sent: list[dict] = []

    async def receive() -> dict:
        nonlocal handed
        handed += 1
        return {"type": "http.request", "body": b"0" * MB, "more_body": handed < chunks}

    async def send(message: dict) -> None:
        sent.append(message)

    headers = [(b"content-type", b"multipart/form-data; boundary=x")]
    if declared is not None:
        headers.append((b"content-length", str(declared).encode()))
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": reverse("score_import_list"),
        "raw_path": reverse("score_import_list").encode(),
        "query_string": b"",
        "headers": headers,
        "client": ("127.0.0.1", 5000),
        "server": ("127.0.0.1", 8000),
    }
    # A thread of its own: a browser test earlier in the run leaves Playwright's event loop
    # running in the main thread, where asyncio.run() refuses to start another.
    with ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(asyncio.run, asgi_application(scope, receive, send)).result()
    return sent, handed


def test_a_chunked_body_under_asgi_is_cut_off_where_it_passes_the_cap(settings) -> None:
    sent, handed = _asgi_post(200, declared=None, settings=settings)
    assert handed == 4
    assert sent[0]["status"] == 413
    assert b"That upload is too large" in sent[1]["body"]


def test_a_declared_body_past_the_cap_under_asgi_is_not_read_at_all(settings) -> None:
    sent, handed = _asgi_post(200, declared=200 * MB, settings=settings)
    assert handed == 0
    assert sent[0]["status"] == 413
