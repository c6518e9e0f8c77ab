"""Labels use the users' words, in full and in US English."""

from __future__ import annotations

import re
import tokenize
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from coordinators.models import Student
from meetings.models import AgendaItem
from tests.data_reviews.score_factories import TierSnapshotFactory
from tests.implementation_plans.plan_factories import AssessmentItemFactory, InitiativeFactory
from tests.meetings.factories import make_meeting

pytestmark = pytest.mark.django_db

BRITISH = re.compile(
    r"behaviour|programme|organis|colour|centre|favour|recognis|analys(e|es|ed|ing)\b|practis(e|ed|es|ing)|realis(e|ed|es|ing|ation)|signall"
    r"|enrolment|catalogue|judgement|licence|honour|labour"
    r"|modell|travell|prioritis|summaris|apologis|utilis|categoris|finalis|authoris|customis|visualis"
    r"|fulfil\b|defence|cheque|\bmaths\b",
    re.IGNORECASE,
)
# Names in code and stored values that other code, saved URLs or migrations depend on.
KEPT_NAMES = re.compile(
    r"\bbehaviour\b(?=\W*[=:\"'&]|\?)|measure=behaviour|processes\.catalogue|catalogue import"
)
TEXT_FOLDERS = ["templates", "mtss", "coordinators", "meetings", "implementation_plans", "data_reviews"]


def _british_words_in_templates() -> list[str]:
    found = []
    for folder in TEXT_FOLDERS:
        for path in (Path(settings.BASE_DIR) / folder).rglob("*"):
            if path.suffix in {".html", ".txt"}:
                for number, line in enumerate(path.read_text().splitlines(), 1):
                    if BRITISH.search(KEPT_NAMES.sub("", line)):
                        found.append(f"{path.relative_to(settings.BASE_DIR)}:{number}: {line.strip()[:120]}")
    return found


def _british_words_in_python_strings() -> list[str]:
    found = []
    for folder in TEXT_FOLDERS[1:]:
        for path in (Path(settings.BASE_DIR) / folder).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            with path.open() as source:
                for token in tokenize.generate_tokens(source.readline):
                    if token.type != tokenize.STRING or token.string.startswith(('"""', "'''")):
                        continue  # docstrings are for programmers; labels and messages are plain strings
                    text = KEPT_NAMES.sub("", token.string)
                    if re.fullmatch(r"[rbuf]*['\"](behaviour|maths)['\"]", token.string):
                        continue  # a field or choice name, or a vendor's word the import reads, not a label
                    if BRITISH.search(text):
                        found.append(
                            f"{path.relative_to(settings.BASE_DIR)}:{token.start[0]}: {token.string[:120]}"
                        )
    return found


def test_templates_are_in_us_english():
    assert _british_words_in_templates() == []


def test_strings_in_the_code_are_in_us_english():
    assert _british_words_in_python_strings() == []


def test_initiative_scores_are_named_in_full(side_a, coordinator_a):
    InitiativeFactory(district=side_a.district, name="Reading tutors", resources=5, need=4)
    page = coordinator_a.get(reverse("initiative_list")).text
    assert "Resources 5" in page
    assert "Need 4" in page
    assert "Reso 5" not in page


def test_capacity_scores_show_what_0_1_and_2_mean(side_a, coordinator_a, leader_a):
    item = AssessmentItemFactory(assessment__district=side_a.district, score=1)
    url = reverse("capacity_detail", args=[item.assessment.pk])
    editing = coordinator_a.get(url).text
    assert "0 = not in place, 1 = partially in place, 2 = fully in place" in editing
    assert '<option value="1" selected>1 = partially in place</option>' in editing
    reading = leader_a.get(url).text
    assert "1 = partially in place" in reading


def test_meeting_page_calls_durations_planned_minutes(side_a, coordinator_a):
    meeting = make_meeting(side_a.district, side_a.coordinator)
    AgendaItem.objects.create(meeting=meeting, title="Data review", minutes_planned=20, position=1)
    page = coordinator_a.get(reverse("meeting_detail", args=[meeting.pk])).text
    assert "Planned minutes for Data review" in page
    assert re.search(r">\s*Planned minutes\s*<", page)
    assert ">Minutes for Data review<" not in page
    assert "· 20 min planned" in page
    minutes_page = coordinator_a.get(reverse("meeting_minutes", args=[meeting.pk])).text
    assert "· 20 min planned" in minutes_page


def test_dashboards_say_percent_of_students_tested(side_a, coordinator_a):
    TierSnapshotFactory(school=side_a.school, window="fall", tier1=65, tier2=23, tier3=12)
    url = reverse("score_school_dashboard", args=[side_a.school.pk]) + "?subject=reading&period=2025-fall"
    page = coordinator_a.get(url).text
    assert "% of students tested" in page
    assert ">% tested<" not in page


def test_school_staff_see_my_students_and_the_profile_says_what_comes_later(side_a, login_as):
    student = Student.objects.create(
        district=side_a.district, student_number="1", first_name="Ana", last_name="Ruiz", school=side_a.school
    )
    teacher_page = login_as(side_a.school_staff).get(reverse("student_list")).text
    assert ">My students<" in teacher_page
    page = login_as(side_a.coordinator).get(reverse("student_detail", args=[student.pk])).text
    for heading in (
        "Intervention plans",
        "Progress monitoring",
        "Attendance",
        "Behavior",
        "Screening history",
    ):
        assert f">{heading}</h2>" in page
    assert "Student id" in page
