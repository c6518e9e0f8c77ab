"""Markdown rendering (sanitised), section-by-section diffs and the .docx export."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

import markdown
import nh3
from django.utils.safestring import SafeString, mark_safe

from mtss.documents import document_bytes, new_document

ALLOWED_TAGS = {
    "p", "br", "hr", "strong", "em", "b", "i", "ul", "ol", "li", "blockquote", "code", "pre",
    "h3", "h4", "h5", "h6", "table", "thead", "tbody", "tr", "th", "td", "a",
}  # fmt: skip


def render_markdown(text: str) -> SafeString:
    """Markdown to HTML, then sanitised: no script, style or event attribute survives."""
    html = markdown.markdown(text or "", extensions=["sane_lists", "tables"], output_format="html")
    clean = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes={"a": {"href", "title"}, "th": {"align"}, "td": {"align"}},
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
    )
    return mark_safe(clean)  # noqa: S308 - sanitised by nh3 just above


def rendered_sections(sections: list[dict[str, str]], texts: dict[str, str]) -> list[dict[str, object]]:
    return [
        {
            **section,
            "text": texts.get(section["key"], ""),
            "html": render_markdown(texts.get(section["key"], "")),
        }
        for section in sections
    ]


@dataclass(frozen=True)
class Piece:
    op: str  # "same", "added" or "removed"
    text: str


@dataclass(frozen=True)
class SectionDiff:
    key: str
    heading: str
    changed: bool
    pieces: list[Piece]
    old_lines: list[tuple[str, str]]  # (op, line) for the side-by-side view
    new_lines: list[tuple[str, str]]


_TOKEN = re.compile(r"\s+|[^\s]+")


def _inline(old: str, new: str) -> list[Piece]:
    a, b = _TOKEN.findall(old), _TOKEN.findall(new)
    pieces: list[Piece] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if op == "equal":
            pieces.append(Piece("same", "".join(a[i1:i2])))
            continue
        if i2 > i1:
            pieces.append(Piece("removed", "".join(a[i1:i2])))
        if j2 > j1:
            pieces.append(Piece("added", "".join(b[j1:j2])))
    return pieces


def _side_by_side(old: str, new: str) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    a, b = old.splitlines(), new.splitlines()
    left: list[tuple[str, str]] = []
    right: list[tuple[str, str]] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if op == "equal":
            left += [("same", line) for line in a[i1:i2]]
            right += [("same", line) for line in b[j1:j2]]
            continue
        old_part = [("removed", line) for line in a[i1:i2]]
        new_part = [("added", line) for line in b[j1:j2]]
        width = max(len(old_part), len(new_part))
        left += old_part + [("blank", "")] * (width - len(old_part))
        right += new_part + [("blank", "")] * (width - len(new_part))
    return left, right


_LINK = re.compile(r"\[([^\]]+)\]\([^)]*\)")
_QUOTE = re.compile(r"^\s*>\s?")


def reading_text(text: str) -> str:
    """Markdown as a reader sees it, one line per line: bullets as •, no heading or emphasis marks.

    Changes are compared on this text so a leader reads words, not Markdown symbols.
    """
    lines = []
    for line in (text or "").splitlines():
        line = _QUOTE.sub("", line)
        if match := _HEADING.match(line):
            line = match.group(2)
        elif match := _BULLET.match(line):
            line = "• " + match.group(1)
        lines.append(_plain(_LINK.sub(r"\1", line)))
    return "\n".join(lines)


def diff_sections(
    sections: list[dict[str, str]], old_texts: dict[str, str], new_texts: dict[str, str]
) -> list[SectionDiff]:
    result = []
    for section in sections:
        old = reading_text(old_texts.get(section["key"], ""))
        new = reading_text(new_texts.get(section["key"], ""))
        left, right = _side_by_side(old, new)
        result.append(
            SectionDiff(
                key=section["key"],
                heading=section["heading"],
                changed=old != new,
                pieces=_inline(old, new),
                old_lines=left,
                new_lines=right,
            )
        )
    return result


_BULLET = re.compile(r"^\s*[-*+]\s+(.*)$")
_NUMBERED = re.compile(r"^\s*\d+[.)]\s+(.*)$")
_HEADING = re.compile(r"^(#{1,6})\s+(.*)$")
_EMPHASIS = re.compile(r"(\*\*|\*|`)(.+?)\1")
# Markdown reads an underscore as emphasis only at a word's edge: snake_case and K_3 keep theirs.
_UNDERSCORE_EMPHASIS = re.compile(r"(?<![\w_])(__|_)(?=[^\s_])(.+?)(?<=[^\s_])\1(?![\w_])")


def _plain(text: str) -> str:
    return _EMPHASIS.sub(r"\2", _UNDERSCORE_EMPHASIS.sub(r"\2", text))


def docx_bytes(*, title: str, subtitle: str, sections: list[dict[str, str]], texts: dict[str, str]) -> bytes:
    """A Word document of a process version: a heading per section, lists kept as lists."""
    document = new_document(title, level=0)
    document.add_paragraph(subtitle)
    for section in sections:
        document.add_heading(section["heading"], level=1)
        for line in (texts.get(section["key"]) or "").splitlines():
            if not line.strip():
                continue
            if match := _HEADING.match(line):
                document.add_heading(_plain(match.group(2)), level=min(len(match.group(1)) + 1, 9))
            elif match := _BULLET.match(line):
                document.add_paragraph(_plain(match.group(1)), style="List Bullet")
            elif match := _NUMBERED.match(line):
                document.add_paragraph(_plain(match.group(1)), style="List Number")
            else:
                document.add_paragraph(_plain(line))
    return document_bytes(document)
