"""Import a OneRoster 1.1 CSV zip for one district from the command line, all or nothing."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from coordinators.models import District
from coordinators.roster.parsing import RosterRefused
from coordinators.roster.services import KIND_LABELS, RosterReport, roster_import
from data_reviews.scores.importing import Upload

# The command lists every problem row up to this many; the rest are counted.
PROBLEMS_LISTED = 200


class Command(BaseCommand):
    help = (
        "Import a OneRoster 1.1 CSV zip (schools, students, staff, classes, enrollments) into one "
        "district. Nothing is written when any row has a problem."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--district", required=True, help="The district's slug.")
        parser.add_argument("--dry-run", action="store_true", help="Check the zip and report; write nothing.")
        parser.add_argument("file", help="The OneRoster 1.1 CSV zip.")

    def handle(self, *args: Any, **options: Any) -> None:
        district = District.objects.filter(slug=options["district"]).first()
        if district is None:
            raise CommandError(f"No district has the slug {options['district']!r}.")
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"{path}: no such file.")
        if path.stat().st_size > settings.MTSS_MAX_UPLOAD_BYTES:
            raise CommandError(f"{path.name} is larger than the upload limit; export one school at a time.")
        try:
            report = roster_import(
                district=district,
                upload=Upload(path.name, path.read_bytes()),
                member=None,
                dry_run=options["dry_run"],
            )
        except RosterRefused as refusal:
            raise CommandError(str(refusal)) from refusal
        self._report(report)
        if not report.ok:
            raise CommandError(f"Nothing was imported: {len(report.problems)} problems. Fix the rows above.")
        if report.dry_run:
            self.stdout.write("Dry run: nothing was written.")

    def _report(self, report: RosterReport) -> None:
        sent = ", ".join(f"{name} {mode}" for name, mode in report.modes.items() if mode != "absent")
        self.stdout.write(f"{report.file_name}: {sent or 'no files'}")
        verb = "would be" if report.dry_run or not report.ok else ""
        self.stdout.write(f"{'':12} {'new':>8} {'changed':>8} {'unchanged':>10} {'deactivated':>12} {verb}")
        for kind, label in KIND_LABELS.items():
            c = report.counts[kind]
            self.stdout.write(
                f"{label:12} {c['created']:>8} {c['updated']:>8} {c['unchanged']:>10} {c['deactivated']:>12}"
            )
        self.stdout.write(f"Invitations {'to send' if verb else 'sent'}: {report.invitations}")
        if report.results_linked:
            self.stdout.write(f"Screener results linked to rostered students: {report.results_linked}")
        for problem in report.problems[:PROBLEMS_LISTED]:
            where = f"{problem.file} row {problem.row}" + (f", {problem.column}" if problem.column else "")
            value = f" ({problem.value!r})" if problem.value else ""
            self.stderr.write(f"{where}{value}: {problem.reason}")
        if len(report.problems) > PROBLEMS_LISTED:
            self.stderr.write(f"... and {len(report.problems) - PROBLEMS_LISTED} more problems.")
