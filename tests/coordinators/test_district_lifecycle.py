"""A district's data from start to end: deleting a person or a district, exporting everything.

The deletion tests run on both databases; on PostgreSQL they also prove the audit trail's trigger lets
the redaction through (before, deleting a district or a person there answered 500).
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Callable

import pytest
from django.apps import apps
from django.db import connection, transaction
from django.db.models import Model
from django.test import Client
from django.urls import reverse

from coordinators import district_export, lifecycle
from coordinators.models import District, DistrictExport, Membership, School, User
from data_reviews.models import ImportBatch, StudentResult
from data_reviews.scores import services as score_services
from implementation_plans.models import PracticeFile
from mtss.audit.models import AuditEvent
from mtss.audit.services import audit_record
from mtss.search import index as search_index
from tests.conftest import Side
from tests.security_world import build_objects
from tests.test_exports_formula_safe import HOSTILE, _unsafe

pytestmark = pytest.mark.django_db
ON_POSTGRESQL = connection.vendor == "postgresql"


def _district_of(model: type[Model]) -> str | None:
    """The lookup from a model to its district, or None for rows that are not a district's."""
    if model is District:
        return "pk"
    if model._meta.label in district_export.DISTRICT_PATHS:
        return district_export.DISTRICT_PATHS[model._meta.label]
    if any(f.name == "district" for f in model._meta.concrete_fields):
        return "district"
    return None


def _rows_of(district_id: int) -> dict[str, int]:
    counts = {}
    for model in apps.get_models():
        lookup = _district_of(model)
        if lookup is not None:
            counts[model._meta.label] = model._base_manager.filter(**{lookup: district_id}).count()
    return counts


@pytest.fixture
def operator(db: None) -> User:
    return User.objects.create_superuser("operator@example.org", "pw-operator-1", full_name="Olive Operator")


@pytest.fixture
def two_full_districts(side_a: Side, side_b: Side) -> tuple[Side, Side]:
    for side in (side_a, side_b):
        objects = build_objects(side)
        score_services.import_batch_run(objects["import_batch"])
        stored = PracticeFile(
            practice=objects["practice"], original_name="guide.pdf", content_type="application/pdf", size=9
        )
        from django.core.files.base import ContentFile

        stored.file.save("upload", ContentFile(b"%PDF-1.7\n"), save=True)
    # The search index is written after commit, which a test's transaction never reaches: build it
    # now, as it stands in a real district, so its rows are counted like every other table's.
    search_index.reindex()
    return side_a, side_b


# --- The audit trail's trigger -----------------------------------------------------------------


