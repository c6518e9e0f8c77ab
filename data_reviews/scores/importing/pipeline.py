"""Reading screener exports into one tidy frame, checking every row before anything is written.

Frames in, frames out: nothing here touches the database. `preview()` is the whole pipeline:
refuse unsafe uploads (once: an upload already checked is not checked again), read CSV or XLSX,
then hand the table to the pipeline its format names, which picks the columns, checks and
converts every value, matches schools and keeps one result per student, subject and window.
Row numbers in problems are the spreadsheet's own (the header is row 1).
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from typing import Any

import pandas as pd

from data_reviews.scores.importing.files import Upload, checked
from data_reviews.scores.importing.formats import format_for
from data_reviews.scores.importing.measures import measure_preview
from data_reviews.scores.importing.normalise import SchoolIndex
from data_reviews.scores.importing.reading import ROW, header_key, read_table
from data_reviews.scores.importing.result import Preview
from data_reviews.scores.importing.scores import score_preview
from data_reviews.screening_calendar import SchoolCalendar

# Each kind of file's check of its rows, named by its formats' `pipeline`.
PIPELINES: dict[str, Callable[..., Preview]] = {"scores": score_preview, "measures": measure_preview}
# Told each stage as it starts: (percent done, what is happening).
Report = Callable[[int, str], None]


def preview(
    uploads: list[Upload],
    *,
    file_format: str,
    schools: SchoolIndex,
    mapping: Mapping[str, str] | None = None,
    max_bytes: int,
    rules: list[Any] | None = None,
    calendar: SchoolCalendar | None = None,
    report: Report | None = None,
    roster: Collection[str] | None = None,
) -> Preview:
    """Read and check the uploaded file(s); raise UploadRefused for files that cannot be opened.

    `calendar` is the district's school year start and screening windows, which place a test date
    in its window and school year (None: the usual rule). `roster` is the student ids the
    district's roster lists (None: it has none); the preview counts the results for students not
    on it (they import all the same)."""
    tell = report or (lambda _progress, _stage: None)
    uploads = [checked(u, max_bytes=max_bytes) for u in uploads]
    tables = [read_table(u) for u in uploads]
    tell(30, "Checking every row")
    fmt = format_for(file_format)
    table = _with_roster(tables) if len(tables) > 1 else tables[0]
    result = PIPELINES[fmt.pipeline](
        table,
        fmt=fmt,
        schools=schools,
        mapping=mapping,
        file_name=uploads[0].name,
        rules=rules,
        calendar=calendar,
    )
    result.file_kinds = [u.kind for u in uploads]
    if roster is not None and result.kind == "scores":
        ids = result.frame["student_id"] if not result.frame.empty else pd.Series(dtype="object")
        result.not_on_roster = int((~ids.isin(roster)).sum())
    return result


def _with_roster(tables: list[pd.DataFrame]) -> pd.DataFrame:
    """NWEA's results file and its StudentsBySchool roster, in either order (the roster has no
    test score column)."""
    table, roster = tables[0], tables[1]
    if any(header_key(c) == "testritscore" for c in tables[1].columns):
        table, roster = tables[1], tables[0]
    return _attach_roster(table, roster)


def _attach_roster(frame: pd.DataFrame, roster: pd.DataFrame) -> pd.DataFrame:
    """NWEA: take grade and demographics from StudentsBySchool by student id (and term)."""
    keys = {header_key(c): c for c in roster.columns}
    sid = keys.get("studentid")
    if sid is None:
        return frame
    roster = roster.rename(columns={sid: "_sid"})
    join = ["_sid"]
    term = keys.get("termname")
    frame_term = next((c for c in frame.columns if header_key(c) == "termname"), None)
    if term and frame_term:
        roster = roster.rename(columns={term: "_term"})
        frame = frame.assign(_term=frame[frame_term])
        join.append("_term")
    roster = roster.drop(columns=[ROW]).drop_duplicates(join, keep="last")
    frame_sid = next(c for c in frame.columns if header_key(c) == "studentid")
    frame = frame.assign(_sid=frame[frame_sid])
    keep = [
        c for c in roster.columns if c in join or header_key(c) not in {header_key(x) for x in frame.columns}
    ]
    merged = frame.merge(roster[keep], on=join, how="left").fillna("")
    return merged.drop(columns=[c for c in ("_sid", "_term") if c in merged.columns])
