from __future__ import annotations

import markdown
import nh3
from django import template
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


@register.filter
def digest_html(text: str) -> SafeString:
    """Digest bodies are written as simple Markdown; rendered, then sanitised."""
    return mark_safe(nh3.clean(markdown.markdown(text or "")))  # noqa: S308 - nh3 sanitised
