"""The District Implementation Plan, capacity assessments, initiatives, barriers, practices."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

__all__ = [
    "AssessmentItem",
    "Barrier",
    "CapacityAssessment",
    "CommunicationProtocol",
    "Initiative",
    "PlanActivity",
    "PlanGoal",
    "Practice",
    "PracticeFile",
    "ProgressUpdate",
]

USER = settings.AUTH_USER_MODEL


class Practice(models.Model):
    """An evidence-based practice or strategy in the district's library."""

    class Grouping(models.TextChoices):
        WHOLE_GROUP = "whole_group", "Whole group or co-teaching"
        SMALL_GROUP = "small_group", "Small group"
        INDIVIDUAL = "individual", "Individual"

    class Evidence(models.TextChoices):
        STRONG = "strong", "Strong"
        MODERATE = "moderate", "Moderate"
        PROMISING = "promising", "Promising"
        EMERGING = "emerging", "Emerging (rationale only)"

    district = models.ForeignKey("coordinators.District", on_delete=models.CASCADE, related_name="practices")
    name = models.CharField(max_length=200)
    academic = models.BooleanField("Academic", default=False)
    behaviour = models.BooleanField("Behavior", default=False)
    sel = models.BooleanField("Social-emotional (SEL)", default=False)
    tier1 = models.BooleanField("Tier 1", default=False)
    tier2 = models.BooleanField("Tier 2", default=False)
    tier3 = models.BooleanField("Tier 3", default=False)
    grouping = models.CharField(max_length=16, choices=Grouping.choices, default=Grouping.SMALL_GROUP)
    evidence_level = models.CharField(max_length=16, choices=Evidence.choices, default=Evidence.PROMISING)
    description = models.TextField()
    success_criteria = models.TextField(blank=True)
    resources = models.TextField(blank=True, help_text="One link per line.")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["district", "name"], name="practice_name_unique_in_district")
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def domains(self) -> list[str]:
        flags = ((self.academic, "Academic"), (self.behaviour, "Behavior"), (self.sel, "SEL"))
        return [label for flag, label in flags if flag]

    @property
    def tiers(self) -> list[int]:
        return [n for n, flag in ((1, self.tier1), (2, self.tier2), (3, self.tier3)) if flag]

    @property
    def resource_links(self) -> list[str]:
        return [line.strip() for line in self.resources.splitlines() if line.strip().startswith("http")]


class PlanGoal(models.Model):
    district = models.ForeignKey("coordinators.District", on_delete=models.CASCADE, related_name="plan_goals")
    title = models.CharField(max_length=300)
    description = models.TextField(blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.title


class CapacityAssessment(models.Model):
    """One administration of the District Capacity Assessment, or a school's Tiered Fidelity Inventory."""

    class Instrument(models.TextChoices):
        DCA = "dca", "District Capacity Assessment"
        TFI = "tfi", "Tiered Fidelity Inventory"

    class Window(models.TextChoices):
        BASELINE = "baseline", "Baseline"
        FALL = "fall", "Fall"
        WINTER = "winter", "Winter"
        SPRING = "spring", "Spring"

    TARGETS: dict[str, int] = {Instrument.DCA: 80, Instrument.TFI: 70}

    district = models.ForeignKey(
        "coordinators.District", on_delete=models.CASCADE, related_name="capacity_assessments"
    )
    instrument = models.CharField(max_length=8, choices=Instrument.choices, default=Instrument.DCA)
    school = models.ForeignKey(
        "coordinators.School",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="fidelity_inventories",
        help_text="Only for a Tiered Fidelity Inventory.",
    )
    administered_on = models.DateField()
    window = models.CharField(max_length=16, choices=Window.choices)
    facilitator = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    participants = models.TextField(blank=True, help_text="Who scored by consensus.")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-administered_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(instrument="dca", school__isnull=True)
                | models.Q(instrument="tfi", school__isnull=False),
                name="tfi_has_school_dca_has_none",
            )
        ]

    def __str__(self) -> str:
        where = f" — {self.school}" if self.school_id else ""
        return (
            f"{self.get_instrument_display()}{where}, {self.get_window_display()} {self.administered_on:%Y}"
        )

    @property
    def target(self) -> int:
        return self.TARGETS[self.instrument]


# What a consensus score of 0, 1 or 2 means, as the capacity assessments' rubric words it.
CAPACITY_SCORE_MEANINGS = {0: "not in place", 1: "partially in place", 2: "fully in place"}


