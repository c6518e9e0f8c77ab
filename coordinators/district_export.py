"""What a district export holds: one CSV per kind of record, plus the uploaded files.

`export_files()` is the list of CSV files; `documentation()` turns it into the table in
docs/data-export.md (a test keeps the two the same). Every file is written by the shared
`mtss.spreadsheets.csv_write`, so no cell runs as a formula when the file is opened.
"""

from __future__ import annotations

import functools
import io
import json
import re
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from typing import IO, Any

from django.apps import apps
from django.db import models
from django.utils import timezone

from coordinators.models import District, Membership, User
from mtss.spreadsheets import csv_write

ROWS_PER_QUERY = 2000
# Secrets and raw bytes never go into a CSV: raw files are written as files of their own.
LEFT_OUT_FIELDS = {"password", "token", "token_hash", "claim_token", "payload", "extra_payload"}
# The path from each kind of record to its district, for the kinds without a district column.
DISTRICT_PATHS: dict[str, str] = {
    "implementation_plans.AssessmentItem": "assessment__district",
    "implementation_plans.ProgressUpdate": "activity__district",
    "implementation_plans.PracticeFile": "practice__district",
    "implementation_plans.ProcessVersion": "process__district",
    "implementation_plans.ProcessRevision": "version__process__district",
    "implementation_plans.ProcessComment": "version__process__district",
    "meetings.Attendance": "meeting__district",
    "meetings.AgendaItem": "meeting__district",
    "meetings.MinuteEntry": "agenda_item__meeting__district",
    "data_reviews.DataSource": "review__district",
    "data_reviews.Success": "review__district",
    "data_reviews.ContributingFactor": "problem__district",
    "data_reviews.SolutionAction": "review__district",
    "data_reviews.ProblemCheck": "review__district",
}
# Kinds that are not the district's records: per-person settings, private calendar links, the
# exports themselves and slide decks (drawn from the tier counts the export holds). People are
# written by `_people_rows` (no password, no admin flags).
LEFT_OUT_MODELS = {
    "coordinators.User",
    "coordinators.DistrictExport",
    "data_reviews.SlideDeck",
    "meetings.CalendarFeed",
    "notifications.NotificationPreference",
    "notifications.DigestSetting",
}
PEOPLE_COLUMNS = ["id", "email", "full_name", "title", "is_active", "date_joined"]
PROJECT_APPS = ("coordinators", "implementation_plans", "meetings", "data_reviews", "notifications", "audit")


@dataclass(frozen=True)
class ExportFile:
    name: str
    description: str
    columns: list[str]
    rows: Callable[[District], Iterator[list[Any]]]


def _value(value: Any) -> Any:
    """What the shared writer cannot know: times in the district's zone and lists as JSON."""
    if isinstance(value, datetime) and timezone.is_aware(value):
        # In the district's time zone (active while the file is written), offset included.
        return timezone.localtime(value).isoformat()
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False)
    return value


def _fields(model: type[models.Model]) -> list[models.Field]:
    return [f for f in model._meta.concrete_fields if f.name not in LEFT_OUT_FIELDS]


def _many(model: type[models.Model]) -> list[models.ManyToManyField]:
    return list(model._meta.many_to_many)


def _district_filter(model: type[models.Model]) -> str:
    return DISTRICT_PATHS.get(model._meta.label, "district")


def _model_rows(model: type[models.Model]) -> Callable[[District], Iterator[list[Any]]]:
    fields, many = _fields(model), _many(model)

    def rows(district: District) -> Iterator[list[Any]]:
        queryset = model._base_manager.filter(**{_district_filter(model): district}).order_by("pk")
        if many:
            queryset = queryset.prefetch_related(*(m.name for m in many))
        for obj in queryset.iterator(chunk_size=ROWS_PER_QUERY):
            values = [getattr(obj, f.attname) for f in fields]
            values += [sorted(related.pk for related in getattr(obj, m.name).all()) for m in many]
            yield values

    return rows


def _people_rows(district: District) -> Iterator[list[Any]]:
    people = User.objects.filter(memberships__district=district).order_by("pk").distinct()
    for person in people.values_list(*PEOPLE_COLUMNS).iterator(chunk_size=ROWS_PER_QUERY):
        yield list(person)


