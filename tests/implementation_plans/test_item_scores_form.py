"""The capacity assessment's score sheet reads every item's score and notes through one form."""

from __future__ import annotations

from types import SimpleNamespace

from implementation_plans.plan.forms import NOTES_LIMIT, ItemScoresForm

ITEMS = [SimpleNamespace(pk=11, number=1), SimpleNamespace(pk=12, number=2)]


def test_scores_and_notes_by_item():
    form = ItemScoresForm({"score-11": "2", "notes-11": " Budget set ", "score-12": ""}, items=ITEMS)
    assert form.is_valid()
    assert form.scores() == {11: (2, " Budget set "), 12: (None, "")}


def test_a_score_outside_the_rubric_names_its_item():
    form = ItemScoresForm({"score-11": "1", "score-12": "7"}, items=ITEMS)
    assert not form.is_valid()
    assert form.messages() == ["Item 2: score with 0, 1 or 2."]


def test_notes_past_the_limit_are_cut_to_it():
    form = ItemScoresForm({"notes-11": "x" * (NOTES_LIMIT + 5)}, items=ITEMS)
    assert form.is_valid()
    assert form.scores()[11] == (None, "x" * NOTES_LIMIT)