class AssessmentItem(models.Model):
    """An item of an administration: the district's own wording, scored 0, 1 or 2 by consensus."""

    assessment = models.ForeignKey(CapacityAssessment, on_delete=models.CASCADE, related_name="items")
    number = models.PositiveSmallIntegerField()
    wording = models.CharField(max_length=500)
    subscale = models.CharField(max_length=100, help_text="E.g. Commitment, Systems Alignment, or Tier 1.")
    score = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MaxValueValidator(2)], choices=[(0, "0"), (1, "1"), (2, "2")]
    )
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["number", "id"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "number"], name="item_number_unique"),
            models.CheckConstraint(condition=models.Q(score__lte=2), name="item_score_0_to_2"),
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.wording}"

    @property
    def score_meaning(self) -> str:
        return "" if self.score is None else CAPACITY_SCORE_MEANINGS.get(self.score, "")

    @property
    def is_low(self) -> bool:
        return self.score is not None and self.score < 2


class Barrier(models.Model):
    class Level(models.TextChoices):
        SCHOOL = "school", "School"
        DISTRICT = "district", "District"

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        ESCALATED = "escalated", "Escalated"
        RESOLVED = "resolved", "Resolved"

    STATUS_BADGES = {
        Status.OPEN: "text-bg-warning",
        Status.ESCALATED: "text-bg-danger",
        Status.RESOLVED: "text-bg-success",
    }

    district = models.ForeignKey("coordinators.District", on_delete=models.CASCADE, related_name="barriers")
    raised_on = models.DateField()
    raised_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    description = models.TextField()
    level = models.CharField(max_length=16, choices=Level.choices, default=Level.DISTRICT)
    school = models.ForeignKey("coordinators.School", null=True, blank=True, on_delete=models.SET_NULL)
    routed_to = models.CharField(max_length=200, blank=True, help_text="The team or person working on it.")
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.OPEN, db_index=True)
    escalation_reason = models.TextField(blank=True)
    escalated_on = models.DateField(null=True, blank=True)
    escalated_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    decision = models.TextField(blank=True)
    decided_on = models.DateField(null=True, blank=True)
    decided_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    resolution = models.TextField(blank=True)
    resolved_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["-raised_on", "-id"]

    def __str__(self) -> str:
        return self.description[:80]


class CommunicationProtocol(models.Model):
    district = models.ForeignKey(
        "coordinators.District", on_delete=models.CASCADE, related_name="communication_protocols"
    )
    group = models.CharField(max_length=200, help_text="E.g. School leadership teams, Board of Education.")
    designee = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    information_shared = models.TextField()
    format = models.CharField(max_length=200, help_text="E.g. Monthly memo, standing agenda item.")
    timeframe = models.CharField(max_length=200, help_text="E.g. Within a week of each DIT meeting.")

    class Meta:
        ordering = ["group", "id"]

    def __str__(self) -> str:
        return self.group


