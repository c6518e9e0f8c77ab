"""CSV and XLSX downloads of dashboard tables, safe to open in a spreadsheet (S9)."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from typing import Any

import openpyxl
from django.http import HttpResponse

from mtss.spreadsheets import neutralise


def _file_name(name: str, extension: str) -> str:
    safe = "".join(c if c.isalnum() or c in "-_" else "-" for c in name).strip("-") or "table"
    return f"{safe[:80]}.{extension}"


def table_response(
    *, name: str, columns: Sequence[str], rows: Sequence[Sequence[Any]], kind: str
) -> HttpResponse:
    header = [neutralise(c) for c in columns]
    body = [[neutralise(v) for v in row] for row in rows]
    if kind == "xlsx":
        workbook = openpyxl.Workbook()
        sheet = workbook.active
        sheet.append(header)
        for row in body:
            sheet.append(row)
        buffer = io.BytesIO()
        workbook.save(buffer)
        response = HttpResponse(
            buffer.getvalue(),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = f'attachment; filename="{_file_name(name, "xlsx")}"'
        return response
    text = io.StringIO()
    writer = csv.writer(text)
    writer.writerow(header)
    writer.writerows(body)
    response = HttpResponse("\ufeff" + text.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_file_name(name, "csv")}"'
    return response
