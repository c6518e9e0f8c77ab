"""The one CSV and XLSX writer: numbers stay numbers, text a spreadsheet would run does not run."""

from __future__ import annotations

import csv
import io
from datetime import date

import openpyxl

from mtss.spreadsheets import csv_text, xlsx_bytes

ROWS = [["Name", "Students", "Day"], ["=HYPERLINK(1)", 12, date(2026, 10, 5)], [None, -3, "Three Sisters"]]


def test_csv_neutralises_formulas_and_keeps_numbers():
    text = csv_text(ROWS)
    assert list(csv.reader(io.StringIO(text))) == [
        ["Name", "Students", "Day"],
        ["'=HYPERLINK(1)", "12", "2026-10-05"],
        ["", "-3", "Three Sisters"],
    ]


def test_csv_for_excel_starts_with_a_byte_order_mark():
    assert csv_text([["a"]], byte_order_mark=True) == "\ufeffa\r\n"
    assert csv_text([["a"]]) == "a\r\n"


def test_an_object_whose_text_is_a_formula_is_neutralised():
    class Person:
        def __str__(self) -> str:
            return "@SUM(A1:A9)"

    assert csv_text([[Person()]]) == "'@SUM(A1:A9)\r\n"


def test_xlsx_keeps_numbers_dates_and_empty_cells():
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx_bytes(ROWS))).active
    values = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert values[0] == ["Name", "Students", "Day"]
    assert values[1][0] == "'=HYPERLINK(1)"
    assert values[1][1] == 12
    assert values[1][2].date() == date(2026, 10, 5)
    assert values[2][:2] == [None, -3]
