"""Hand-built XLSX files, part by part, for what no spreadsheet program would write."""

from __future__ import annotations

import io
import zipfile

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELATIONSHIPS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
CONTENT_TYPES = (
    '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    "</Types>"
)
PACKAGE_RELS = (
    '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    'officeDocument" Target="xl/workbook.xml"/></Relationships>'
)


def workbook(sheet_xml: str, *, sheet_target: str = "worksheets/sheet1.xml") -> bytes:
    """A one-sheet workbook whose sheet part is exactly `sheet_xml`."""
    book = (
        f'<?xml version="1.0"?><workbook xmlns="{MAIN}" xmlns:r="{RELATIONSHIPS}"><sheets>'
        '<sheet name="Scores" sheetId="1" r:id="rId1"/></sheets></workbook>'
    )
    book_rels = (
        '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
        f'relationships"><Relationship Id="rId1" Type="{RELATIONSHIPS}/worksheet" Target="{sheet_target}"/>'
        "</Relationships>"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("_rels/.rels", PACKAGE_RELS)
        archive.writestr("xl/workbook.xml", book)
        archive.writestr("xl/_rels/workbook.xml.rels", book_rels)
        archive.writestr(f"xl/{sheet_target}", sheet_xml)
    return buffer.getvalue()


def sheet(rows: str, *, dimension: str = "") -> str:
    tag = f'<dimension ref="{dimension}"/>' if dimension else ""
    return f'<?xml version="1.0"?><worksheet xmlns="{MAIN}">{tag}<sheetData>{rows}</sheetData></worksheet>'


def text_cell(ref: str, value: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{value}</t></is></c>'


HEADER = ("student id", "school", "grade", "subject", "window", "school year", "percentile")
ROW_2 = ("5001", "A Lakeside Elementary", "3", "reading", "fall", "2025-2026", "45")


def header_and_one_row() -> str:
    letters = "ABCDEFG"
    first = "".join(text_cell(f"{c}1", v) for c, v in zip(letters, HEADER, strict=True))
    second = "".join(text_cell(f"{c}2", v) for c, v in zip(letters, ROW_2, strict=True))
    return f'<row r="1">{first}</row><row r="2">{second}</row>'


def dimension_bomb() -> bytes:
    """About 1 KB: a real header and row, a tag claiming the whole grid, and one number in the
    grid's last cell. Readers that build the sheet as a table build 17 billion cells."""
    rows = header_and_one_row() + '<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>'
    return workbook(sheet(rows, dimension="A1:XFD1048576"))
