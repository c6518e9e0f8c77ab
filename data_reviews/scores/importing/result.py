"""What a check of a file found: the rows an import would write and everything that stops it."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from data_reviews.scores.importing import problems as found_problems
from data_reviews.scores.importing.problems import Problem


@dataclass
class Preview:
    """What an import would write, and everything that stops it."""

    frame: pd.DataFrame
    problems: list[Problem] = field(default_factory=list)
    problem_count: int = 0
    problem_rows: int = 0
    problem_groups: list[dict[str, Any]] = field(default_factory=list)
    unmatched_schools: dict[str, int] = field(default_factory=dict)
    school_suggestions: dict[str, int] = field(default_factory=dict)
    set_aside: dict[str, int] = field(default_factory=dict)
    rows_read: int = 0
    columns: list[str] = field(default_factory=list)
    missing_fields: list[str] = field(default_factory=list)
    kind: str = "scores"
    # "csv" or "xlsx" for each file, as its one check found it.
    file_kinds: list[str] = field(default_factory=list)
    # Results for students the district's roster does not list; None when it has no roster.
    not_on_roster: int | None = None

    @property
    def ok(self) -> bool:
        return self.problem_count == 0 and not self.missing_fields and self.rows_read > 0

    def summary(self, school_names: Mapping[int, str] | None = None) -> dict[str, Any]:
        frame = self.frame
        names = school_names or {}
        if frame.empty:
            schools: dict[str, int] = {}
        else:
            counts = frame["school_id"].value_counts()
            schools = {names.get(int(k), str(k)): int(v) for k, v in counts.items()}
        out: dict[str, Any] = {
            "kind": self.kind,
            "schools": dict(sorted(schools.items())),
            "unmatched_schools": self.unmatched_schools,
            "school_suggestions": self.school_suggestions,
            "set_aside": self.set_aside,
            "columns": self.columns,
            "missing_fields": self.missing_fields,
            "problem_count": self.problem_count,
            "problem_rows": self.problem_rows,
            "problem_groups": self.problem_groups,
            "file_kinds": self.file_kinds,
        }
        if self.not_on_roster is not None:
            out["not_on_roster"] = self.not_on_roster
        if self.kind == "scores" and not frame.empty:
            periods = frame.groupby(["school_year", "window"]).size()
            out["windows"] = {f"{w.title()} {y}-{(y + 1) % 100:02d}": int(n) for (y, w), n in periods.items()}
            out["subjects"] = {
                str(k): int(v) for k, v in frame["subject"].value_counts().sort_index().items()
            }
            out["tiers"] = {
                "Tier 1": int((frame["tier"] == 1).sum()),
                "Tier 2": int((frame["tier"] == 2).sum()),
                "Tier 3": int((frame["tier"] == 3).sum()),
                "No data": int(frame["tier"].isna().sum()),
            }
        elif not frame.empty:
            out["months"] = sorted({m.strftime("%Y-%m") for m in frame["month"]})
        return out

    def record_problems(self, problems: list[Problem]) -> set[int]:
        """Keep the counts, the groups and the first rows of the report; return the rows with problems."""
        kept = found_problems.finish(problems)
        self.problems, self.problem_count = kept.kept, kept.count
        self.problem_rows, self.problem_groups = len(kept.rows), kept.groups
        return kept.rows
