"""CSV and XLSX downloads of dashboard tables, safe to open in a spreadsheet (S9)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.http import HttpResponse

from mtss.spreadsheets import csv_text, xlsx_bytes


def _file_name(name: str, extension: str) -> str:
    safe = "".join(c if c.isalnum() or c in "-_" else "-" for c in name).strip("-") or "table"
    return f"{safe[:80]}.{extension}"


def table_response(
    *, name: str, columns: Sequence[str], rows: Sequence[Sequence[Any]], kind: str
) -> HttpResponse:
    table = [columns, *rows]
    if kind == "xlsx":
        response = HttpResponse(
            xlsx_bytes(table),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = f'attachment; filename="{_file_name(name, "xlsx")}"'
        return response
    response = HttpResponse(csv_text(table, byte_order_mark=True), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_file_name(name, "csv")}"'
    return response
