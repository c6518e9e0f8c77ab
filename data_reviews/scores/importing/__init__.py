"""The screener import pipeline, in parts a person can read:

- files: refusing unsafe uploads (size, type, zip and sheet bounds), once per file;
- reading: a checked CSV or XLSX file as a frame of text cells with the spreadsheet's row numbers;
- formats: each vendor's export (and each school-level file) as data;
- normalise: cell text to subjects, grades, windows, school years, dates, numbers and schools;
- problems, result: what stops an import, counted and grouped, and what a check found;
- scores, measures: the row checks of each kind of file; pipeline: `preview()`, the whole check;
- writing: a checked file's rows into the database, all or none (the only part that writes);
- progress: the stage a running check or import has reached, outside any transaction.

Other modules import these names from the package.
"""

from data_reviews.scores.importing.files import (
    MAX_XLSX_UNCOMPRESSED_BYTES,
    Upload,
    UploadRefused,
    check_upload,
    checked,
    decode_text,
)
from data_reviews.scores.importing.formats import (
    ACADIENCE,
    FASTBRIDGE,
    FIELDS,
    FORMATS,
    GENDERS,
    GENERIC,
    GROUP_ALIASES,
    IREADY,
    MEASURE_ALIASES,
    MEASURE_FIELDS,
    MEASURE_FORMATS,
    NWEA_MAP,
    SCORE_REQUIRED,
    YES,
    Format,
    MeasureFormat,
    find_columns,
    format_for,
)
from data_reviews.scores.importing.normalise import (
    GRADE_WORDS,
    SCHOOL_WORD_FORMS,
    SUBJECTS,
    SUGGEST_SCORE,
    WINDOW_WORDS,
    YEAR_PATTERN,
    SchoolIndex,
    normalise_grade,
    normalise_subject,
    parse_dates,
    parse_numbers,
    per_unique,
    school_key,
    school_words,
    school_year_from_dates,
    school_year_from_text,
    window_and_year,
    window_from_dates,
)
from data_reviews.scores.importing.pipeline import PIPELINES, preview
from data_reviews.scores.importing.problems import (
    EXAMPLE_ROWS,
    MAX_PROBLEM_GROUPS,
    MAX_PROBLEMS_KEPT,
    SCHOOL_UNMATCHED,
    STUDENT_ID_MISSING,
    Problem,
    group_problems,
)
from data_reviews.scores.importing.progress import with_live_stage
from data_reviews.scores.importing.reading import ROW, header_key, read_table
from data_reviews.scores.importing.result import Preview
from data_reviews.scores.importing.scores import keep_one_per_window

__all__ = [
    "ACADIENCE",
    "EXAMPLE_ROWS",
    "FASTBRIDGE",
    "FIELDS",
    "FORMATS",
    "GENDERS",
    "GENERIC",
    "GRADE_WORDS",
    "GROUP_ALIASES",
    "IREADY",
    "MAX_PROBLEMS_KEPT",
    "MAX_PROBLEM_GROUPS",
    "MAX_XLSX_UNCOMPRESSED_BYTES",
    "MEASURE_ALIASES",
    "MEASURE_FIELDS",
    "MEASURE_FORMATS",
    "NWEA_MAP",
    "PIPELINES",
    "ROW",
    "SCHOOL_UNMATCHED",
    "SCHOOL_WORD_FORMS",
    "SCORE_REQUIRED",
    "STUDENT_ID_MISSING",
    "SUBJECTS",
    "SUGGEST_SCORE",
    "WINDOW_WORDS",
    "YEAR_PATTERN",
    "YES",
    "Format",
    "MeasureFormat",
    "Preview",
    "Problem",
    "SchoolIndex",
    "Upload",
    "UploadRefused",
    "check_upload",
    "checked",
    "decode_text",
    "find_columns",
    "format_for",
    "group_problems",
    "header_key",
    "keep_one_per_window",
    "normalise_grade",
    "normalise_subject",
    "parse_dates",
    "parse_numbers",
    "per_unique",
    "preview",
    "read_table",
    "school_key",
    "school_words",
    "school_year_from_dates",
    "school_year_from_text",
    "window_and_year",
    "window_from_dates",
    "with_live_stage",
]
