"""The one rule for cells in CSV and XLSX downloads (docs/quality.md S9)."""

from __future__ import annotations

from typing import Any

# A spreadsheet runs text starting with one of these as a formula. The full-width equals, plus,
# minus and at signs (U+FF1D, U+FF0B, U+FF0D, U+FF20) count too: spreadsheets set up for East Asian
# input read them as the ASCII signs.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")


def neutralise(value: Any) -> Any:
    """Text a spreadsheet would run as a formula gets a leading apostrophe; numbers stay numbers."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value
