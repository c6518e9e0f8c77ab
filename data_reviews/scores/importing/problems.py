"""The problems that stop an import: each row's, counted, and grouped for the report."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd

from data_reviews.scores.importing.reading import ROW

MAX_PROBLEMS_KEPT = 5000
# A file with one misspelt school repeats its problem on thousands of rows: the report shows each
# kind of problem once, with its row count and its first rows.
MAX_PROBLEM_GROUPS = 100
EXAMPLE_ROWS = 5

SCHOOL_UNMATCHED = "This school matches no school in the district."
STUDENT_ID_MISSING = "The student ID is missing."


@dataclass
class Problem:
    row: int
    column: str
    value: str
    reason: str

    def as_dict(self) -> dict[str, Any]:
        return {"row": self.row, "column": self.column, "value": self.value, "reason": self.reason}


@dataclass
class Problems:
    """What finish() keeps of a file's problems."""

    kept: list[Problem]
    count: int
    rows: set[int]
    groups: list[dict[str, Any]]


def where(frame: pd.DataFrame, mask: pd.Series, column: str, values: pd.Series, reason: str) -> list:
    if not mask.any():
        return []
    rows = frame.loc[mask, ROW].tolist()
    shown = values[mask].astype(str).str.slice(0, 80).tolist()
    return [Problem(int(r), column, v, reason) for r, v in zip(rows, shown, strict=True)]


def group_problems(problems: list[Problem]) -> list[dict[str, Any]]:
    """One entry per kind of problem (per school name for schools that match nothing), the most
    frequent first, each with its number of rows and its first rows as examples."""
    groups: dict[tuple[str, str, str], dict[str, Any]] = {}
    for problem in sorted(problems, key=lambda p: (p.row, p.column)):
        value = problem.value if problem.reason == SCHOOL_UNMATCHED else ""
        group = groups.get((problem.column, problem.reason, value))
        if group is None:
            label = f"School “{value}” matched nothing" if value else problem.reason.rstrip(".")
            group = groups[(problem.column, problem.reason, value)] = {
                "column": problem.column,
                "reason": problem.reason,
                "value": value,
                "label": label,
                "rows": 0,
                "examples": [],
            }
        group["rows"] += 1
        if len(group["examples"]) < EXAMPLE_ROWS:
            group["examples"].append(problem.row)
    ordered = sorted(groups.values(), key=lambda g: (-g["rows"], g["examples"][0]))
    return ordered[:MAX_PROBLEM_GROUPS]


def finish(problems: list[Problem]) -> Problems:
    """The counts, the groups and the first rows of the report, and the rows with problems."""
    problems.sort(key=lambda p: (p.row, p.column))
    return Problems(
        kept=problems[:MAX_PROBLEMS_KEPT],
        count=len(problems),
        rows={p.row for p in problems},
        groups=group_problems(problems),
    )
