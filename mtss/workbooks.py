"""Bounds on Office files (zip archives of XML parts), checked before any reader opens them.

What a reader builds in memory follows what the parts inside declare, not the file's size: a 5 KB
sheet with one cell in A1 and one in XFD1048576 becomes a grid of 17 billion cells, and the
process that tries to build it is killed. So the archive's directory is checked first (members,
unpacked size, packing ratio), then every worksheet's XML is streamed once, counting its real
rows, columns and cells; its `<dimension>` tag is never trusted. Screener imports and the
practice library share these bounds.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO

from defusedxml import ElementTree as SafeTree
from defusedxml.common import DefusedXmlException

# A workbook, document or deck has tens of parts; thousands mean something else.
MAX_ZIP_MEMBERS = 2000
# Office XML packs about 5-20 to 1; far more is a zip bomb.
MAX_ZIP_RATIO = 100
# The biggest sheet any reader here builds: more columns than any real export has (the widest,
# NWEA MAP's combined data file, has under 200), fewer rows than Excel's own limit.
MAX_SHEET_ROWS = 1_000_000
MAX_SHEET_COLUMNS = 500
MAX_SHEET_CELLS = 10_000_000
SCAN_CHUNK_BYTES = 1024 * 1024
# The list of a workbook's sheets is a few KB; a bigger one is not read.
MAX_RELATIONSHIPS_BYTES = 1024 * 1024

WORKSHEET_RELATIONSHIP = "/worksheet"
# A cell tag with its reference, e.g. <c r="AB12" s="3" t="s">; a prefix like <x:c> is allowed.
_CELL_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?c[\s/>]")
_CELL_REF = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?c\s[^>]*?(?<=\s)r\s*=\s*[\"']([A-Z]{1,3})([0-9]{1,7})[\"']")
_REF = re.compile(r"([A-Za-z]{1,3})([0-9]{1,7})")
# Excel never declares XML entities; a sheet that does is refused, whether or not a cell uses them.
_ENTITY_DECLARATION = re.compile(rb"<!ENTITY", re.IGNORECASE)


class ArchiveRefused(Exception):
    """The zip archive is damaged, not an Office file, unpacks to far too much, or a sheet declares
    XML entities."""


@dataclass(frozen=True)
class SheetExtent:
    """How big a worksheet really is: its last row and column (from A1) and its cell count."""

    part: str
    rows: int
    columns: int
    cells: int

    @property
    def grid(self) -> int:
        """The cells a reader fills in when it builds the sheet as a table from A1."""
        return self.rows * self.columns

    @property
    def within_bounds(self) -> bool:
        return (
            self.rows <= MAX_SHEET_ROWS and self.columns <= MAX_SHEET_COLUMNS and self.grid <= MAX_SHEET_CELLS
        )


def archive_members(source: IO[bytes], *, max_unzipped_bytes: int) -> list[zipfile.ZipInfo]:
    """The archive's members after the directory checks; raise ArchiveRefused otherwise."""
    try:
        with zipfile.ZipFile(source) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        raise ArchiveRefused("damaged") from error
    unzipped = sum(info.file_size for info in infos)
    zipped = sum(info.compress_size for info in infos) or 1
    if len(infos) > MAX_ZIP_MEMBERS or unzipped > max_unzipped_bytes or unzipped / zipped > MAX_ZIP_RATIO:
        raise ArchiveRefused("too big unpacked")
    if not any(info.filename == "[Content_Types].xml" for info in infos):
        raise ArchiveRefused("not an Office file")
    return infos


def worksheet_extents(source: IO[bytes]) -> list[SheetExtent]:
    """Stream every worksheet of a workbook that passed `archive_members`, stopping at the first
    one past the bounds (its extent is then a lower bound, enough to refuse it)."""
    extents = []
    try:
        with zipfile.ZipFile(source) as archive:
            for part in _worksheet_parts(archive):
                with archive.open(part) as stream:
                    extent = _scan_fast(part, stream)
                if extent is None:
                    with archive.open(part) as stream:
                        extent = _scan_exact(part, stream)
                extents.append(extent)
                if not extent.within_bounds:
                    break
    except (zipfile.BadZipFile, OSError, EOFError, ValueError) as error:
        raise ArchiveRefused("damaged") from error
    return extents


