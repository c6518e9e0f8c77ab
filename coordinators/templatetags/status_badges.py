"""`{% status_badge record %}`: a record's status as a badge, in one place for every kind of record.

The colour of each status lives beside its model's choices, in the model's `STATUS_BADGES` (keyed by
its `Status` values); a status the map leaves out gets a plain badge. The words are the status's own
label (`get_status_display`).
"""

from __future__ import annotations

from typing import Any

from django import template

register = template.Library()

PLAIN = "text-bg-light border"


@register.inclusion_tag("_status_badge.html")
def status_badge(record: Any) -> dict[str, str]:
    return {
        "tone": type(record).STATUS_BADGES.get(record.status, PLAIN),
        "label": record.get_status_display(),
    }
