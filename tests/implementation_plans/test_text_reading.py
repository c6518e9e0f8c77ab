"""A process draft's text as a leader reads it in the changes view: words, not Markdown marks."""

import pytest

from implementation_plans.processes.text import diff_sections, reading_text


@pytest.mark.parametrize(
    ("markdown", "reads"),
    [
        ("Store it in snake_case_name", "Store it in snake_case_name"),
        ("K_3 and K_5 students", "K_3 and K_5 students"),
        ("Grades K_3: _all_ readers", "Grades K_3: all readers"),
        ("_Every_ school, __every__ term", "Every school, every term"),
        ("A **bold** and *slanted* `code_word`", "A bold and slanted code_word"),
        ("(_see the handbook_)", "(see the handbook)"),
    ],
)
def test_reading_text_drops_emphasis_marks_but_keeps_underscores_inside_words(
    markdown: str, reads: str
) -> None:
    assert reading_text(markdown) == reads


def test_reading_text_keeps_bullets_headings_and_link_words() -> None:
    text = "## Screening_window\n- Fall for K_3\n> See [the guide](https://example.org/guide_v2)"

    assert reading_text(text) == "Screening_window\n• Fall for K_3\nSee the guide"


def test_a_changed_underscore_shows_as_a_change() -> None:
    sections = [{"key": "who", "heading": "Who"}]

    [diff] = diff_sections(sections, {"who": "Grades K_3"}, {"who": "Grades K_5"})

    assert diff.changed
    assert [(p.op, p.text) for p in diff.pieces] == [
        ("same", "Grades "),
        ("removed", "K_3"),
        ("added", "K_5"),
    ]