@pytest.mark.skipif(not ON_POSTGRESQL, reason="the trigger exists on PostgreSQL only")
@pytest.mark.parametrize(
    "change",
    [
        "action = 'something else'",
        "at = at - interval '1 day'",
        "district_id = %(other)s",
        "actor_id = %(other_person)s",
        "object_label = 'a new label'",
        "object_id = '999'",
        "outcome = 'failure'",
        "detail = '{\"x\": 1}'::jsonb",
        "actor_label = 'someone@else.org'",
    ],
)
def test_postgresql_still_refuses_every_update_but_a_redaction(change: str, side_a: Side, side_b: Side):
    event = audit_record(
        action="approve", actor=side_a.leader, district=side_a.district, target=side_a.school, detail={"a": 1}
    )
    sql = "UPDATE audit_auditevent SET " + change + " WHERE id = %(pk)s"  # noqa: S608 - the test's own text
    with (
        pytest.raises(Exception, match="audit rows cannot be changed"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(sql, {"pk": event.pk, "other": side_b.district.pk, "other_person": side_b.leader.pk})
    stored = AuditEvent.objects.get(pk=event.pk)
    assert (stored.action, stored.district_id, stored.actor_id, stored.object_label, stored.detail) == (
        "approve",
        side_a.district.pk,
        side_a.leader.pk,
        side_a.school.name,
        {"a": 1},
    )


@pytest.mark.skipif(not ON_POSTGRESQL, reason="the trigger exists on PostgreSQL only")
def test_postgresql_allows_the_redaction_and_still_refuses_deleting(side_a: Side):
    event = audit_record(
        action="approve", actor=side_a.leader, district=side_a.district, target=side_a.school
    )
    AuditEvent.objects.filter(pk=event.pk).redact_district()
    AuditEvent.objects.filter(pk=event.pk).redact_person()
    stored = AuditEvent.objects.get(pk=event.pk)
    assert (stored.action, stored.district_id, stored.actor_id, stored.actor_label, stored.object_label) == (
        "approve",
        None,
        None,
        "",
        "",
    )
    with (
        pytest.raises(Exception, match="audit rows cannot be changed"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("DELETE FROM audit_auditevent WHERE id = %s", [event.pk])
    assert AuditEvent.objects.filter(pk=event.pk).exists()


# --- Deleting a district -----------------------------------------------------------------------


def test_deleting_a_district_leaves_no_row_of_it_and_other_districts_untouched(
    two_full_districts: tuple[Side, Side], operator: User
):
    a, b = two_full_districts
    a_id, a_people = a.district.pk, [a.coordinator.pk, a.leader.pk, a.member.pk, a.site_admin.pk]
    a_audit = list(AuditEvent.objects.filter(district_id=a_id).values_list("pk", flat=True))
    before_a, before_b = _rows_of(a_id), _rows_of(b.district.pk)
    assert before_a["data_reviews.StudentResult"] > 0
    assert before_a["data_reviews.DataReview"] > 0
    assert before_a["implementation_plans.PracticeFile"] == 1
    files_of_a = [f.file.name for f in PracticeFile.objects.filter(practice__district_id=a_id)]
    b_audit = list(AuditEvent.objects.filter(district=b.district).values("pk", "object_label", "actor_label"))

    with django_capture_on_commit():
        assert lifecycle.district_delete(operator=operator, district=a.district) is True

    assert not any(_rows_of(a_id).values()), {k: v for k, v in _rows_of(a_id).items() if v}
    assert _rows_of(b.district.pk) == before_b
    assert not User.objects.filter(pk__in=a_people).exists()
    assert User.objects.filter(pk=operator.pk).exists()
    redacted = AuditEvent.objects.filter(pk__in=a_audit)
    assert redacted.count() == len(a_audit) > 0
    assert set(redacted.values_list("district_id", "object_label", "actor_id", "actor_label")) == {
        (None, "", None, "")
    }
    assert list(
        AuditEvent.objects.filter(district=b.district).values("pk", "object_label", "actor_label")
    ) == (b_audit)
    record = AuditEvent.objects.get(action="delete district")
    assert (record.actor, record.object_id, record.object_label) == (operator, str(a_id), "District A")
    assert record.detail["screener results"] == before_a["data_reviews.StudentResult"]
    from django.core.files.storage import default_storage

    assert not any(default_storage.exists(name) for name in files_of_a)


def test_deleting_a_district_twice_changes_nothing_the_second_time(
    side_a: Side, side_b: Side, operator: User
):
    district = side_a.district
    assert lifecycle.district_delete(operator=operator, district=district) is True
    rows = AuditEvent.objects.count()
    assert lifecycle.district_delete(operator=operator, district=district) is False
    assert AuditEvent.objects.count() == rows
    assert District.objects.filter(pk=side_b.district.pk).exists()


def test_a_person_in_two_districts_keeps_their_account_when_one_is_deleted(
    side_a: Side, side_b: Side, operator
):
    Membership.objects.create(user=side_a.member, district=side_b.district, role="member")
    lifecycle.district_delete(operator=operator, district=side_a.district)
    assert User.objects.filter(pk=side_a.member.pk).exists()
    assert not User.objects.filter(pk=side_a.coordinator.pk).exists()


def test_people_only_invited_by_the_district_go_with_it(side_a: Side, side_b: Side, operator: User):
    from coordinators import services as coordinator_services

    invited = coordinator_services.person_invite(
        member=side_a.membership(side_a.coordinator),
        email="new.person@example.org",
        full_name="New Person",
        role="member",
    )
    invited_by_both = coordinator_services.person_invite(
        member=side_b.membership(side_b.coordinator),
        email="wanted@example.org",
        full_name="Wanted Twice",
        role="member",
    )
    coordinator_services.person_invite(
        member=side_a.membership(side_a.coordinator),
        email="wanted@example.org",
        full_name="Wanted Twice",
        role="member",
    )
    lifecycle.district_delete(operator=operator, district=side_a.district)
    assert not User.objects.filter(pk=invited.person_id).exists()
    assert User.objects.filter(pk=invited_by_both.person_id).exists()


def test_operator_confirms_by_typing_the_slug_and_sees_what_goes(two_full_districts, operator: User):
    a, b = two_full_districts
    client = Client()
    client.force_login(operator)
    url = reverse("operator_district_delete", args=[a.district.pk])
    page = client.get(url)
    assert page.status_code == 200
    text = page.content.decode()
    for words in ("screener results", "schools", "data reviews", "meetings"):
        assert words in text
    results = StudentResult.objects.filter(district=a.district).count()
    assert f"<strong>{results}</strong> screener results" in text

    wrong = client.post(url, {"slug": b.district.slug})
    assert wrong.status_code == 200
    assert "Type district-a" in wrong.content.decode()
    assert District.objects.filter(pk=a.district.pk).exists()

    done = client.post(url, {"slug": a.district.slug})
    assert done.status_code == 302
    assert not District.objects.filter(pk=a.district.pk).exists()
    assert District.objects.filter(pk=b.district.pk).exists()


@pytest.mark.parametrize("persona", ["coordinator", "leader"])
def test_nobody_but_the_operator_reaches_the_delete_page(side_a: Side, login_as: Callable, persona: str):
    client = login_as(getattr(side_a, persona))
    url = reverse("operator_district_delete", args=[side_a.district.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"slug": side_a.district.slug}).status_code == 404
    assert District.objects.filter(pk=side_a.district.pk).exists()


def test_the_admin_deletes_a_person_through_the_service(side_a: Side, operator: User):
    event = audit_record(action="approve", actor=side_a.member, district=side_a.district)
    client = Client()
    client.force_login(operator)
    url = reverse("admin:coordinators_user_delete", args=[side_a.member.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"post": "yes"})
    assert response.status_code == 302
    assert not User.objects.filter(pk=side_a.member.pk).exists()
    row = AuditEvent.objects.get(pk=event.pk)
    assert (row.actor_id, row.actor_label, row.district_id) == (None, "", side_a.district.pk)
    assert AuditEvent.objects.filter(action="delete person", actor=operator).exists()


def test_the_admin_sends_district_deletion_to_the_operator_page(side_a: Side, operator: User):
    client = Client()
    client.force_login(operator)
    response = client.get(reverse("admin:coordinators_district_delete", args=[side_a.district.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("operator_district_delete", args=[side_a.district.pk])
    changelist = client.get(reverse("admin:coordinators_district_changelist"))
    assert b"delete_selected" not in changelist.content
    assert District.objects.filter(pk=side_a.district.pk).exists()


# --- Exporting a district ---------------------------------------------------------------------


def _zip(response) -> zipfile.ZipFile:
    return zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))


def _csv(archive: zipfile.ZipFile, name: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(archive.read(name).decode("utf-8-sig"))))


@pytest.mark.usefixtures("celery_eager")
def test_coordinator_exports_everything_the_district_holds(two_full_districts, coordinator_a: Client):
    a, b = two_full_districts
    with django_capture_on_commit():
        response = coordinator_a.post(reverse("district_exports"))
    assert response.status_code == 302
    export = DistrictExport.objects.get(district=a.district)
    assert (export.status, export.progress) == (DistrictExport.Status.READY, 100)
    assert coordinator_a.get(reverse("district_export_progress", args=[export.pk])).status_code == 200

    download = coordinator_a.get(reverse("district_export_download", args=[export.pk]))
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment")
    archive = _zip(download)
    names = set(archive.namelist())
    assert {f.name for f in district_export.export_files()} <= names
    results = _csv(archive, "data_reviews/student_results.csv")
    assert len(results) == StudentResult.objects.filter(district=a.district).count() > 0
    assert {r["district_id"] for r in results} == {str(a.district.pk)}
    people = _csv(archive, "people.csv")
    assert {p["email"] for p in people} == {
        a.coordinator.email,
        a.leader.email,
        a.member.email,
        a.site_admin.email,
        a.school_staff.email,
    }
    assert "password" not in people[0]
    assert "data_reviews/student_results.csv" in archive.read("README.txt").decode()
    schools = {r["id"] for r in _csv(archive, "coordinators/schools.csv")}
    assert schools == {
        str(pk) for pk in School.objects.filter(district=a.district).values_list("pk", flat=True)
    }
    batch = ImportBatch.objects.get(district=a.district)
    assert archive.read(f"files/imports/{batch.pk}-generic_long.csv") == bytes(batch.payload)
    stored = PracticeFile.objects.get(practice__district=a.district)
    assert archive.read(f"files/practices/{stored.practice_id}/{stored.pk}-guide.pdf") == b"%PDF-1.7\n"
    assert not any(str(b.district.pk) == r["district_id"] for r in _csv(archive, "meetings/meetings.csv"))
    actions = list(AuditEvent.objects.filter(district=a.district).values_list("action", flat=True))
    assert "request district export" in actions
    assert "download district export" in actions


@pytest.mark.usefixtures("celery_eager")
def test_outsiders_and_other_roles_cannot_download_an_export(
    side_a: Side, coordinator_a: Client, coordinator_b: Client, leader_a: Client
):
    export = lifecycle.district_export_request(member=side_a.membership(side_a.coordinator))
    lifecycle.district_export_build(export)
    for client, status in ((coordinator_b, 404), (leader_a, 403)):
        assert client.get(reverse("district_export_download", args=[export.pk])).status_code == status
        assert client.get(reverse("district_export_progress", args=[export.pk])).status_code == status
    assert not AuditEvent.objects.filter(action="download district export").exists()


def test_the_operator_exports_a_district_and_downloads_it(side_a: Side, operator: User, celery_eager):
    client = Client()
    client.force_login(operator)
    with django_capture_on_commit():
        assert client.post(reverse("operator_district_export", args=[side_a.district.pk])).status_code == 302
    export = DistrictExport.objects.get(district=side_a.district)
    assert client.get(reverse("operator_districts")).status_code == 200
    response = client.get(reverse("district_export_download", args=[export.pk]))
    assert response.status_code == 200
    assert "coordinators/schools.csv" in _zip(response).namelist()


def test_building_an_export_twice_builds_one_zip(side_a: Side):
    from coordinators.tasks import build_district_export

    with django_capture_on_commit():
        export = lifecycle.district_export_request(member=side_a.membership(side_a.coordinator))
    build_district_export(export.pk)
    export.refresh_from_db()
    first = export.file_path
    build_district_export(export.pk)
    export.refresh_from_db()
    assert export.file_path == first
    assert len(list((lifecycle.exports_dir() / str(side_a.district.pk)).glob("*.zip"))) >= 1
    assert lifecycle.district_export_request(member=side_a.membership(side_a.coordinator)) != export


@pytest.mark.parametrize("hostile", HOSTILE)
def test_export_cells_are_formula_safe(hostile: str, side_a: Side):
    school = side_a.school
    school.name = hostile
    school.save()
    export_file = next(f for f in district_export.export_files() if f.name == "coordinators/schools.csv")
    rows = list(
        csv.reader(io.StringIO(district_export.write_csv(export_file, side_a.district).decode("utf-8-sig")))
    )
    cells = [cell for row in rows for cell in row]
    assert "'" + hostile in cells
    assert not _unsafe(cells)


def test_exports_are_deleted_after_a_few_days(side_a: Side):
    import datetime as dt

    export = lifecycle.district_export_request(member=side_a.membership(side_a.coordinator))
    export = lifecycle.district_export_build(export)
    path = lifecycle.exports_dir() / export.file_path
    assert path.exists()
    with django_capture_on_commit():
        assert lifecycle.exports_expire(now=export.expires_at - dt.timedelta(minutes=1)) == 0
    assert path.exists()
    with django_capture_on_commit():
        assert lifecycle.exports_expire(now=export.expires_at) == 1
    assert not path.exists()
    export.refresh_from_db()
    assert export.status == DistrictExport.Status.EXPIRED


def test_the_export_documentation_lists_every_file_and_column():
    from pathlib import Path

    text = (Path(__file__).resolve().parents[2] / "docs" / "data-export.md").read_text()
    missing = [line for line in district_export.documentation().splitlines() if line not in text]
    # A model or column was added: paste `district_export.documentation()` into docs/data-export.md.
    assert not missing, missing


def django_capture_on_commit():
    """Run on-commit callbacks of the test's transaction as they are registered."""
    from django.test import TestCase

    return TestCase.captureOnCommitCallbacks(execute=True)


def test_the_operator_finds_the_districts_page_in_the_top_bar(side_a: Side, operator: User, coordinator_a):
    client = Client()
    client.force_login(operator)
    link = f'href="{reverse("operator_districts")}"'
    assert link in client.get(reverse("operator_districts")).content.decode()
    assert link not in coordinator_a.get(reverse("home")).content.decode()


def _queries(client: Client, url: str) -> int:
    from django.db import connection as default_connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(default_connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_export_pages_make_the_same_queries_for_few_and_many_exports(
    side_a: Side, coordinator_a: Client, operator: User
):
    from tests.factories import DistrictFactory

    operator_client = Client()
    operator_client.force_login(operator)
    DistrictExport.objects.create(district=side_a.district, requested_by=side_a.coordinator)
    few = _queries(coordinator_a, reverse("district_exports"))
    few_operator = _queries(operator_client, reverse("operator_districts"))
    for _ in range(9):
        DistrictExport.objects.create(
            district=side_a.district, requested_by=side_a.coordinator, status=DistrictExport.Status.READY
        )
        DistrictExport.objects.create(district=DistrictFactory(), requested_by=None)
    assert _queries(coordinator_a, reverse("district_exports")) == few
    assert _queries(operator_client, reverse("operator_districts")) == few_operator
