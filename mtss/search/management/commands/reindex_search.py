"""Rebuild the search entries from the records: after a restore, an import of old data, or a
write that bypassed the receivers (a QuerySet.update, a bulk_create). Safe to run at any time."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from coordinators.models import District
from mtss.search.index import reindex


class Command(BaseCommand):
    help = "Rebuild the search index of one district (--district SLUG) or of every district."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--district", metavar="SLUG", help="Only this district (its slug).")

    def handle(self, *args: Any, **options: Any) -> None:
        districts = District.objects.order_by("name")
        if options["district"]:
            districts = districts.filter(slug=options["district"])
            if not districts.exists():
                slugs = ", ".join(District.objects.order_by("slug").values_list("slug", flat=True))
                raise CommandError(
                    f"No district has the slug {options['district']!r}. Known: {slugs or 'none'}."
                )
        for district in districts:
            counts = reindex(district.pk)
            summary = ", ".join(f"{key} {count}" for key, count in counts.items())
            self.stdout.write(f"{district.name}: {sum(counts.values())} records indexed ({summary})")
