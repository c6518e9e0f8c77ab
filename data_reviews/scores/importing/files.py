"""Refusing unsafe files before anything reads them: size, type, zip and sheet bounds.

`check_upload` is the one check of a file; an `Upload` it has passed carries its kind, so the
steps after it (storing, checking, importing) never check the same bytes again.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from dataclasses import dataclass

from mtss import workbooks

MAX_XLSX_UNCOMPRESSED_BYTES = 200 * 1024 * 1024


class UploadRefused(Exception):
    """The file was refused before reading; the message says why and what to do."""


@dataclass
class Upload:
    name: str
    data: bytes
    # "csv" or "xlsx" once check_upload has passed the file; "" before.
    kind: str = ""


def checked(upload: Upload, *, max_bytes: int) -> Upload:
    """The upload, checked (once: an upload that carries its kind has been)."""
    if upload.kind:
        return upload
    return Upload(upload.name, upload.data, check_upload(upload, max_bytes=max_bytes))


def check_upload(upload: Upload, *, max_bytes: int) -> str:
    """Return "csv" or "xlsx" after the size, type and zip checks; raise UploadRefused otherwise."""
    size = len(upload.data)
    if size > max_bytes:
        raise UploadRefused(
            f"{upload.name} is {size / 1_048_576:.1f} MB; the limit is {max_bytes / 1_048_576:.0f} MB. "
            "Split the file by school or window and import the parts."
        )
    if size == 0:
        raise UploadRefused(f"{upload.name} is empty. Export the file again and upload it.")
    extension = upload.name.rsplit(".", 1)[-1].casefold() if "." in upload.name else ""
    is_zip = upload.data[:4] == b"PK\x03\x04"
    if extension in {"xlsx", "xlsm"}:
        if not is_zip:
            raise UploadRefused(f"{upload.name} is named .xlsx but is not an Excel workbook.")
        _check_zip(upload)
        return "xlsx"
    if extension in {"csv", "txt", "tsv"}:
        if is_zip or (b"\x00" in upload.data[:4096] and not _is_utf16(upload)):
            raise UploadRefused(f"{upload.name} is named .{extension} but is not a text file.")
        _check_text_extent(upload)
        return "csv"
    raise UploadRefused(f"{upload.name}: only CSV and XLSX (Excel) files can be imported.")


def _is_utf16(upload: Upload) -> bool:
    return upload.data[:2] in {codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE}


def _check_zip(upload: Upload) -> None:
    try:
        workbooks.archive_members(io.BytesIO(upload.data), max_unzipped_bytes=MAX_XLSX_UNCOMPRESSED_BYTES)
        extents = workbooks.worksheet_extents(io.BytesIO(upload.data))
    except workbooks.ArchiveRefused as refusal:
        reason = str(refusal)
        if reason == "too big unpacked":
            raise UploadRefused(
                f"{upload.name} unpacks to far more data than a screener export holds; it was not opened. "
                "Save it again from the vendor's site or as CSV."
            ) from refusal
        if reason == "xml entities":
            raise UploadRefused(
                f"{upload.name} is damaged and cannot be opened as a workbook: its XML declares entities, "
                "which Excel never writes, so it could not be read as an Excel workbook. Open it in Excel "
                "and save it again, or save it as CSV."
            ) from refusal
        if reason == "not an Office file":
            raise UploadRefused(f"{upload.name} is a zip archive, not an Excel workbook.") from refusal
        raise UploadRefused(
            f"{upload.name} is damaged and cannot be opened as a workbook. "
            "Open it in Excel and save it again, or save it as CSV."
        ) from refusal
    for extent in extents:
        if not extent.within_bounds:
            # The sheet's real extent, counted from its cells: the reader would build all of it.
            last = f"{_column_letters(extent.columns)}{extent.rows}"
            raise UploadRefused(
                f"{upload.name} has cells as far as {last} ({extent.rows:,} rows by {extent.columns:,} "
                f"columns); an import reads at most {workbooks.MAX_SHEET_ROWS:,} rows, "
                f"{workbooks.MAX_SHEET_COLUMNS} columns and {workbooks.MAX_SHEET_CELLS:,} cells, so it was "
                "not opened. Delete the rows and columns past your data (or save the sheet as CSV) and "
                "upload it again."
            )


def _column_letters(number: int) -> str:
    letters = ""
    while number > 0:
        number, remainder = divmod(number - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters or "A"


_LINE_END = re.compile(r"\r\n|\r|\n")


def _check_text_extent(upload: Upload) -> None:
    """Count the header's columns and the lines before any parser sees the body: a parser builds
    every line as wide as the header, so a wide header or millions of short lines cost gigabytes."""
    text = decode_text(upload.data)
    delimiter = delimiter_of(text)
    first = re.search(rf"[^\s{re.escape(delimiter)}]", text)
    if first is None:
        return
    # Files from old spreadsheets end their lines with a bare carriage return: count those as
    # line ends too, or a file of them would read as one line and pass every bound.
    start = max(text.rfind("\n", 0, first.start()), text.rfind("\r", 0, first.start())) + 1
    end = _LINE_END.search(text, first.start())
    header = text[start : end.start() if end else len(text)]
    columns = len(next(csv.reader([header], delimiter=delimiter), []))
    line_ends = text.count("\n", start) + text.count("\r", start) - text.count("\r\n", start)
    lines = line_ends + (not text.endswith(("\n", "\r")))
    if columns > workbooks.MAX_SHEET_COLUMNS:
        raise UploadRefused(
            f"{upload.name} has {columns:,} columns; an import reads at most "
            f"{workbooks.MAX_SHEET_COLUMNS}, more than any screener export has. Export only the columns "
            "you need (or delete the empty ones) and upload it again."
        )
    if lines > workbooks.MAX_SHEET_ROWS or lines * columns > workbooks.MAX_SHEET_CELLS:
        raise UploadRefused(
            f"{upload.name} has {lines:,} lines of {columns:,} columns; an import checks at most "
            f"{workbooks.MAX_SHEET_ROWS:,} lines and {workbooks.MAX_SHEET_CELLS:,} cells at once. "
            "Split it by school or window and import the parts."
        )


def decode_text(data: bytes) -> str:
    """UTF-8 with or without BOM, UTF-16 with BOM, else Latin-1 (Windows-1252) as exports often are."""
    if data.startswith(codecs.BOM_UTF8):
        return data[len(codecs.BOM_UTF8) :].decode("utf-8", errors="replace")
    if data[:2] in {codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE}:
        return data.decode("utf-16", errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def delimiter_of(text: str) -> str:
    sample = text[:4096]
    return "\t" if sample.count("\t") > sample.count(",") else ","
