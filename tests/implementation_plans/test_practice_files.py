"""Files in the practice library: checked before they are kept, served only to the district."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from implementation_plans.models import PracticeFile
from implementation_plans.plan.files import MAX_PRACTICE_FILE_BYTES
from mtss.audit.models import AuditEvent
from tests.implementation_plans.plan_factories import PracticeFactory

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _docx(extra_bytes: int = 0) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>" + " " * extra_bytes)
    return buffer.getvalue()


def _upload(client, practice, name: str, content: bytes):
    return client.post(
        reverse("practice_file_upload", args=[practice.pk]), {"file": SimpleUploadedFile(name, content)}
    )


def test_coordinator_adds_a_pdf_and_everyone_in_the_district_downloads_it(
    side_a, coordinator_a, member_a, site_admin_a
):
    practice = PracticeFactory(district=side_a.district)
    response = _upload(coordinator_a, practice, "CICO daily progress report.pdf", PDF)
    assert response.status_code == 302
    stored = PracticeFile.objects.get()
    assert (stored.original_name, stored.content_type, stored.size) == (
        "CICO daily progress report.pdf",
        "application/pdf",
        len(PDF),
    )
    assert "CICO daily progress report.pdf" not in stored.file.name
    assert AuditEvent.objects.filter(action="upload practice file").exists()
    for client in (coordinator_a, member_a, site_admin_a):
        download = client.get(reverse("practice_file_download", args=[stored.pk]))
        assert download.status_code == 200
        assert b"".join(download.streaming_content) == PDF
        assert download["Content-Disposition"].startswith("attachment")
        assert download["X-Content-Type-Options"] == "nosniff"
    assert (
        "CICO daily progress report.pdf" in member_a.get(reverse("practice_detail", args=[practice.pk])).text
    )


def test_word_file_is_accepted(side_a, coordinator_a):
    practice = PracticeFactory(district=side_a.district)
    content = _docx()
    response = _upload(coordinator_a, practice, "Lesson plan.docx", content)
    assert response.status_code == 302
    stored = PracticeFile.objects.get(practice=practice)
    assert (stored.original_name, stored.content_type, stored.size) == (
        "Lesson plan.docx",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        len(content),
    )
    with stored.file.open("rb") as saved:
        assert saved.read() == content
    download = coordinator_a.get(reverse("practice_file_download", args=[stored.pk]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == content


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("renamed.pdf", b"MZ\x90\x00 an executable", "does not contain what its name says"),
        ("script.exe", b"MZ\x90\x00", "not a file type the library keeps"),
        ("bomb.docx", _docx(extra_bytes=20_000_000), "does not contain what its name says"),
        ("empty.pdf", b"", "is empty"),
    ],
)
def test_unsafe_or_mislabelled_files_are_refused_with_a_plain_message(
    side_a, coordinator_a, name, content, message
):
    practice = PracticeFactory(district=side_a.district)
    response = _upload(coordinator_a, practice, name, content)
    assert response.status_code == 400
    assert message in response.text
    assert not PracticeFile.objects.exists()


def test_oversized_file_is_refused_before_it_is_read(side_a, coordinator_a):
    practice = PracticeFactory(district=side_a.district)
    response = _upload(coordinator_a, practice, "big.pdf", PDF + b"0" * MAX_PRACTICE_FILE_BYTES)
    assert response.status_code == 400
    assert "files can be at most 10 MB" in response.text
    assert not PracticeFile.objects.exists()


def test_outsider_gets_404_and_nothing_changes(side_a, side_b, coordinator_a, coordinator_b):
    practice = PracticeFactory(district=side_a.district)
    _upload(coordinator_a, practice, "guide.pdf", PDF)
    stored = PracticeFile.objects.get()
    assert coordinator_b.get(reverse("practice_file_download", args=[stored.pk])).status_code == 404
    assert coordinator_b.post(reverse("practice_file_delete", args=[stored.pk])).status_code == 404
    assert _upload(coordinator_b, practice, "x.pdf", PDF).status_code == 404
    assert PracticeFile.objects.count() == 1


def test_only_coordinators_upload_or_remove(side_a, coordinator_a, member_a, leader_a):
    practice = PracticeFactory(district=side_a.district)
    assert _upload(member_a, practice, "x.pdf", PDF).status_code == 403
    _upload(coordinator_a, practice, "guide.pdf", PDF)
    stored = PracticeFile.objects.get()
    assert leader_a.post(reverse("practice_file_delete", args=[stored.pk])).status_code == 403
    response = coordinator_a.post(reverse("practice_file_delete", args=[stored.pk]))
    assert response.status_code == 302
    assert not PracticeFile.objects.exists()


def test_office_file_of_thousands_of_parts_is_refused_with_the_imports_bounds(side_a, coordinator_a):
    from mtss.workbooks import MAX_ZIP_MEMBERS

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
        for number in range(MAX_ZIP_MEMBERS):
            archive.writestr(f"word/media/p{number}.xml", "")
    practice = PracticeFactory(district=side_a.district)
    response = _upload(coordinator_a, practice, "plan.docx", buffer.getvalue())
    assert response.status_code == 400
    assert "does not contain what its name says (.docx)" in response.text
    assert not PracticeFile.objects.exists()
