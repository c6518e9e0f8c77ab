"""Import screener or school-measure files from the command line, all or nothing."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DatabaseError, transaction

from coordinators.models import District, School
from coordinators.services import school_create
from data_reviews.models import ImportBatch
from data_reviews.scores import importing, services
from data_reviews.scores.analysis import subject_label

SLUGS_LISTED = 30


class Command(BaseCommand):
    help = (
        "Import a screener export (or ODR / attendance file) for one district. Nothing is written on error."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--district", required=True, help=f"The district's slug: {_district_slugs()}.")
        parser.add_argument(
            "--format",
            required=True,
            # A roster has its own command, import_roster.
            choices=[c for c, _ in ImportBatch.Format.choices if c != ImportBatch.Format.ONEROSTER],
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Check the file and report; write nothing."
        )
        parser.add_argument(
            "--map-school",
            action="append",
            default=[],
            metavar="NAME=CODE",
            help="The file's school NAME means the district's school with building CODE (repeatable); "
            "remembered for later imports.",
        )
        parser.add_argument(
            "--create-schools",
            action="store_true",
            help="Add a school to the district for each school name that matches none (audited).",
        )
        parser.add_argument("files", nargs="+", help="The file, and for NWEA MAP also StudentsBySchool.csv.")

    def handle(self, *args: Any, **options: Any) -> None:
        district = District.objects.filter(slug=options["district"]).first()
        if district is None:
            raise CommandError(f"No district has the slug {options['district']!r}.")
        mapped = _mapped_schools(district, options["map_school"])
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
            # The one check of the files: the preview and the import that follow do not repeat it.
            uploads = [importing.checked(u, max_bytes=settings.MTSS_MAX_UPLOAD_BYTES) for u in uploads]
            batch = ImportBatch(
                district=district,
                file_name=uploads[0].name,
                file_format=options["format"],
                payload=uploads[0].data,
                extra_file_name=uploads[1].name if len(uploads) > 1 else "",
                extra_payload=uploads[1].data if len(uploads) > 1 else b"",
                summary={"file_kinds": [u.kind for u in uploads]},
            )
            result = services.run_preview(batch, extra_mappings={n: s.pk for n, s in mapped.items()})
        except importing.UploadRefused as refusal:
            raise CommandError(str(refusal)) from refusal
        new_schools = list(result.unmatched_schools) if options["create_schools"] else []
        self._report(result, creating=set(new_schools))
        only_new_schools = (
            new_schools
            and not result.missing_fields
            and result.problem_count == len(result.problems)
            and all(p.reason == importing.SCHOOL_UNMATCHED for p in result.problems)
        )
        if only_new_schools and options["dry_run"]:
            self.stdout.write(f"Dry run: nothing was written; {len(new_schools)} schools would be added.")
            return
        if only_new_schools:
            with transaction.atomic():
                self._import(district, options["format"], uploads, mapped, new_schools)
            return
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
        with transaction.atomic():
            self._import(district, options["format"], uploads, mapped, [], checked=result)

    def _import(
        self,
        district: District,
        file_format: str,
        uploads: list[importing.Upload],
        mapped: dict[str, School],
        new_schools: list[str],
        checked: importing.Preview | None = None,
    ) -> None:
        """Save the mappings, add the schools, import: inside the caller's transaction, so a
        failure leaves nothing behind."""
        for name, school in mapped.items():
            services.school_mapping_save(district=district, member=None, source_name=name, school=school)
        for name in new_schools:
            school = school_create(
                district=district,
                name=name,
                code=_new_code(district, name),
                level=_level(name),
                grades_served="",
                member=None,
            )
            self.stdout.write(f"Added school {school.name} (code {school.code}).")
        batch = services.import_batch_create_and_run(
            district=district, file_format=file_format, uploads=uploads, checked=checked
        )
        if batch.status != ImportBatch.Status.DONE:
            raise CommandError("Nothing was imported; the file no longer passed its checks.")
        self.stdout.write(self.style.SUCCESS(f"Imported {batch.rows_written} rows (batch {batch.pk})."))

    def _report(self, result: importing.Preview, *, creating: set[str]) -> None:
        summary = result.summary()
        self.stdout.write(f"Rows read: {result.rows_read}; rows ready: {len(result.frame)}")
        for name in result.missing_fields:
            self.stderr.write(f"No column for {importing.FIELDS.get(name, name)} was found.")
        for name, count in result.unmatched_schools.items():
            if name in creating:
                self.stdout.write(f"School {name!r} is not in the district yet ({count} rows); adding it.")
            else:
                self.stderr.write(f"School {name!r} matches no school in the district ({count} rows).")
        for reason, count in result.set_aside.items():
            self.stdout.write(f"Set aside {count}: {reason}")
        for problem in result.problems:
            if problem.reason == importing.SCHOOL_UNMATCHED and problem.value in creating:
                continue
            self.stderr.write(f"Row {problem.row}, {problem.column} = {problem.value!r}: {problem.reason}")
        if result.problem_count > len(result.problems):
            self.stderr.write(f"... and {result.problem_count - len(result.problems)} more problems.")
        if "windows" in summary:
            self.stdout.write("Windows: " + ", ".join(f"{k} ({v})" for k, v in summary["windows"].items()))
        if "subjects" in summary:
            self.stdout.write(
                "Subjects: " + ", ".join(f"{subject_label(k)} ({v})" for k, v in summary["subjects"].items())
            )


def _district_slugs() -> str:
    try:
        slugs = list(District.objects.order_by("slug").values_list("slug", flat=True)[: SLUGS_LISTED + 1])
    except DatabaseError:
        return "(the districts cannot be listed: the database is not ready)"
    listed = ", ".join(slugs[:SLUGS_LISTED]) or "(no district yet)"
    return listed + (", ..." if len(slugs) > SLUGS_LISTED else "")


def _mapped_schools(district: District, pairs: list[str]) -> dict[str, School]:
    mapped: dict[str, School] = {}
    for pair in pairs:
        name, sep, code = pair.rpartition("=")
        if not sep or not name.strip() or not code.strip():
            raise CommandError(f'--map-school {pair!r}: write it as "NAME=CODE".')
        school = School.objects.filter(district=district, code__iexact=code.strip()).first()
        if school is None:
            raise CommandError(
                f"--map-school {pair!r}: no school of {district} has the code {code.strip()!r}."
            )
        mapped[name.strip()] = school
    return mapped


def _new_code(district: District, name: str) -> str:
    """Initials of the name ("Mt. Hood High School" is MHHS), numbered when the code is taken."""
    base = "".join(word[0] for word in re.findall(r"[A-Za-z0-9]+", name)).upper()[:24] or "SCHOOL"
    taken = set(School.objects.filter(district=district).values_list("code", flat=True))
    code, number = base, 2
    while code in taken:
        code, number = f"{base}{number}", number + 1
    return code


def _level(name: str) -> str:
    words = importing.school_words(name).split()
    for word, level in (
        ("es", School.Level.ELEMENTARY),
        ("ms", School.Level.MIDDLE),
        ("hs", School.Level.HIGH),
    ):
        if word in words:
            return level
    return School.Level.OTHER
