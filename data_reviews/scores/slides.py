"""The school and district dashboards as a PowerPoint deck ("Download as slides").

Every number comes from the dashboards' own builders (`dashboards.school_dashboard` and
`dashboards.district_dashboard`, called once per subject for the deck's window), and each chart
is drawn from the rows of the dashboard table it stands for (`slide_charts`), so a deck can never
say something its dashboard does not: the same triangle, summary, schools, trend and student
groups (groups under the minimum size already left out by the dashboard).

Only plain parts that PowerPoint, Keynote and Google Slides all read: title placeholders,
pictures with alternative text, text boxes. Each chart's numbers are on its slide's notes page as a
tab-separated table (Google Slides keeps speaker notes as text, so a real table there would be lost).
"""

from __future__ import annotations

import datetime
import io
import zoneinfo
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import slugify
from pptx import Presentation
from pptx.presentation import Presentation as PresentationType
from pptx.slide import Slide
from pptx.util import Emu, Inches, Pt

from data_reviews.scores import dashboards, slide_charts
from data_reviews.scores.analysis import MIN_GROUP_SIZE
from data_reviews.scores.dashboards import Table

# Schools per "side by side" slide: more and the names are too small to read from the back of a room.
SCHOOLS_PER_SLIDE = 15
SLIDE_WIDTH, SLIDE_HEIGHT = Inches(13.333), Inches(7.5)
MARGIN = Inches(0.5)
TITLE_HEIGHT = Inches(1.2)
BODY_TOP = MARGIN + TITLE_HEIGHT + Inches(0.1)
TITLE_ONLY_LAYOUT = 5
TITLE_LAYOUT = 0
NO_DATA = "No data for this yet."

Build = Callable[[str | None, str | None], dict[str, Any]]
# Told (subjects drawn, subjects in the deck, the subject being drawn) as the deck is drawn.
Progress = Callable[[int, int, str], None]


def _no_progress(_done: int, _total: int, _subject: str) -> None:
    return None


@dataclass(frozen=True)
class Deck:
    content: bytes
    file_name: str


def subject_contexts(build: Build, subject: str | None, period: str | None) -> list[dict[str, Any]]:
    """The dashboard of every subject tested in the deck's window, the asked-for subject's first.

    The window is the one the dashboard shows for the asked-for subject and period; a subject
    with no results in that window is left out rather than shown for another window.
    """
    first = build(subject, period)
    if first["period"] is None:
        return [first]
    contexts = [first]
    for other, _label in first["subjects"]:
        if other == first["subject"]:
            continue
        context = build(other, first["period_value"])
        if context["period_value"] == first["period_value"]:
            contexts.append(context)
    return contexts


def _cell(value: Any) -> str:
    return "" if value is None else str(value)


def notes_text(table: Table, rows: Sequence[Sequence[Any]] | None = None) -> str:
    """The table a chart is drawn from, as text: its caption, a header line, a line per row."""
    rows = table.rows if rows is None else rows
    lines = [table.caption]
    if rows:
        lines.append("\t".join(table.columns))
        lines += ["\t".join(_cell(value) for value in row) for row in rows]
    else:
        lines.append(NO_DATA)
    return "\n".join([*lines, *table.notes])


def _shares(row: Sequence[Any]) -> list[float | None]:
    """A dashboard table row's Tier 1, 2 and 3 percentages: always its last three cells."""
    return [None if value in ("", None) else float(value) for value in row[-3:]]


