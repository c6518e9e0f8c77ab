"""Writes for meetings and action items."""

from __future__ import annotations

from datetime import date

from django.db import transaction

from coordinators.models import District, User
from meetings.models import ActionItem


def action_item_create(
    *,
    district: District,
    title: str,
    owner: User | None,
    due_date: date | None,
    created_by: User | None,
    details: str = "",
    source_label: str = "",
    source_url: str = "",
) -> ActionItem:
    with transaction.atomic():
        return ActionItem.objects.create(
            district=district,
            title=title,
            details=details,
            owner=owner,
            due_date=due_date,
            created_by=created_by,
            source_label=source_label,
            source_url=source_url,
        )
