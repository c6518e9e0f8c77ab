"""Tier rules, snapshots and the plain-language summary, on small frames."""

from __future__ import annotations

import numpy as np
import pandas as pd

from data_reviews.scores.analysis import Rule, compute_tiers, distribution, plain_summary, tier_snapshots


def frame(**columns) -> pd.DataFrame:
    size = len(next(iter(columns.values())))
    base = {"subject": ["reading"] * size, "measure": [""] * size, "percentile": [np.nan] * size,
            "benchmark_category": [""] * size}  # fmt: skip
    return pd.DataFrame({**base, **columns})


def test_default_percentile_rule_boundaries() -> None:
    tiers = compute_tiers(frame(percentile=[1, 9.9, 10, 24.9, 25, 99, np.nan]))
    assert tiers.tolist()[:6] == [3, 3, 2, 2, 1, 1]
    assert np.isnan(tiers.iloc[6])


def test_vendor_categories_decide_without_percentile() -> None:
    categories = ["Well Below Benchmark", "below benchmark", "At or Above Benchmark",
                  "Two Grade Levels Below", "Some Risk", "Unknown label"]  # fmt: skip
    tiers = compute_tiers(frame(benchmark_category=categories))
    assert tiers.tolist()[:5] == [3, 2, 1, 3, 2]
    assert np.isnan(tiers.iloc[5])


def test_measure_rule_overrides_subject_rule() -> None:
    data = frame(percentile=[15, 15], measure=["FastBridge", "NWEA MAP Growth"])
    rules = [
        Rule(subject="reading", measure="", method="percentile", tier3_below=20, tier2_below=40),
        Rule(subject="reading", measure="fastbridge", method="percentile", tier3_below=5, tier2_below=10),
    ]
    assert compute_tiers(data, rules).tolist() == [1, 3]


def test_snapshots_count_no_data_and_hide_small_groups() -> None:
    results = pd.DataFrame(
        {
            "school_id": [1] * 12,
            "grade": ["K"] * 6 + ["1"] * 6,
            "subject": ["reading"] * 12,
            "school_year": [2025] * 12,
            "window": ["fall"] * 12,
            "tier": [1, 1, 2, 3, np.nan, 1] + [1] * 6,
            "student_groups": [["English learners"]] * 11 + [["Asian"]],
        }
    )
    snapshots = tier_snapshots(results)
    kinder = snapshots[(snapshots["grade"] == "K") & (snapshots["student_group"] == "")].iloc[0]
    assert (kinder.tier1, kinder.tier2, kinder.tier3, kinder.no_data) == (3, 1, 1, 1)
    assert set(snapshots["student_group"]) == {"", "English learners"}


def trend(rows: list[tuple]) -> pd.DataFrame:
    snaps = pd.DataFrame(rows, columns=["school_year", "window", "tier1", "tier2", "tier3", "no_data"])
    return distribution(snaps, ["school_year", "window"])


def test_summary_compares_with_the_previous_window() -> None:
    data = trend([(2025, "fall", 65, 23, 12, 0), (2025, "winter", 71, 17, 12, 0)])
    text = plain_summary(
        place="Three Sisters Elementary", subject="reading", trend=data, school_year=2025, window="winter"
    )
    assert text == (
        "In winter, 71% of Three Sisters Elementary students were at Tier 1 in reading, "
        "up 6 points from fall; 12% need intensive support, above the 5% guide."
    )


def test_summary_for_fall_compares_with_last_spring_and_notes_a_healthy_tier3() -> None:
    data = trend([(2024, "spring", 82, 14, 4, 0), (2025, "fall", 80, 16, 4, 2)])
    text = plain_summary(place="Lakeview", subject="math", trend=data, school_year=2025, window="fall")
    assert "down 2 points from last spring" in text
    assert "4% need intensive support, below the 5% guide." in text
    assert "2 students had no usable result." in text


def test_summary_without_results_says_so() -> None:
    text = plain_summary(place="Lakeview", subject="math", trend=trend([]), school_year=2025, window="fall")
    assert text == "No math results for Lakeview in Fall 2025-26 yet."
