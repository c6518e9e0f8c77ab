"""Checks on files uploaded to the practice library (docs/quality.md S7).

The size is checked before anything is read, and the content must match the extension: a
renamed executable or a zip bomb is refused with a plain message.
"""

from __future__ import annotations

from pathlib import PurePath

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile

from mtss import workbooks

MAX_PRACTICE_FILE_BYTES = 10 * 1024 * 1024
MAX_UNZIPPED_BYTES = 100 * 1024 * 1024

OFFICE_PARTS = {".docx": "word/", ".xlsx": "xl/", ".pptx": "ppt/"}
CONTENT_TYPES = {
    ".pdf": "application/pdf",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".txt": "text/plain",
}
ALLOWED_WORDS = "PDF, Word, Excel, PowerPoint, PNG, JPEG or plain text"


def checked_content_type(upload: UploadedFile) -> str:
    """Return the content type to serve the file with, or raise ValidationError saying why not."""
    if upload.size is not None and upload.size > MAX_PRACTICE_FILE_BYTES:
        raise ValidationError(
            f"“{upload.name}” is {upload.size / 1024 / 1024:.1f} MB; files can be at most "
            f"{MAX_PRACTICE_FILE_BYTES // 1024 // 1024} MB. Link to large files instead."
        )
    if not upload.size:
        raise ValidationError(f"“{upload.name}” is empty.")
    extension = PurePath(upload.name or "").suffix.lower()
    if extension not in CONTENT_TYPES:
        raise ValidationError(f"“{upload.name}” is not a file type the library keeps: use {ALLOWED_WORDS}.")
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    if not _content_matches(upload, extension, head):
        raise ValidationError(
            f"“{upload.name}” does not contain what its name says ({extension}). Save it again from the "
            "program that made it, or upload a PDF."
        )
    upload.seek(0)
    return CONTENT_TYPES[extension]


def _content_matches(upload: UploadedFile, extension: str, head: bytes) -> bool:
    if extension == ".pdf":
        return head.startswith(b"%PDF-")
    if extension == ".png":
        return head == b"\x89PNG\r\n\x1a\n"
    if extension in {".jpg", ".jpeg"}:
        return head.startswith(b"\xff\xd8\xff")
    if extension == ".txt":
        data = upload.read()
        if b"\x00" in data:
            return False
        try:
            data.decode("utf-8")
        except UnicodeDecodeError:
            return False
        return True
    return _office_file_is_sound(upload, OFFICE_PARTS[extension])


def _office_file_is_sound(upload: UploadedFile, part: str) -> bool:
    # The same archive bounds as screener workbooks (members, unpacked size, packing ratio).
    try:
        infos = workbooks.archive_members(upload, max_unzipped_bytes=MAX_UNZIPPED_BYTES)
    except workbooks.ArchiveRefused:
        return False
    return any(info.filename.startswith(part) for info in infos)
