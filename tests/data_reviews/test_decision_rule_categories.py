"""A decision rule by category: each vendor category the district names gets the tier it names."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from data_reviews.models import ImportBatch, StudentResult

HEADER = "student id,school,grade,subject,window,school year,date,score,percentile,benchmark category\n"
ROWS = [
    ("6001", "Reading", "60", "Low Risk"),
    ("6002", "Reading", "30", "Some Risk"),
    ("6003", "Reading", "5", "High Risk"),
    ("6004", "Math", "60", "High Risk"),
]
CSV = (
    HEADER
    + "".join(
        f"{sid},A01,3,{subject},Fall,2025-2026,9/16/2025,40,{pct},{cat}\n" for sid, subject, pct, cat in ROWS
    )
).encode()


@pytest.fixture(autouse=True)
def _eager(celery_eager: None) -> None:
    """The import tasks run in-process."""


def tiers() -> dict[str, int | None]:
    return dict(StudentResult.objects.values_list("student_id", "tier"))


def test_each_category_gets_the_tier_the_district_rule_names(
    side_a, coordinator_a, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        coordinator_a.post(
            reverse("score_import_list"),
            {"file_format": "generic", "data_file": SimpleUploadedFile("risk.csv", CSV)},
        )
    batch = ImportBatch.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        coordinator_a.post(reverse("score_import_start", args=[batch.pk]))
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.DONE
    before = tiers()
    assert before == {"6001": 1, "6002": 1, "6003": 3, "6004": 1}  # by percentile, the default

    # The district reads its vendor's categories one tier stricter than the default.
    with django_capture_on_commit_callbacks(execute=True):
        response = coordinator_a.post(
            reverse("score_rule_list"),
            {"subject": "reading", "measure": "", "method": "category", "tier3_below": 10, "tier2_below": 25,
             "category_lines": "Low Risk = 2\nSome Risk = 3\nHigh Risk = 3"},
        )  # fmt: skip
    assert response.status_code == 302
    assert tiers() == {"6001": 2, "6002": 3, "6003": 3, "6004": 1}  # math keeps its default rule
