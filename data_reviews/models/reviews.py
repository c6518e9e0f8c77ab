"""Data reviews: successes, precise problem statements, contributing factors, plans.

A data review belongs to the district (school is empty) or to one school. Precise problem
statements (Team-Initiated Problem Solving) are raised at one review and stay open across the
later reviews of the same district or school until the team marks them resolved; each later
review records a check (fidelity, effectiveness, next step) for every open problem.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

__all__ = [
    "ContributingFactor",
    "DataReview",
    "DataSource",
    "ProblemCheck",
    "ProblemStatement",
    "SolutionAction",
    "Success",
]


class DataReview(models.Model):
    district = models.ForeignKey(
        "coordinators.District", on_delete=models.CASCADE, related_name="data_reviews"
    )
    school = models.ForeignKey(
        "coordinators.School",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="data_reviews",
        help_text="Leave empty for a district data review.",
    )
    title = models.CharField(max_length=200, help_text="For example: Winter reading review.")
    held_on = models.DateField(db_index=True)
    facilitator = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The DIT meeting the review took place in, named and linked while meetings are kept elsewhere.
    meeting_label = models.CharField("DIT meeting", max_length=200, blank=True)
    meeting_url = models.CharField("Link to the meeting", max_length=500, blank=True)
    notes = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-held_on", "-id"]
        indexes = [models.Index(fields=["district", "school", "held_on"])]

    def __str__(self) -> str:
        return f"{self.title}, {self.scope_name}"

    @property
    def scope_name(self) -> str:
        return self.school.name if self.school is not None else "District"


class DataSource(models.Model):
    """One view of the data the team looked at, with what it showed on the day (frozen)."""

    review = models.ForeignKey(DataReview, on_delete=models.CASCADE, related_name="sources")
    title = models.CharField(max_length=200)
    link = models.CharField(
        max_length=500,
        blank=True,
        help_text="Path of the dashboard view, e.g. /data/schools/12/?subject=reading&window=winter",
    )
    as_of = models.DateField("Data as of")
    summary = models.TextField(help_text="What the data showed that day, in words and figures.")
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.title


class Success(models.Model):
    review = models.ForeignKey(DataReview, on_delete=models.CASCADE, related_name="successes")
    text = models.TextField()
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        verbose_name_plural = "successes"

    def __str__(self) -> str:
        return self.text[:80]


class ProblemStatement(models.Model):
    """A precise problem statement: what, who, where, when, how often, why; a goal; its status."""

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        RESOLVED = "resolved", "Resolved"

    district = models.ForeignKey(
        "coordinators.District", on_delete=models.CASCADE, related_name="problem_statements"
    )
    # Same scope as the review that raised it, so it carries forward within that scope.
    school = models.ForeignKey(
        "coordinators.School", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    review = models.ForeignKey(DataReview, on_delete=models.CASCADE, related_name="problems")
    what = models.CharField("What", max_length=300, help_text="The problem, e.g. students below benchmark.")
    who = models.CharField("Who", max_length=200, help_text="Which students, e.g. grade 2.")
    where = models.CharField("Where", max_length=200, blank=True)
    when = models.CharField("When", max_length=200, blank=True)
    how_often = models.CharField("How often (current rate)", max_length=200)
    goal = models.CharField("Goal", max_length=300, help_text="What the team wants to see, with a target.")
    goal_target = models.CharField("Target", max_length=100, blank=True, help_text="For example 70%.")
    goal_date = models.DateField("Goal date", null=True, blank=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.OPEN, db_index=True)
    resolved_on = models.DateField(null=True, blank=True)
    resolved_review = models.ForeignKey(
        DataReview, null=True, blank=True, on_delete=models.SET_NULL, related_name="resolved_problems"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["district", "school", "status"])]

    def __str__(self) -> str:
        return self.what

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN


class ContributingFactor(models.Model):
    """Why: a hypothesis about what contributes to the problem."""

    problem = models.ForeignKey(ProblemStatement, on_delete=models.CASCADE, related_name="factors")
    text = models.CharField(max_length=500)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.text


class SolutionAction(models.Model):
    """A step of the plan for a problem; it is also an action item so it is tracked and reminded."""

    problem = models.ForeignKey(ProblemStatement, on_delete=models.CASCADE, related_name="actions")
    review = models.ForeignKey(DataReview, on_delete=models.CASCADE, related_name="actions")
    description = models.CharField(max_length=300)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    due_date = models.DateField(null=True, blank=True)
    action_item = models.OneToOneField(
        "meetings.ActionItem",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="solution_action",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["due_date", "id"]

    def __str__(self) -> str:
        return self.description


class ProblemCheck(models.Model):
    """At a later review: was the plan carried out (fidelity), did it work, what next."""

    class Fidelity(models.TextChoices):
        NOT_STARTED = "not_started", "Not started"
        PARTIAL = "partial", "Partial"
        WITH_FIDELITY = "with_fidelity", "Implemented with fidelity"
        STOPPED = "stopped", "Stopped"

    class Effectiveness(models.TextChoices):
        WORSE = "worse", "Worse"
        NO_CHANGE = "no_change", "No change"
        IMPROVED = "improved", "Improved but not to goal"
        GOAL_MET = "goal_met", "Goal met"

    class NextStep(models.TextChoices):
        CONTINUE = "continue", "Continue"
        MODIFY = "modify", "Modify"
        DISCONTINUE = "discontinue", "Discontinue"

    problem = models.ForeignKey(ProblemStatement, on_delete=models.CASCADE, related_name="checks")
    review = models.ForeignKey(DataReview, on_delete=models.CASCADE, related_name="checks")
    fidelity = models.CharField(max_length=16, choices=Fidelity.choices)
    effectiveness = models.CharField(max_length=16, choices=Effectiveness.choices)
    next_step = models.CharField("Next step", max_length=16, choices=NextStep.choices)
    current_rate = models.CharField(
        "Current rate", max_length=200, blank=True, help_text="How often now, e.g. 31% below benchmark."
    )
    notes = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["review__held_on", "id"]
        constraints = [
            models.UniqueConstraint(fields=["problem", "review"], name="one_check_per_problem_per_review"),
        ]

    def __str__(self) -> str:
        return f"{self.problem} at {self.review}"
