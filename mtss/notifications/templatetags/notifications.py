from __future__ import annotations

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


@register.filter
def digest_html(text: str) -> SafeString:
    """A digest body as HTML: bold section titles and bulleted lines, every word of it escaped.

    The body is what `render_body` writes: blocks apart by a blank line, a block either "**Title**"
    or lines that begin with "- ". It is not read as Markdown: the lines hold titles people typed,
    and their brackets and tags must show as typed, never become images or links.
    """
    blocks = []
    for block in (text or "").split("\n\n"):
        lines = [line for line in block.splitlines() if line.strip()]
        if not lines:
            continue
        if len(lines) == 1 and lines[0].startswith("**") and lines[0].endswith("**") and len(lines[0]) > 4:
            blocks.append(format_html("<p><strong>{}</strong></p>", lines[0][2:-2]))
        elif all(line.startswith("- ") for line in lines):
            items = format_html_join("", "<li>{}</li>", ((line[2:],) for line in lines))
            blocks.append(format_html("<ul>{}</ul>", items))
        else:
            text_lines = format_html_join(mark_safe("<br>"), "{}", ((line,) for line in lines))
            blocks.append(format_html("<p>{}</p>", text_lines))
    return mark_safe("\n".join(blocks))  # noqa: S308 - every piece escaped by format_html
