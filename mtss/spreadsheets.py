"""The one CSV and XLSX writer, and its rule for cells, every download shares (docs/quality.md S9)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from datetime import date, time
from decimal import Decimal
from typing import IO, Any

# A spreadsheet runs text starting with one of these as a formula. The full-width equals, plus,
# minus and at signs (U+FF1D, U+FF0B, U+FF0D, U+FF20) count too: spreadsheets set up for East Asian
# input read them as the ASCII signs.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")


def neutralise(value: Any) -> Any:
    """Text a spreadsheet would run as a formula gets a leading apostrophe; numbers stay numbers."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def safe_cell(value: object) -> str:
    """A cell as text that a spreadsheet cannot run as a formula."""
    return neutralise("" if value is None else str(value))


def _cell(value: object) -> object:
    """Numbers, dates and empty cells stay as they are; anything else becomes safe text."""
    if value is None or isinstance(value, int | float | Decimal | date | time):
        return value
    return safe_cell(value)


def _write_csv_rows(text: IO[str], rows: Iterable[Iterable[object]]) -> None:
    writer = csv.writer(text)
    for row in rows:
        writer.writerow([_cell(value) for value in row])


def csv_text(rows: Iterable[Iterable[object]], *, byte_order_mark: bool = False) -> str:
    """Rows as CSV text; with `byte_order_mark` Excel reads it as UTF-8."""
    buffer = io.StringIO()
    _write_csv_rows(buffer, rows)
    return ("\ufeff" if byte_order_mark else "") + buffer.getvalue()


def csv_write(stream: IO[bytes], rows: Iterable[Iterable[object]], *, byte_order_mark: bool = False) -> None:
    """Rows as UTF-8 CSV written to a binary stream (a zip member, a file) one row at a time, so
    a file larger than memory can be written; the stream stays open for the caller."""
    text = io.TextIOWrapper(stream, encoding="utf-8-sig" if byte_order_mark else "utf-8", newline="")
    _write_csv_rows(text, rows)
    text.flush()
    # Detached, the wrapper leaves the caller's stream open when it is collected.
    text.detach()


def xlsx_bytes(rows: Iterable[Iterable[object]]) -> bytes:
    """Rows as a one-sheet workbook."""
    import openpyxl

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append([_cell(value) for value in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
