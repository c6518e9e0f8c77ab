"""Import screener or school-measure files from the command line, all or nothing."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from coordinators.models import District
from data_reviews.models import ImportBatch
from data_reviews.scores import importing, services


class Command(BaseCommand):
    help = (
        "Import a screener export (or ODR / attendance file) for one district. Nothing is written on error."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--district", required=True, help="The district's slug.")
        parser.add_argument("--format", required=True, choices=[c for c, _ in ImportBatch.Format.choices])
        parser.add_argument(
            "--dry-run", action="store_true", help="Check the file and report; write nothing."
        )
        parser.add_argument("files", nargs="+", help="The file, and for NWEA MAP also StudentsBySchool.csv.")

    def handle(self, *args: Any, **options: Any) -> None:
        district = District.objects.filter(slug=options["district"]).first()
        if district is None:
            raise CommandError(f"No district has the slug {options['district']!r}.")
        uploads = []
        for name in options["files"][:2]:
            path = Path(name)
            if not path.is_file():
                raise CommandError(f"{name}: no such file.")
            if path.stat().st_size > settings.MTSS_MAX_UPLOAD_BYTES:
                raise CommandError(f"{name} is larger than the upload limit; split it and import the parts.")
            uploads.append(importing.Upload(path.name, path.read_bytes()))
        earlier = services.same_file_batch(district=district, uploads=uploads)
        if earlier is not None:
            raise CommandError(f"{services.AlreadyUploaded(earlier)} (batch {earlier.pk})")
        try:
            batch = ImportBatch(
                district=district,
                file_name=uploads[0].name,
                file_format=options["format"],
                payload=uploads[0].data,
                extra_file_name=uploads[1].name if len(uploads) > 1 else "",
                extra_payload=uploads[1].data if len(uploads) > 1 else b"",
            )
            for upload in uploads:
                importing.check_upload(upload, max_bytes=settings.MTSS_MAX_UPLOAD_BYTES)
            result = services.run_preview(batch)
        except importing.UploadRefused as refusal:
            raise CommandError(str(refusal)) from refusal
        self._report(result)
        if not result.ok:
            if result.problem_count:
                advice = "Fix the rows above and run the command again."
            elif result.missing_fields:
                advice = "The file lacks the columns named above; export them too and run the command again."
            else:
                advice = "The file has no rows of results."
            raise CommandError(f"Nothing was imported. {advice}")
        if options["dry_run"]:
            self.stdout.write("Dry run: nothing was written.")
            return
        batch = services.import_batch_create(
            district=district,
            uploaded_by=None,
            file_format=options["format"],
            uploads=uploads,
            queue_check=False,
        )
        batch.status = ImportBatch.Status.IMPORTING
        batch.save(update_fields=["status"])
        batch = services.import_batch_run(batch, checked=result)
        if batch.status != ImportBatch.Status.DONE:
            raise CommandError("Nothing was imported.")
        self.stdout.write(self.style.SUCCESS(f"Imported {batch.rows_written} rows (batch {batch.pk})."))

    def _report(self, result: importing.Preview) -> None:
        summary = result.summary()
        self.stdout.write(f"Rows read: {result.rows_read}; rows ready: {len(result.frame)}")
        for name in result.missing_fields:
            self.stderr.write(f"No column for {importing.FIELDS.get(name, name)} was found.")
        for name, count in result.unmatched_schools.items():
            self.stderr.write(f"School {name!r} matches no school in the district ({count} rows).")
        for reason, count in result.set_aside.items():
            self.stdout.write(f"Set aside {count}: {reason}")
        for problem in result.problems:
            self.stderr.write(f"Row {problem.row}, {problem.column} = {problem.value!r}: {problem.reason}")
        if result.problem_count > len(result.problems):
            self.stderr.write(f"... and {result.problem_count - len(result.problems)} more problems.")
        for key in ("windows", "subjects"):
            if key in summary:
                self.stdout.write(
                    f"{key.title()}: " + ", ".join(f"{k} ({v})" for k, v in summary[key].items())
                )
