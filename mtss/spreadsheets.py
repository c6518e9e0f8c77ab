"""The one rule for cells in CSV and XLSX downloads (QUALITY.md S9)."""

from __future__ import annotations

from typing import Any

# A spreadsheet runs text starting with one of these as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: Any) -> Any:
    """Text a spreadsheet would run as a formula gets a leading apostrophe; numbers stay numbers."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value
