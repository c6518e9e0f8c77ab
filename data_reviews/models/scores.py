"""Screener results, imports, decision rules and tier snapshots."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from coordinators.models import District, School, Student

__all__ = [
    "DecisionRule",
    "ImportBatch",
    "SchoolMeasure",
    "SchoolNameMapping",
    "ScreeningWindow",
    "StudentResult",
    "Subject",
    "TierSnapshot",
    "Window",
]


class Subject(models.TextChoices):
    READING = "reading", "Reading"
    MATH = "math", "Math"
    LANGUAGE = "language", "Language usage"
    SCIENCE = "science", "Science"
    WRITING = "writing", "Writing"


class Window(models.TextChoices):
    FALL = "fall", "Fall"
    WINTER = "winter", "Winter"
    SPRING = "spring", "Spring"


WINDOW_ORDER = {Window.FALL: 0, Window.WINTER: 1, Window.SPRING: 2}


class ScreeningWindow(models.Model):
    """When a district's screening window opens and closes, every school year (month and day).

    A test date belongs to the window that opened most recently before it in its school year (a
    make-up test a week after the window closed still counts for that window); a date before the
    year's first window belongs to the first. A district with no windows set uses the usual rule
    (August to November fall, December to February winter, March to July spring).
    """

    district = models.ForeignKey(District, on_delete=models.CASCADE, related_name="screening_windows")
    window = models.CharField(max_length=8, choices=Window.choices)
    opens_month = models.PositiveSmallIntegerField()
    opens_day = models.PositiveSmallIntegerField()
    closes_month = models.PositiveSmallIntegerField()
    closes_day = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["district", "window"]
        constraints = [
            models.UniqueConstraint(fields=["district", "window"], name="one_screening_window_each"),
        ]

    def __str__(self) -> str:
        opens, closes = f"{self.opens_month}/{self.opens_day}", f"{self.closes_month}/{self.closes_day}"
        return f"{self.get_window_display()} {opens}-{closes}"


class ImportBatch(models.Model):
    """One upload of one or more files: checked first (the preview), then written all at once."""

    class Format(models.TextChoices):
        GENERIC = "generic", "Generic long format (any file, with a column mapping)"
        NWEA_MAP = "nwea_map", "NWEA MAP Growth Combined Data File"
        IREADY = "iready", "i-Ready Diagnostic results"
        ACADIENCE = "acadience", "Acadience Reading / DIBELS 8"
        FASTBRIDGE = "fastbridge", "FastBridge screening"
        BEHAVIOUR = "behaviour", "Office discipline referrals per school and month"
        ATTENDANCE = "attendance", "Attendance rate per school and month"
        ONEROSTER = "oneroster", "OneRoster 1.1 roster (zip from the student information system)"

    class Status(models.TextChoices):
        CHECKING = "checking", "Checking the file"
        PREVIEW = "preview", "Ready to import"
        PROBLEMS = "problems", "Problems to fix"
        QUEUED = "queued", "Waiting to import"
        IMPORTING = "importing", "Importing"
        DONE = "done", "Imported"
        FAILED = "failed", "Could not be imported"

    district = models.ForeignKey(District, on_delete=models.CASCADE, related_name="import_batches")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="import_batches"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    file_name = models.CharField(max_length=255)
    file_format = models.CharField(max_length=16, choices=Format.choices)
    # The uploaded bytes, kept so the worker can read them and the preview can be re-run after a
    # mapping changes; size is capped by MTSS_MAX_UPLOAD_BYTES before anything is stored.
    payload = models.BinaryField()
    extra_payload = models.BinaryField(blank=True, default=b"")
    extra_file_name = models.CharField(max_length=255, blank=True)
    # Set when the retention policy emptied payload and extra_payload; the results stay.
    raw_file_deleted_at = models.DateTimeField(null=True, blank=True)
    sha256 = models.CharField(max_length=64)
    column_mapping = models.JSONField(default=dict, blank=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.CHECKING)
    stage = models.CharField(max_length=120, blank=True)
    progress = models.PositiveSmallIntegerField(default=0)
    rows_read = models.PositiveIntegerField(default=0)
    rows_valid = models.PositiveIntegerField(default=0)
    rows_written = models.PositiveIntegerField(default=0)
    rows_set_aside = models.PositiveIntegerField(default=0)
    problems = models.JSONField(default=list, blank=True)
    summary = models.JSONField(default=dict, blank=True)
    # How many times a worker has started the current check or import: counted in the database,
    # so a file that kills its worker each time is set aside instead of delivered forever.
    attempts = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.get_status_display()})"

    @property
    def is_running(self) -> bool:
        return self.status in {self.Status.CHECKING, self.Status.QUEUED, self.Status.IMPORTING}


class StudentResult(models.Model):
    """One student's screening result for one subject in one window (the district's own student id)."""

    district = models.ForeignKey(District, on_delete=models.CASCADE, related_name="student_results")
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="student_results")
    student_id = models.CharField(max_length=64)
    grade = models.CharField(max_length=4)
    subject = models.CharField(max_length=16, choices=Subject.choices)
    school_year = models.PositiveSmallIntegerField(help_text="The year the school year starts, e.g. 2025.")
    window = models.CharField(max_length=8, choices=Window.choices)
    test_date = models.DateField(null=True, blank=True)
    score = models.FloatField(null=True, blank=True)
    percentile = models.FloatField(null=True, blank=True)
    benchmark_category = models.CharField(max_length=80, blank=True)
    measure = models.CharField(max_length=80, blank=True, help_text="Vendor and measure, e.g. NWEA MAP.")
    student_groups = models.JSONField(default=list, blank=True)
    tier = models.PositiveSmallIntegerField(null=True, blank=True)
    batch = models.ForeignKey(ImportBatch, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    # The rostered student with this district student id, when the roster lists one.
    rostered_student = models.ForeignKey(
        Student, on_delete=models.SET_NULL, null=True, blank=True, related_name="results"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["district", "student_id", "subject", "school_year", "window"],
                name="one_result_per_student_subject_window",
            ),
        ]
        indexes = [models.Index(fields=["school", "subject", "school_year", "window"])]

    def __str__(self) -> str:
        return f"{self.student_id} {self.subject} {self.window} {self.school_year}"


class SchoolMeasure(models.Model):
    """A school-level number for one month: office discipline referrals or attendance rate."""

    class Kind(models.TextChoices):
        ODR = "odr", "Office discipline referrals"
        ATTENDANCE = "attendance", "Attendance rate (%)"

    district = models.ForeignKey(District, on_delete=models.CASCADE, related_name="school_measures")
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="measures")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    month = models.DateField(help_text="The first day of the month.")
    value = models.FloatField()
    batch = models.ForeignKey(ImportBatch, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["school", "kind", "month"]
        constraints = [
            models.UniqueConstraint(fields=["school", "kind", "month"], name="one_measure_per_school_month"),
        ]

    def __str__(self) -> str:
        return f"{self.school} {self.kind} {self.month:%Y-%m}"


class DecisionRule(models.Model):
    """How a district turns a subject's (and measure's) results into tiers."""

    class Method(models.TextChoices):
        PERCENTILE = "percentile", "By national percentile"
        CATEGORY = "category", "By benchmark category"

    district = models.ForeignKey(District, on_delete=models.CASCADE, related_name="decision_rules")
    subject = models.CharField(max_length=16, choices=Subject.choices)
    measure = models.CharField(max_length=80, blank=True, help_text="Leave blank for every measure.")
    method = models.CharField(max_length=16, choices=Method.choices, default=Method.PERCENTILE)
    tier3_below = models.FloatField(default=10, help_text="Below this percentile: Tier 3.")
    tier2_below = models.FloatField(default=25, help_text="Below this percentile (and not Tier 3): Tier 2.")
    category_tiers = models.JSONField(
        default=dict, blank=True, help_text="Benchmark category → tier, e.g. Well Below Benchmark → 3."
    )
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["subject", "measure"]
        constraints = [
            models.UniqueConstraint(fields=["district", "subject", "measure"], name="one_rule_per_measure"),
        ]

    def __str__(self) -> str:
        return f"{self.get_subject_display()} {self.measure or 'all measures'}: {self.get_method_display()}"


class SchoolNameMapping(models.Model):
    """A school name as an export spells it, mapped once to one of the district's schools."""

    district = models.ForeignKey(District, on_delete=models.CASCADE, related_name="school_name_mappings")
    source_name = models.CharField(max_length=200, help_text="Stored case-folded and trimmed.")
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["district", "source_name"], name="one_mapping_per_source_name"),
        ]

    def __str__(self) -> str:
        return f"{self.source_name} → {self.school}"


class TierSnapshot(models.Model):
    """Counts at each tier for one school, grade, subject and window (all students or one group).

    `student_group` is blank for all students; `grade` is blank on group rows (all grades).
    Dashboards read these rows, never student results.
    """

    district = models.ForeignKey(District, on_delete=models.CASCADE, related_name="tier_snapshots")
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="tier_snapshots")
    grade = models.CharField(max_length=4, blank=True)
    subject = models.CharField(max_length=16, choices=Subject.choices)
    school_year = models.PositiveSmallIntegerField()
    window = models.CharField(max_length=8, choices=Window.choices)
    student_group = models.CharField(max_length=80, blank=True)
    tier1 = models.PositiveIntegerField(default=0)
    tier2 = models.PositiveIntegerField(default=0)
    tier3 = models.PositiveIntegerField(default=0)
    no_data = models.PositiveIntegerField(default=0)
    computed_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["school", "grade", "subject", "school_year", "window", "student_group"],
                name="one_snapshot_per_school_grade_subject_window_group",
            ),
        ]
        indexes = [models.Index(fields=["district", "subject", "school_year", "window"])]

    def __str__(self) -> str:
        return f"{self.school} {self.grade or 'all'} {self.subject} {self.window} {self.school_year}"
