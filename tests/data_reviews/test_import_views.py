"""The import pages: upload, preview with problems, mapping a school, importing, progress."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from data_reviews.models import ImportBatch, SchoolNameMapping, StudentResult

FIXTURES = Path(__file__).parent / "fixtures"
GENERIC = (FIXTURES / "generic_long.csv").read_bytes()


@pytest.fixture(autouse=True)
def _eager(celery_eager: None) -> None:
    """Every test here runs the import tasks in-process."""


def upload(client, data: bytes, name: str = "scores.csv", file_format: str = "generic", capture=None):
    with capture(execute=True):
        return client.post(
            reverse("score_import_list"),
            {"file_format": file_format, "data_file": SimpleUploadedFile(name, data)},
        )


def test_coordinator_uploads_maps_a_school_and_imports(
    side_a, coordinator_a, django_capture_on_commit_callbacks
) -> None:
    data = GENERIC.replace(b"5003,A Lakeside Elementary", b"5003,Lakeside Elem")
    response = upload(coordinator_a, data, capture=django_capture_on_commit_callbacks)
    batch = ImportBatch.objects.get()
    assert response.url == reverse("score_import_detail", args=[batch.pk])
    page = coordinator_a.get(response.url).content.decode()
    assert "Problem rows" in page
    assert "This school matches no school in the district." in page
    assert "Lakeside Elem" in page
    with django_capture_on_commit_callbacks(execute=True):
        coordinator_a.post(
            reverse("score_import_map_school", args=[batch.pk]),
            {"school_1": side_a.school.pk},
        )
    assert SchoolNameMapping.objects.get().school == side_a.school
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.PREVIEW
    with django_capture_on_commit_callbacks(execute=True):
        coordinator_a.post(reverse("score_import_start", args=[batch.pk]))
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.DONE
    assert StudentResult.objects.count() == 4
    assert (
        "Imported 4 rows"
        in coordinator_a.get(reverse("score_import_detail", args=[batch.pk])).content.decode()
    )


def test_column_mapping_form_rechecks_the_file(
    side_a, coordinator_a, django_capture_on_commit_callbacks
) -> None:
    data = b"Pupil,Bldg,Gr,Subj,Season,Yr,NPR\n1,A01,3,Reading,Fall,2025,50\n"
    upload(coordinator_a, data, capture=django_capture_on_commit_callbacks)
    batch = ImportBatch.objects.get()
    assert batch.status == ImportBatch.Status.PROBLEMS
    assert (
        "Column mapping"
        in coordinator_a.get(reverse("score_import_detail", args=[batch.pk])).content.decode()
    )
    mapping = {"student_id": "Pupil", "school": "Bldg", "grade": "Gr", "subject": "Subj", "window": "Season",
               "school_year": "Yr", "percentile": "NPR"}  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        coordinator_a.post(reverse("score_import_recheck", args=[batch.pk]), {"columns": "1", **mapping})
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.PREVIEW
    assert batch.column_mapping["percentile"] == "NPR"


def test_refused_upload_says_why_and_keeps_the_form(
    coordinator_a, django_capture_on_commit_callbacks
) -> None:
    response = upload(
        coordinator_a, b"not a workbook", name="scores.xlsx", capture=django_capture_on_commit_callbacks
    )
    assert response.status_code == 200
    assert "is named .xlsx but is not an Excel workbook" in response.content.decode()
    assert ImportBatch.objects.count() == 0


def test_oversized_upload_is_refused_before_reading(
    settings, coordinator_a, django_capture_on_commit_callbacks
) -> None:
    settings.MTSS_MAX_UPLOAD_BYTES = 100
    response = upload(coordinator_a, GENERIC, capture=django_capture_on_commit_callbacks)
    assert "limit" in response.content.decode()
    assert ImportBatch.objects.count() == 0


def test_progress_fragment_polls_while_running_and_refreshes_when_done(side_a, coordinator_a) -> None:
    batch = ImportBatch.objects.create(
        district=side_a.district, uploaded_by=side_a.coordinator, file_name="f.csv", file_format="generic",
        payload=b"x", sha256="0", status=ImportBatch.Status.IMPORTING, progress=40, stage="Saving results",
    )  # fmt: skip
    url = reverse("score_import_progress", args=[batch.pk])
    running = coordinator_a.get(url)
    assert 'hx-trigger="every 1s"' in running.content.decode()
    assert 'aria-valuenow="40"' in running.content.decode()
    ImportBatch.objects.filter(pk=batch.pk).update(status=ImportBatch.Status.DONE, progress=100)
    done = coordinator_a.get(url + "?was=running")
    assert done["HX-Refresh"] == "true"
    assert "hx-trigger" not in done.content.decode()


def test_import_pages_are_for_coordinators(side_a, leader_a, site_admin_a) -> None:
    assert leader_a.get(reverse("score_import_list")).status_code == 403
    assert site_admin_a.get(reverse("score_import_list")).status_code == 403


def test_outsider_gets_404_for_an_import_and_nothing_changes(side_a, coordinator_b) -> None:
    batch = ImportBatch.objects.create(
        district=side_a.district, uploaded_by=side_a.coordinator, file_name="f.csv", file_format="generic",
        payload=b"x", sha256="0", status=ImportBatch.Status.PREVIEW,
    )  # fmt: skip
    assert coordinator_b.get(reverse("score_import_detail", args=[batch.pk])).status_code == 404
    assert coordinator_b.post(reverse("score_import_start", args=[batch.pk])).status_code == 404
    assert (
        coordinator_b.post(
            reverse("score_import_map_school", args=[batch.pk]),
            {"school_1": side_a.school.pk},
        ).status_code
        == 404
    )
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.PREVIEW
    assert SchoolNameMapping.objects.count() == 0


@pytest.mark.parametrize("count", [5, 30])
def test_import_list_query_count_is_pinned(side_a, coordinator_a, django_assert_num_queries, count) -> None:
    coordinator_a.get(reverse("score_import_list"))
    for n in range(count):
        ImportBatch.objects.create(
            district=side_a.district, uploaded_by=side_a.coordinator, file_name=f"f{n}.csv",
            file_format="generic", payload=b"x", sha256="0",
        )  # fmt: skip
    with django_assert_num_queries(4):
        coordinator_a.get(reverse("score_import_list"))


def test_coordinator_changes_a_rule_and_tiers_follow(
    side_a, coordinator_a, django_capture_on_commit_callbacks
) -> None:
    upload(coordinator_a, GENERIC, capture=django_capture_on_commit_callbacks)
    batch = ImportBatch.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        coordinator_a.post(reverse("score_import_start", args=[batch.pk]))
    response = coordinator_a.post(
        reverse("score_rule_list"),
        {"subject": "reading", "measure": "", "method": "category", "tier3_below": 10, "tier2_below": 25,
         "category_lines": "Anything = 1"},
    )  # fmt: skip
    assert response.status_code == 302
    assert set(StudentResult.objects.filter(subject="reading").values_list("tier", flat=True)) == {None}


def test_outsider_cannot_change_or_remove_a_rule(side_a, coordinator_b) -> None:
    from data_reviews.models import DecisionRule

    rule = DecisionRule.objects.create(district=side_a.district, subject="reading", tier3_below=5)
    assert coordinator_b.get(reverse("score_rule_list") + f"?rule={rule.pk}").status_code == 404
    assert coordinator_b.post(reverse("score_rule_delete", args=[rule.pk])).status_code == 404
    assert DecisionRule.objects.get(pk=rule.pk).tier3_below == 5


def test_changing_a_rules_subject_moves_the_rule(side_a, coordinator_a) -> None:
    from data_reviews.models import DecisionRule

    rule = DecisionRule.objects.create(district=side_a.district, subject="reading", tier3_below=5)
    response = coordinator_a.post(
        reverse("score_rule_list") + f"?rule={rule.pk}",
        {"subject": "math", "measure": "", "method": "percentile", "tier3_below": 5, "tier2_below": 20},
    )
    assert response.status_code == 302
    assert list(DecisionRule.objects.values_list("subject", "tier2_below")) == [("math", 20)]
