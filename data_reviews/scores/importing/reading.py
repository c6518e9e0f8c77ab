"""Reading a checked CSV or XLSX file into a frame of text cells, with the spreadsheet's row numbers."""

from __future__ import annotations

import csv
import io
import re
from collections import Counter
from datetime import date, datetime
from typing import Any

import numpy as np
import pandas as pd
import python_calamine

from data_reviews.scores.importing.files import Upload, UploadRefused, decode_text, delimiter_of

ROW = "_row"


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def read_table(upload: Upload, kind: str = "") -> pd.DataFrame:
    """Every cell as text, blank lines dropped, `_row` holding the spreadsheet row number."""
    if (kind or upload.kind) == "xlsx":
        # check_upload has bounded the sheet from its cells, so the reader cannot be made to build
        # more than MAX_SHEET_CELLS; it expands no XML entity (an entity is an error).
        try:
            workbook = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(upload.data))
            try:
                values = workbook.get_sheet_by_index(0).to_python(skip_empty_area=False)
            finally:
                workbook.close()
            rows = [[_cell_text(v) for v in row] for row in values]
        except Exception as error:
            raise UploadRefused(
                f"{upload.name} could not be read as an Excel workbook ({type(error).__name__}). "
                "Open it in Excel and save it again, or save it as CSV."
            ) from error
    else:
        text = decode_text(upload.data)
        delimiter = delimiter_of(text)
        fast = _read_csv_fast(text, delimiter)
        if fast is not None:
            return fast
        rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    # The header is the first non-blank line.
    start = next((i for i, row in enumerate(rows) if any(c.strip() for c in row)), None)
    if start is None:
        return pd.DataFrame({ROW: pd.Series(dtype="int64")})
    header = _unique_headers(rows[start])
    width = len(header)
    body = []
    numbers = []
    for offset, row in enumerate(rows[start + 1 :], start=start + 2):
        if not any(c.strip() for c in row):
            continue
        body.append((row + [""] * width)[:width])
        numbers.append(offset)
    frame = pd.DataFrame(body, columns=header, dtype="object") if body else pd.DataFrame(columns=header)
    frame = frame.astype("object").fillna("")
    frame[ROW] = pd.Series(numbers, dtype="int64")
    return frame


def _read_csv_fast(text: str, delimiter: str) -> pd.DataFrame | None:
    """pandas' C parser for well-formed files; None sends ragged or quoted-newline files to csv."""
    lines = text.splitlines()
    start = next((i for i, line in enumerate(lines) if line.strip(delimiter + " \t\r\n")), None)
    if start is None or ('"' in text and "\n" in "".join(re.findall(r'"[^"]*"', text))):
        return None
    try:
        frame = pd.read_csv(
            io.StringIO(text),
            sep=delimiter,
            dtype=str,
            keep_default_na=False,
            skip_blank_lines=False,
            skiprows=start,
            header=0,
            engine="c",
        )
    except (pd.errors.ParserError, pd.errors.EmptyDataError, ValueError):
        return None
    frame.columns = _unique_headers(
        [str(c) if not str(c).startswith("Unnamed: ") else "" for c in frame.columns]
    )
    frame = frame.astype("object").fillna("")
    numbers = pd.Series(np.arange(len(frame), dtype="int64") + start + 2, index=frame.index)
    blank = (frame.apply(lambda column: column.str.strip() == "")).all(axis=1) if len(frame.columns) else None
    frame[ROW] = numbers
    if blank is not None:
        frame = frame[~blank].reset_index(drop=True)
    return frame


def _unique_headers(row: list[str]) -> list[str]:
    seen: Counter[str] = Counter()
    headers = []
    for index, cell in enumerate(row):
        name = cell.strip().lstrip("\ufeff") or f"Column {index + 1}"
        seen[name] += 1
        headers.append(name if seen[name] == 1 else f"{name} ({seen[name]})")
    return headers


def header_key(name: str) -> str:
    return re.sub(r"[^a-z0-9]", "", name.casefold())
