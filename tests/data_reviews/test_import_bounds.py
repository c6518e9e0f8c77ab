"""Files that claim or hold far more than any export: refused with a plain message before a reader
builds them, in the web request and again in the worker."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from data_reviews import tasks
from data_reviews.models import ImportBatch
from data_reviews.scores import services
from data_reviews.scores.importing import SchoolIndex, Upload, UploadRefused, check_upload, preview
from tests.data_reviews.workbook_files import (
    HEADER,
    ROW_2,
    dimension_bomb,
    header_and_one_row,
    sheet,
    text_cell,
    workbook,
)

BASE_DIR = Path(__file__).resolve().parents[2]
LIMIT = 25 * 1024 * 1024
SCHOOLS = SchoolIndex([(1, "A Lakeside Elementary", "A01")])


def run(upload: Upload):
    return preview([upload], file_format="generic", schools=SCHOOLS, max_bytes=LIMIT)


def test_dimension_bomb_is_refused_before_any_reader_opens_it() -> None:
    data = dimension_bomb()
    assert len(data) < 5000
    with pytest.raises(UploadRefused) as refusal:
        check_upload(Upload("map.xlsx", data), max_bytes=LIMIT)
    message = str(refusal.value)
    assert "map.xlsx has cells as far as XFD1048576 (1,048,576 rows by 16,384 columns)" in message
    assert "at most 1,000,000 rows, 500 columns" in message
    assert "Delete the rows and columns past your data" in message


def test_dimension_bomb_is_refused_by_a_process_held_under_a_small_memory_ceiling(tmp_path) -> None:
    """The whole preview, in a process that cannot take more than 1.5 GB: a reader that built
    the sheet would fail or abort there, and the refusal would not be printed."""
    path = tmp_path / "map.xlsx"
    path.write_bytes(dimension_bomb())
    script = textwrap.dedent(
        """
        import resource, sys
        resource.setrlimit(resource.RLIMIT_AS, (3 << 29, 3 << 29))
        from data_reviews.scores.importing import SchoolIndex, Upload, UploadRefused, preview
        data = open(sys.argv[1], "rb").read()
        try:
            upload = Upload("map.xlsx", data)
            preview([upload], file_format="generic", schools=SchoolIndex([]), max_bytes=10**7)
        except UploadRefused as refusal:
            print(refusal)
        """
    )
    result = subprocess.run(
        [sys.executable, "-c", script, str(path)],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=BASE_DIR,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert "has cells as far as XFD1048576" in result.stdout


def test_a_dimension_tag_claiming_the_whole_grid_over_a_small_sheet_is_not_believed() -> None:
    data = workbook(sheet(header_and_one_row(), dimension="A1:XFD1048576"))
    result = run(Upload("scores.xlsx", data))
    assert result.columns == list(HEADER)
    assert result.frame["student_id"].tolist() == [ROW_2[0]]


def test_cells_without_references_are_placed_one_after_another_and_counted() -> None:
    narrow = "<row>" + "".join(f'<c t="inlineStr"><is><t>{v}</t></is></c>' for v in HEADER) + "</row>"
    narrow += "<row>" + "".join(f'<c t="inlineStr"><is><t>{v}</t></is></c>' for v in ROW_2) + "</row>"
    result = run(Upload("scores.xlsx", workbook(sheet(narrow))))
    assert result.columns == list(HEADER)
    assert result.frame["student_id"].tolist() == [ROW_2[0]]
    wide = "<row>" + "<c><v>1</v></c>" * 501 + "</row>"
    with pytest.raises(UploadRefused, match=r"as far as SG1 \(1 rows by 501 columns\)"):
        check_upload(Upload("scores.xlsx", workbook(sheet(wide))), max_bytes=LIMIT)


def test_a_bomb_with_prefixed_tags_or_a_sheet_stored_outside_worksheets_is_refused() -> None:
    prefixed = (
        '<?xml version="1.0"?><x:worksheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        '<x:sheetData><x:row r="1"><x:c r="A1"><x:v>1</x:v></x:c></x:row><x:row r="900000">'
        '<x:c r="ZZ900000"><x:v>1</x:v></x:c></x:row></x:sheetData></x:worksheet>'
    )
    with pytest.raises(UploadRefused, match="as far as ZZ900000"):
        check_upload(Upload("scores.xlsx", workbook(prefixed)), max_bytes=LIMIT)
    elsewhere = workbook(sheet(text_cell("A1", "id") + text_cell("AAA9", "x")), sheet_target="data/s.xml")
    with pytest.raises(UploadRefused, match="as far as AAA9"):
        check_upload(Upload("scores.xlsx", elsewhere), max_bytes=LIMIT)


def test_a_workbook_with_xml_entities_in_its_sheet_is_refused() -> None:
    entities = '<?xml version="1.0"?><!DOCTYPE w [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>'
    bomb = sheet('<row r="1"><c r="A1" t="inlineStr"><is><t>&b;</t></is></c></row>')
    data = workbook(entities + bomb.removeprefix('<?xml version="1.0"?>'))
    with pytest.raises(UploadRefused, match="could not be read as an Excel workbook"):
        run(Upload("scores.xlsx", data))


def test_the_exact_count_of_a_sheet_without_cell_references_refuses_xml_entities() -> None:
    entities = '<?xml version="1.0"?><!DOCTYPE w [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>'
    bomb = sheet('<row><c t="inlineStr"><is><t>&b;</t></is></c></row>')
    data = workbook(entities + bomb.removeprefix('<?xml version="1.0"?>'))
    with pytest.raises(UploadRefused, match="is damaged and cannot be opened as a workbook"):
        check_upload(Upload("scores.xlsx", data), max_bytes=LIMIT)


def test_a_workbook_as_wide_and_long_as_real_exports_is_read() -> None:
    names = [f"Measure {i}" for i in range(150)]
    rows = (
        "<row r='1'>" + "".join(text_cell(f"{_letters(i + 1)}1", n) for i, n in enumerate(names)) + "</row>"
    )
    for r in range(2, 402):
        rows += f'<row r="{r}">' + "".join(f'<c r="{_letters(i + 1)}{r}"><v>{i}</v></c>' for i in range(150))
        rows += "</row>"
    result = run(Upload("export.xlsx", workbook(sheet(rows))))
    assert len(result.columns) == 150
    assert result.rows_read == 400


def _letters(number: int) -> str:
    letters = ""
    while number:
        number, remainder = divmod(number - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def test_a_csv_with_fifty_thousand_columns_is_refused_before_its_body_is_parsed() -> None:
    header = ",".join(f"c{i}" for i in range(50_000))
    data = (header + "\n" + "," * 49_999 + "\n").encode()
    with pytest.raises(UploadRefused) as refusal:
        check_upload(Upload("wide.csv", data), max_bytes=LIMIT)
    assert str(refusal.value).startswith("wide.csv has 50,000 columns; an import reads at most 500")


def test_a_csv_of_millions_of_short_lines_under_a_wide_header_is_refused() -> None:
    header = ",".join(f"c{i}" for i in range(20))
    data = (header + "\n" + ",\n" * 600_000).encode()
    with pytest.raises(UploadRefused, match="600,001 lines of 20 columns"):
        check_upload(Upload("long.csv", data), max_bytes=LIMIT)


def test_a_csv_with_quoted_commas_in_its_header_counts_fields_not_commas() -> None:
    header = ",".join(f'"name, part {i}"' for i in range(400))
    check_upload(Upload("quoted.csv", (header + "\n1\n").encode()), max_bytes=LIMIT)


@pytest.fixture
def _eager(celery_eager: None) -> None:
    """The import tasks run in-process."""


@pytest.mark.usefixtures("_eager")
def test_the_service_refuses_a_bomb_and_stores_nothing(side_a) -> None:
    with pytest.raises(UploadRefused, match="XFD1048576"):
        services.import_batch_create(
            district=side_a.district,
            member=side_a.membership(side_a.coordinator),
            file_format="generic",
            uploads=[Upload("map.xlsx", dimension_bomb())],
        )
    assert not ImportBatch.objects.exists()


@pytest.mark.usefixtures("_eager")
def test_a_bomb_already_stored_ends_failed_with_the_reason_when_checked(side_a) -> None:
    batch = ImportBatch.objects.create(
        district=side_a.district,
        uploaded_by=side_a.coordinator,
        file_name="map.xlsx",
        file_format="generic",
        payload=dimension_bomb(),
        sha256="0" * 64,
    )
    tasks.check_import(batch.pk)
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.FAILED
    assert "as far as XFD1048576" in batch.problems[0]["reason"]


@pytest.mark.usefixtures("_eager")
@pytest.mark.parametrize(
    ("name", "data", "says"),
    [
        ("map.xlsx", dimension_bomb(), "has cells as far as XFD1048576"),
        ("wide.csv", (",".join(f"c{i}" for i in range(50_000)) + "\n").encode(), "has 50,000 columns"),
    ],
)
def test_the_import_page_refuses_a_bomb_or_wide_file_and_keeps_the_form(
    side_a, coordinator_a, name: str, data: bytes, says: str
) -> None:
    response = coordinator_a.post(
        reverse("score_import_list"),
        {"file_format": "nwea_map", "data_file": SimpleUploadedFile(name, data)},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert says in page
    assert 'value="nwea_map" selected' in page
    assert not ImportBatch.objects.exists()


def test_the_mapping_page_of_a_file_stored_with_fifty_thousand_columns_offers_a_bounded_list(
    side_a, coordinator_a
) -> None:
    """A file stored before the column bound: its page offers the first 500 columns (and the one
    a saved mapping already uses), not 12 lists of 50,000."""
    columns = [f"Column {i}" for i in range(50_000)]
    batch = ImportBatch.objects.create(
        district=side_a.district,
        uploaded_by=side_a.coordinator,
        file_name="wide.csv",
        file_format="generic",
        payload=b"x",
        sha256="0" * 64,
        status=ImportBatch.Status.PROBLEMS,
        summary={"kind": "scores", "columns": columns, "missing_fields": ["student_id"]},
        column_mapping={"school": "Column 40000"},
    )
    response = coordinator_a.get(reverse("score_import_detail", args=[batch.pk]))
    page = response.content.decode()
    assert len(page) < 1_000_000
    assert page.count('<option value="Column 499">') == 12
    assert '<option value="Column 500">' not in page
    assert '<option value="Column 40000" selected>' in page
