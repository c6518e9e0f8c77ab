"""The demo districts' search entries: built after every other app has seeded its records."""

from __future__ import annotations

from mtss.demo import DemoContext
from mtss.search.index import reindex


def seed_demo(ctx: DemoContext) -> None:
    # Seeders may write with bulk_create, which sends no signals: rebuild from the records.
    for district in (ctx.district, ctx.other_district):
        reindex(district.pk)
