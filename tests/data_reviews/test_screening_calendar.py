"""A test date maps to a screening window by the district's own calendar when it has one."""

from __future__ import annotations

import pandas as pd
import pytest

from data_reviews.models import ScreeningWindow, StudentResult
from data_reviews.scores import services
from data_reviews.scores.importing import Upload
from data_reviews.scores.importing.normalise import school_year_from_dates, window_from_dates
from data_reviews.screening_calendar import SchoolCalendar

# A district whose year starts August 10, with fall in September, winter from January 20 and
# spring from April 15.
CALENDAR = SchoolCalendar(
    start_month=8,
    start_day=10,
    windows=(("spring", 4, 15), ("fall", 9, 1), ("winter", 1, 20)),
)


def _dates(*texts: str) -> pd.Series:
    return pd.to_datetime(pd.Series(texts))


def test_without_windows_the_usual_rule_holds():
    dates = _dates("2025-11-30", "2025-12-01", "2026-03-01", "2026-07-31")
    assert list(window_from_dates(dates)) == ["fall", "winter", "spring", "spring"]
    assert list(window_from_dates(dates, SchoolCalendar())) == ["fall", "winter", "spring", "spring"]
    assert list(school_year_from_dates(_dates("2025-07-01", "2025-06-30"))) == [2025.0, 2024.0]


def test_a_date_belongs_to_the_window_that_opened_last_before_it():
    dates = _dates(
        "2025-12-15",  # after fall closed, before winter opened: a fall make-up
        "2026-01-20",  # the day winter opens
        "2026-03-01",  # the usual rule says spring; this district is still in winter
        "2026-04-15",
        "2026-08-12",  # the next school year has begun, before its fall window: the first window
        "2026-08-05",  # the end of this school year: spring
    )
    assert list(window_from_dates(dates, CALENDAR)) == [
        "fall",
        "winter",
        "winter",
        "spring",
        "fall",
        "spring",
    ]


def test_the_school_year_follows_the_districts_start_day():
    dates = _dates("2025-08-09", "2025-08-10", "2026-02-01", pd.NaT)
    years = list(school_year_from_dates(dates, CALENDAR))
    assert years[:3] == [2024.0, 2025.0, 2025.0]
    assert pd.isna(years[3])


def test_python_rule_and_frame_rule_agree():
    days = pd.date_range("2025-08-10", "2026-08-09", freq="D")
    frame = list(window_from_dates(pd.Series(days), CALENDAR))
    one_by_one = [CALENDAR.window_of(day.month, day.day) for day in days]
    assert frame == one_by_one


@pytest.mark.django_db
def test_an_import_places_a_test_date_in_the_districts_custom_window(
    side_a, celery_eager, django_capture_on_commit_callbacks
):
    district = side_a.district
    district.school_year_start_month, district.school_year_start_day = 8, 1
    district.save()
    for window, opens, closes in (
        ("fall", (9, 1), (10, 15)),
        ("winter", (1, 20), (3, 15)),
        ("spring", (4, 15), (5, 30)),
    ):
        ScreeningWindow.objects.create(
            district=district,
            window=window,
            opens_month=opens[0],
            opens_day=opens[1],
            closes_month=closes[0],
            closes_day=closes[1],
        )
    data = (
        b"student id,school,grade,subject,date,score,percentile\n"
        b"5001,A Lakeside Elementary,K,Reading,3/3/2026,31,8\n"
        b"5002,A Lakeside Elementary,K,Reading,7/20/2026,44,22\n"
    )
    with django_capture_on_commit_callbacks(execute=True):
        batch = services.import_batch_create(
            district=district,
            member=side_a.membership(side_a.coordinator),
            file_format="generic",
            uploads=[Upload("s.csv", data)],
        )
    with django_capture_on_commit_callbacks(execute=True):
        services.import_batch_start(batch=batch)
    placed = dict(StudentResult.objects.values_list("student_id", "window"))
    years = set(StudentResult.objects.values_list("school_year", flat=True))
    # March 3 is spring by the usual rule; in this district winter runs until April 15.
    assert placed == {"5001": "winter", "5002": "spring"}
    assert years == {2025}