def _plural(model: type[models.Model]) -> str:
    if model._meta.original_attrs.get("verbose_name_plural"):
        return str(model._meta.verbose_name_plural)
    name = str(model._meta.verbose_name)
    if name.endswith("series"):
        return name
    if name.endswith("y"):
        return name[:-1] + "ies"
    return name + ("es" if name.endswith(("s", "x", "ch", "sh")) else "s")


def _description(model: type[models.Model]) -> str:
    doc = model.__doc__ or ""
    if not doc or doc.startswith(model.__name__ + "("):
        return _plural(model).capitalize() + "."
    return " ".join(doc.strip().split("\n\n")[0].split())


@functools.cache
def export_files() -> list[ExportFile]:
    """Every CSV of an export, in order (built once the apps are loaded)."""
    files = [
        ExportFile(
            "people.csv",
            "Everyone with a role in the district (roles are in memberships.csv).",
            PEOPLE_COLUMNS,
            _people_rows,
        )
    ]
    for model in apps.get_models():
        if model._meta.app_label not in PROJECT_APPS or model._meta.label in LEFT_OUT_MODELS:
            continue
        if model is not Membership and model._meta.label not in DISTRICT_PATHS and not _has_district(model):
            continue
        files.append(
            ExportFile(
                f"{model._meta.app_label}/{re.sub(r'\s+', '_', _plural(model).lower())}.csv",
                _description(model),
                [f.attname for f in _fields(model)] + [m.name for m in _many(model)],
                _model_rows(model),
            )
        )
    return files


def _has_district(model: type[models.Model]) -> bool:
    return any(f.name == "district" and f.is_relation for f in model._meta.concrete_fields)


def write_csv_to(stream: IO[bytes], export_file: ExportFile, district: District) -> None:
    """Write the file row by row: a district's results do not fit comfortably in memory at once."""

    def rows() -> Iterator[list[Any]]:
        yield export_file.columns
        for row in export_file.rows(district):
            yield [_value(value) for value in row]

    # A byte order mark so spreadsheets open accented names correctly.
    with timezone.override(district.tz):
        csv_write(stream, rows(), byte_order_mark=True)


def write_csv(export_file: ExportFile, district: District) -> bytes:
    buffer = io.BytesIO()
    write_csv_to(buffer, export_file, district)
    return buffer.getvalue()


def safe_name(name: str) -> str:
    """A file name that stays inside its folder of the zip whatever was uploaded."""
    cleaned = re.sub(r"[^\w.\- ]+", "_", name.replace("\\", "/").rsplit("/", 1)[-1]).strip(" .")
    return cleaned[:120] or "file"


def write_uploaded_files(archive: zipfile.ZipFile, district: District) -> int:
    """Practice library files and the stored screener files (those the retention policy kept)."""
    from data_reviews.models import ImportBatch
    from implementation_plans.models import PracticeFile

    written = 0
    for stored in PracticeFile.objects.filter(practice__district=district).order_by("pk").iterator():
        with stored.file.open("rb") as handle:
            archive.writestr(
                f"files/practices/{stored.practice_id}/{stored.pk}-{safe_name(stored.original_name)}",
                handle.read(),
            )
        written += 1
    batches = ImportBatch.objects.filter(district=district, raw_file_deleted_at__isnull=True).order_by("pk")
    for batch in batches.only("pk", "file_name", "payload", "extra_file_name", "extra_payload").iterator(
        chunk_size=1
    ):
        archive.writestr(f"files/imports/{batch.pk}-{safe_name(batch.file_name)}", bytes(batch.payload))
        written += 1
        if batch.extra_file_name:
            archive.writestr(
                f"files/imports/{batch.pk}-extra-{safe_name(batch.extra_file_name)}",
                bytes(batch.extra_payload),
            )
            written += 1
    return written


def documentation() -> str:
    """The table of files and columns that docs/data-export.md shows."""
    lines = ["| file | what it holds | columns |", "| --- | --- | --- |"]
    for export_file in export_files():
        columns = ", ".join(f"`{c}`" for c in export_file.columns)
        lines.append(f"| `{export_file.name}` | {export_file.description} | {columns} |")
    return "\n".join(lines) + "\n"