def _worksheet_parts(archive: zipfile.ZipFile) -> list[str]:
    """The sheets a reader may open: those the workbook's relationships name, and any part stored
    under xl/worksheets/ (so a relationship pointing elsewhere cannot hide one)."""
    names = {info.filename for info in archive.infolist()}
    parts = {n for n in names if n.lower().startswith("xl/worksheets/") and n.lower().endswith(".xml")}
    rels = "xl/_rels/workbook.xml.rels"
    if rels in names and archive.getinfo(rels).file_size <= MAX_RELATIONSHIPS_BYTES:
        try:
            root = SafeTree.fromstring(archive.read(rels))
        except (SafeTree.ParseError, DefusedXmlException) as error:
            raise ArchiveRefused("damaged") from error
        for relationship in root:
            if relationship.get("Type", "").endswith(WORKSHEET_RELATIONSHIP):
                target = relationship.get("Target", "")
                path = target.lstrip("/") if target.startswith("/") else posixpath.join("xl", target)
                path = posixpath.normpath(path)
                if path in names:
                    parts.add(path)
    elif rels in names:
        raise ArchiveRefused("damaged")
    return sorted(parts)


def _chunks(stream: IO[bytes]) -> Iterator[bytes]:
    """The part's bytes in pieces that each end just after a '>', so no tag is cut in two."""
    rest = b""
    while True:
        block = stream.read(SCAN_CHUNK_BYTES)
        if not block:
            if rest:
                yield rest
            return
        data = rest + block
        end = data.rfind(b">") + 1
        if end == 0:
            rest = data
            continue
        yield data[:end]
        rest = data[end:]


def _column_number(letters: str) -> int:
    number = 0
    for letter in letters.upper():
        number = number * 26 + ord(letter) - 64
    return number


def _scan_fast(part: str, stream: IO[bytes]) -> SheetExtent | None:
    """Regular expressions over the raw XML, for sheets whose every cell carries its reference
    (what Excel and every export tool write). None when a cell has none: then the exact scan."""
    rows = columns = cells = 0
    for chunk in _chunks(stream):
        if _ENTITY_DECLARATION.search(chunk):
            raise ArchiveRefused("xml entities")
        found = len(_CELL_TAG.findall(chunk))
        refs = _CELL_REF.findall(chunk)
        if len(refs) != found:
            return None
        if not refs:
            continue
        cells += found
        columns = max(columns, *(_column_number(c.decode()) for c in {c for c, _ in refs}))
        rows = max(rows, *(int(r) for r in {r for _, r in refs}))
        extent = SheetExtent(part, rows, columns, cells)
        if not extent.within_bounds:
            return extent
    return SheetExtent(part, rows, columns, cells)


def _scan_exact(part: str, stream: IO[bytes]) -> SheetExtent:
    """An XML parser (entities and DTDs refused), following the rules readers use for rows and
    cells without a reference: each is one past the one before."""
    rows = columns = cells = 0
    row = column = 0
    sheet_data = None
    try:
        for event, element in SafeTree.iterparse(stream, events=("start", "end")):
            name = element.tag.rsplit("}", 1)[-1]
            if event == "end":
                if name == "row" and sheet_data is not None:
                    # Drop each row once counted so memory stays flat however long the sheet is.
                    sheet_data.remove(element)
                continue
            if name == "sheetData":
                sheet_data = element
            elif name == "row":
                row = int(element.get("r") or row + 1)
                column = 0
            elif name == "c":
                ref = element.get("r")
                if ref:
                    match = _REF.fullmatch(ref)
                    if match is None:
                        raise ArchiveRefused("damaged")
                    column, row = _column_number(match[1]), int(match[2])
                else:
                    column += 1
                cells += 1
                rows, columns = max(rows, row), max(columns, column)
                if not SheetExtent(part, rows, columns, cells).within_bounds:
                    break
    except (SafeTree.ParseError, DefusedXmlException, ValueError) as error:
        raise ArchiveRefused("damaged") from error
    return SheetExtent(part, rows, columns, cells)