class Initiative(models.Model):
    class Decision(models.TextChoices):
        UNDECIDED = "", "Not decided"
        KEEP = "keep", "Keep"
        MERGE = "merge", "Merge"
        DROP = "drop", "Drop"

    HEXAGON = ("need", "fit", "resources", "evidence", "readiness", "capacity")

    district = models.ForeignKey(
        "coordinators.District", on_delete=models.CASCADE, related_name="initiatives"
    )
    name = models.CharField(max_length=200)
    purpose = models.TextField(blank=True)
    outcome_measure = models.CharField(max_length=200, blank=True)
    target_group = models.CharField(max_length=200, blank=True)
    staff_involved = models.TextField(blank=True, help_text="Names or roles, separated by commas.")
    goal = models.ForeignKey(PlanGoal, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    budget_source = models.CharField(max_length=200, blank=True)
    need = models.PositiveSmallIntegerField(null=True, blank=True)
    fit = models.PositiveSmallIntegerField(null=True, blank=True)
    resources = models.PositiveSmallIntegerField(null=True, blank=True)
    evidence = models.PositiveSmallIntegerField(null=True, blank=True)
    readiness = models.PositiveSmallIntegerField(null=True, blank=True)
    capacity = models.PositiveSmallIntegerField(null=True, blank=True)
    decision = models.CharField(max_length=8, choices=Decision.choices, blank=True, default="")
    decided_on = models.DateField(null=True, blank=True)
    rationale = models.TextField(blank=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(**{f"{name}__isnull": True})
                | models.Q(**{f"{name}__gte": 1, f"{name}__lte": 5}),
                name=f"initiative_{name}_1_to_5",
            )
            for name in ("need", "fit", "resources", "evidence", "readiness", "capacity")
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def staff_set(self) -> set[str]:
        return {s.strip().lower() for s in self.staff_involved.split(",") if s.strip()}

    @property
    def hexagon(self) -> list[tuple[str, int | None]]:
        return [(name.capitalize(), getattr(self, name)) for name in self.HEXAGON]


class PlanActivity(models.Model):
    class Type(models.TextChoices):
        INSTALLATION = "installation", "Installation"
        IMPLEMENTATION = "implementation", "Implementation"
        COACHING = "coaching", "Coaching"
        EVALUATION = "evaluation", "Evaluation"

    class Stage(models.TextChoices):
        EXPLORATION = "exploration", "Exploration"
        INSTALLATION = "installation", "Installation"
        INITIAL = "initial", "Initial implementation"
        FULL = "full", "Full implementation"

    class Status(models.TextChoices):
        NOT_STARTED = "not_started", "Not started"
        IN_PROGRESS = "in_progress", "In progress"
        DONE = "done", "Done"
        STOPPED = "stopped", "Stopped"

    OPEN_STATUSES = (Status.NOT_STARTED, Status.IN_PROGRESS)
    # The badge each status shows ({% status_badge %}); a status missing here shows a plain one.
    STATUS_BADGES = {
        Status.DONE: "text-bg-success",
        Status.STOPPED: "text-bg-secondary",
        Status.IN_PROGRESS: "text-bg-primary",
    }

    district = models.ForeignKey(
        "coordinators.District", on_delete=models.CASCADE, related_name="plan_activities"
    )
    goal = models.ForeignKey(PlanGoal, on_delete=models.CASCADE, related_name="activities")
    title = models.CharField(max_length=300)
    activity_type = models.CharField("Type", max_length=16, choices=Type.choices, default=Type.INSTALLATION)
    innovation = models.CharField("Effective innovation", max_length=200, blank=True)
    practice = models.ForeignKey(
        Practice, null=True, blank=True, on_delete=models.SET_NULL, related_name="plan_activities"
    )
    stage = models.CharField(
        "Stage of implementation", max_length=16, choices=Stage.choices, default=Stage.INSTALLATION
    )
    owner = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="plan_activities"
    )
    start_date = models.DateField()
    due_date = models.DateField(db_index=True)
    evaluate_date = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.NOT_STARTED)
    on_track = models.BooleanField("On track", default=True)
    success_criteria = models.TextField(blank=True)
    capacity_item = models.ForeignKey(
        AssessmentItem, null=True, blank=True, on_delete=models.SET_NULL, related_name="plan_activities"
    )
    barrier = models.ForeignKey(
        Barrier, null=True, blank=True, on_delete=models.SET_NULL, related_name="plan_activities"
    )
    problem_statement = models.ForeignKey(
        "data_reviews.ProblemStatement",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="plan_activities",
    )
    motivation = models.CharField("Motivated by (other)", max_length=300, blank=True)
    created_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["goal__order", "goal_id", "due_date", "id"]
        indexes = [models.Index(fields=["status", "due_date"], name="plan_activity_open_due")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(due_date__gte=models.F("start_date")), name="activity_due_after_start"
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES


class ProgressUpdate(models.Model):
    """One entry of the plan's monitoring log."""

    activity = models.ForeignKey(PlanActivity, on_delete=models.CASCADE, related_name="updates")
    recorded_on = models.DateField()
    author = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    note = models.TextField()
    percent_complete = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(0), MaxValueValidator(100)]
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-recorded_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(percent_complete__lte=100), name="progress_at_most_100")
        ]

    def __str__(self) -> str:
        return f"{self.activity} — {self.percent_complete}% on {self.recorded_on}"


def practice_file_path(instance: PracticeFile, filename: str) -> str:
    # The stored name is not the uploaded one: people see the original name, the disk never does.
    return f"practices/{instance.practice.district_id}/{instance.practice_id}/{uuid.uuid4().hex}"


class PracticeFile(models.Model):
    """A file in a practice's resources. Served only through the app, to people of its district."""

    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="files")
    file = models.FileField(upload_to=practice_file_path)
    original_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["original_name", "id"]

    def __str__(self) -> str:
        return self.original_name
