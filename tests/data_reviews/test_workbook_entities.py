"""A real workbook whose sheet declares XML entities is refused for that reason, used or not."""

from __future__ import annotations

import io
import zipfile

import openpyxl
import pytest

from data_reviews.scores.importing import SchoolIndex, Upload, UploadRefused, check_upload, preview

LIMIT = 5 * 1024 * 1024
SCHOOLS = SchoolIndex([(1, "A Lakeside Elementary", "A01")])
SHEET = "xl/worksheets/sheet1.xml"
ENTITIES = '<!DOCTYPE worksheet [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>'
REASON = "its XML declares entities"


def _workbook() -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["student id", "school", "grade", "subject", "window", "school year", "percentile"])
    sheet.append(["5001", "A01", "3", "Reading", "Fall", "2025-2026", 50])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _with_entities(data: bytes, *, used: bool) -> bytes:
    """The same workbook, its sheet's XML opened with a DTD declaring entities (and a cell using one)."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == SHEET:
                xml = content.decode()
                body = xml[xml.index("<worksheet") :]
                if used:
                    body = body.replace("<v>50</v>", "<v>&b;</v>")
                    assert "&b;" in body
                content = ('<?xml version="1.0" encoding="UTF-8"?>' + ENTITIES + body).encode()
            archive.writestr(info, content)
    return out.getvalue()


def test_the_plain_workbook_is_read() -> None:
    data = _workbook()
    assert check_upload(Upload("scores.xlsx", data), max_bytes=LIMIT) == "xlsx"
    result = preview([Upload("scores.xlsx", data)], file_format="generic", schools=SCHOOLS, max_bytes=LIMIT)
    assert result.ok
    assert result.frame.iloc[0]["student_id"] == "5001"


@pytest.mark.parametrize("used", [False, True], ids=["declared-only", "used-in-a-cell"])
def test_a_sheet_declaring_xml_entities_is_refused_naming_the_reason(used: bool) -> None:
    data = _with_entities(_workbook(), used=used)
    with pytest.raises(UploadRefused, match=REASON):
        check_upload(Upload("scores.xlsx", data), max_bytes=LIMIT)
    with pytest.raises(UploadRefused, match=REASON):
        preview([Upload("scores.xlsx", data)], file_format="generic", schools=SCHOOLS, max_bytes=LIMIT)