class _DeckWriter:
    def __init__(self, *, title: str) -> None:
        self.deck: PresentationType = Presentation()
        self.deck.slide_width, self.deck.slide_height = SLIDE_WIDTH, SLIDE_HEIGHT
        self.deck.core_properties.title = title

    def _slide(self, title: str) -> Slide:
        slide = self.deck.slides.add_slide(self.deck.slide_layouts[TITLE_ONLY_LAYOUT])
        # The template's placeholders are placed for 4:3; put the title across the wide slide.
        heading = slide.shapes.title
        heading.left, heading.top = MARGIN, MARGIN
        heading.width, heading.height = SLIDE_WIDTH - 2 * MARGIN, TITLE_HEIGHT
        heading.text = title
        for paragraph in heading.text_frame.paragraphs:
            paragraph.font.size = Pt(28)
        return slide

    def title_slide(self, title: str, lines: list[str]) -> None:
        slide = self.deck.slides.add_slide(self.deck.slide_layouts[TITLE_LAYOUT])
        heading, subtitle = slide.shapes.title, slide.placeholders[1]
        heading.left, heading.top = MARGIN, Inches(2.0)
        heading.width, heading.height = SLIDE_WIDTH - 2 * MARGIN, Inches(1.6)
        subtitle.left, subtitle.top = MARGIN, Inches(3.8)
        subtitle.width, subtitle.height = SLIDE_WIDTH - 2 * MARGIN, Inches(2.0)
        heading.text = title
        subtitle.text = "\n".join(lines)

    def _text(
        self, slide: Slide, text: str, *, left: int, top: int, width: int, height: int, size: int
    ) -> None:
        frame = slide.shapes.add_textbox(Emu(left), Emu(top), Emu(width), Emu(height)).text_frame
        frame.word_wrap = True
        for number, line in enumerate(text.split("\n")):
            paragraph = frame.paragraphs[0] if number == 0 else frame.add_paragraph()
            paragraph.text = line
            paragraph.font.size = Pt(size)
            paragraph.space_after = Pt(6)

    def _picture(
        self, slide: Slide, png: bytes, *, caption: str, left: int, top: int, width: int, height: int
    ) -> None:
        """The chart as large as fits the box, centered in it, with alternative text."""
        picture = slide.shapes.add_picture(io.BytesIO(png), Emu(left), Emu(top))
        scale = min(width / picture.width, height / picture.height)
        picture.width, picture.height = Emu(int(picture.width * scale)), Emu(int(picture.height * scale))
        picture.left = Emu(left + (width - picture.width) // 2)
        picture.name = f"Chart: {caption}"
        # python-pptx types this child element as the descriptor that finds it; it is the element.
        picture._element.nvPicPr.cNvPr.set(  # type: ignore[union-attr]
            "descr", f"Chart: {caption}. The notes of this slide have the same numbers as a table."
        )

    def _notes(self, slide: Slide, text: str) -> None:
        frame = slide.notes_slide.notes_text_frame
        if frame is not None:  # every notes slide has its body placeholder
            frame.text = text

    def chart_slide(
        self,
        *,
        title: str,
        table: Table,
        png: bytes | None,
        rows: Sequence[Sequence[Any]] | None = None,
        beside: str = "",
        below: Sequence[str] = (),
    ) -> None:
        """A chart with, beside it, a sentence to say (the summary) or, below it, what to know."""
        slide = self._slide(title)
        body_height = SLIDE_HEIGHT - BODY_TOP - MARGIN
        full_width = SLIDE_WIDTH - 2 * MARGIN
        if png is None:
            self._text(slide, NO_DATA, left=MARGIN, top=BODY_TOP, width=full_width, height=Inches(1), size=20)
        elif beside:
            chart_width = Inches(6.4)
            self._picture(
                slide, png, caption=title, left=MARGIN, top=BODY_TOP, width=chart_width, height=body_height
            )
            self._text(
                slide,
                beside,
                left=MARGIN + chart_width + Inches(0.3),
                top=BODY_TOP + Inches(0.4),
                width=full_width - chart_width - Inches(0.3),
                height=body_height - Inches(0.4),
                size=22,
            )
        else:
            below_height = Inches(0.35) * len(below)
            self._picture(
                slide,
                png,
                caption=title,
                left=MARGIN,
                top=BODY_TOP,
                width=full_width,
                height=body_height - below_height,
            )
            if below:
                self._text(
                    slide,
                    "\n".join(below),
                    left=MARGIN,
                    top=SLIDE_HEIGHT - MARGIN - below_height,
                    width=full_width,
                    height=below_height,
                    size=13,
                )
        self._notes(slide, notes_text(table, rows))

    def text_slide(self, title: str, text: str) -> None:
        slide = self._slide(title)
        self._text(
            slide, text, left=MARGIN, top=BODY_TOP, width=SLIDE_WIDTH - 2 * MARGIN, height=Inches(2), size=22
        )

    def content(self) -> bytes:
        buffer = io.BytesIO()
        self.deck.save(buffer)
        return buffer.getvalue()


def _prepared(made_at: datetime.datetime, tz: zoneinfo.ZoneInfo) -> str:
    return f"Prepared {date_format(timezone.localtime(made_at, tz), 'DATE_FORMAT')}"


def _triangle_slide(writer: _DeckWriter, context: dict[str, Any], table: Table) -> None:
    subject = context["subject_label"].capitalize()
    writer.chart_slide(
        title=f"{subject}, {context['period_label']}: tiers against the healthy triangle",
        table=table,
        png=slide_charts.triangle(table.rows),
        beside=context["summary"],
    )


def _trend_slide(writer: _DeckWriter, table: Table) -> None:
    png = slide_charts.columns([row[0] for row in table.rows], [_shares(row) for row in table.rows])
    writer.chart_slide(title=table.caption, table=table, png=png if table.rows else None, below=table.notes)


def _school_slides(writer: _DeckWriter, table: Table) -> None:
    chunks = [table.rows[n : n + SCHOOLS_PER_SLIDE] for n in range(0, len(table.rows), SCHOOLS_PER_SLIDE)]
    for number, rows in enumerate(chunks or [[]], 1):
        title = table.caption if len(chunks) <= 1 else f"{table.caption} ({number} of {len(chunks)})"
        png = slide_charts.schools([row[0] for row in rows], [_shares(row) for row in rows]) if rows else None
        writer.chart_slide(title=title, table=table, png=png, rows=rows)


def _group_slide(writer: _DeckWriter, context: dict[str, Any], table: Table) -> None:
    subject = context["subject_label"].capitalize()
    png = slide_charts.columns([row[0] for row in table.rows], [_shares(row) for row in table.rows])
    writer.chart_slide(
        title=f"{subject} by student group, {context['period_label']}",
        table=table,
        png=png if table.rows else None,
        below=[f"Groups under {context['min_group_size']} students are hidden, as on the dashboard."],
    )


def _tables(context: dict[str, Any]) -> dict[str, Table]:
    return {table.key: table for table in context["tables"]}


def _subjects_line(contexts: list[dict[str, Any]]) -> str:
    labels = [context["subject_label"] for context in contexts]
    listed = labels[0] if len(labels) == 1 else ", ".join(labels[:-1]) + " and " + labels[-1]
    return listed[0].upper() + listed[1:]


def _deck(
    *,
    place: str,
    above: list[str],
    contexts: list[dict[str, Any]],
    subject_slides: Callable[[_DeckWriter, dict[str, Any]], None],
    empty: str,
    made_at: datetime.datetime,
    tz: zoneinfo.ZoneInfo,
    progress: Progress,
) -> Deck:
    """A title slide (the place, `above`, window, subjects, date), then each subject's slides."""
    writer = _DeckWriter(title=f"{place}: screening results")
    if contexts[0]["period"] is None:
        writer.title_slide(place, [*above, "Screening results", _prepared(made_at, tz)])
        writer.text_slide("No screening results yet", empty)
        return Deck(writer.content(), f"{slugify(place)}-slides.pptx")
    period_label = contexts[0]["period_label"]
    writer.title_slide(
        place,
        [*above, f"Screening results, {period_label}", _subjects_line(contexts), _prepared(made_at, tz)],
    )
    for number, context in enumerate(contexts):
        progress(number, len(contexts), context["subject_label"])
        subject_slides(writer, context)
    return Deck(writer.content(), f"{slugify(f'{place} {period_label}')}-slides.pptx")


def district_deck(
    *,
    district_name: str,
    snapshot_rows: list[tuple],
    schools: dict[int, str],
    subject: str | None,
    period: str | None,
    sort: str | None,
    today: datetime.date,
    made_at: datetime.datetime,
    tz: zoneinfo.ZoneInfo,
    progress: Progress = _no_progress,
) -> Deck:
    """Title; then per subject the triangle and summary, the schools side by side, the trend.

    The district dashboard shows no student groups (a group too small to count at one school
    would silently drop out of a district total), so neither does its deck.
    """

    def build(subject_value: str | None, period_value: str | None) -> dict[str, Any]:
        return dashboards.district_dashboard(
            district_name=district_name,
            snapshot_rows=snapshot_rows,
            measure_rows=[],
            schools=schools,
            school_url=lambda _pk: "",
            subject=subject_value,
            period=period_value,
            sort=sort,
            today=today,
        )

    def subject_slides(writer: _DeckWriter, context: dict[str, Any]) -> None:
        tables = _tables(context)
        _triangle_slide(writer, context, tables["triangle"])
        _school_slides(writer, tables["schools"])
        _trend_slide(writer, tables["trend"])

    return _deck(
        place=district_name,
        above=[],
        contexts=subject_contexts(build, subject, period),
        subject_slides=subject_slides,
        empty="Import a screener file to fill the dashboards.",
        made_at=made_at,
        tz=tz,
        progress=progress,
    )


def school_deck(
    *,
    school_name: str,
    district_name: str,
    snapshot_rows: list[tuple],
    subject: str | None,
    period: str | None,
    today: datetime.date,
    made_at: datetime.datetime,
    tz: zoneinfo.ZoneInfo,
    min_group_size: int = MIN_GROUP_SIZE,
    progress: Progress = _no_progress,
) -> Deck:
    """Title; then per subject the triangle and summary, the trend and the student groups."""

    def build(subject_value: str | None, period_value: str | None) -> dict[str, Any]:
        return dashboards.school_dashboard(
            school_name=school_name,
            snapshot_rows=snapshot_rows,
            measure_rows=[],
            subject=subject_value,
            period=period_value,
            today=today,
            min_group_size=min_group_size,
        )

    def subject_slides(writer: _DeckWriter, context: dict[str, Any]) -> None:
        tables = _tables(context)
        _triangle_slide(writer, context, tables["triangle"])
        _trend_slide(writer, tables["trend"])
        _group_slide(writer, context, tables["groups"])

    return _deck(
        place=school_name,
        above=[district_name],
        contexts=subject_contexts(build, subject, period),
        subject_slides=subject_slides,
        empty="No screening results for this school yet.",
        made_at=made_at,
        tz=tz,
        progress=progress,
    )
