"""The one Word-document (.docx, python-docx) builder every download shares."""

from __future__ import annotations

import io
from collections.abc import Iterable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from docx.document import Document


def new_document(title: str, *, level: int = 1) -> Document:
    """A Word document that starts with its title as a heading (level 0 is Word's Title style)."""
    from docx import Document as make_document

    document = make_document()
    document.add_heading(title, level=level)
    return document


def facts_table(document: Document, facts: Iterable[tuple[str, str]], *, grid: bool = False) -> None:
    """Label and value pairs as a two-column table, ruled when `grid`."""
    table = document.add_table(rows=0, cols=2)
    if grid:
        table.style = "Table Grid"
    for label, value in facts:
        cells = table.add_row().cells
        cells[0].text, cells[1].text = label, value


def rows_table(document: Document, headers: list[str], rows: Iterable[Iterable[object]]) -> None:
    """A ruled table with a header row; an empty cell for None."""
    table = document.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    for cell, header in zip(table.rows[0].cells, headers, strict=True):
        cell.text = header
    for row in rows:
        for cell, value in zip(table.add_row().cells, row, strict=True):
            cell.text = "" if value is None else str(value)


def bullets(document: Document, lines: Iterable[str], *, empty: str) -> None:
    """A bulleted list, or the `empty` sentence when there is nothing to list."""
    shown = False
    for line in lines:
        document.add_paragraph(line, style="List Bullet")
        shown = True
    if not shown:
        document.add_paragraph(empty)


def document_bytes(document: Document) -> bytes:
    """The document as the bytes of a .docx file."""
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
