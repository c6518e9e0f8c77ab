"""People, districts, schools and the roles that tie them together."""

from __future__ import annotations

import datetime
import zoneinfo
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone


def validate_time_zone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError(f"{value} is not a time zone name such as America/Chicago.")


def normalize_email_address(email: str) -> str:
    """How an email address is stored and looked up: trimmed and in lower case, so Alice@x is alice@x."""
    return email.strip().lower()


HONORIFICS = frozenset({"dr", "mr", "mrs", "ms", "mx", "miss", "prof", "rev", "fr", "sr"})


def default_short_name(full_name: str) -> str:
    """The name a person goes by unless they say otherwise: "Dr. Marcus Reyes" is greeted as Marcus.

    The first word that is not an honorific; a name of honorifics only is kept as it is.
    """
    words = full_name.split()
    return next((w for w in words if w.rstrip(".").lower() not in HONORIFICS), words[0] if words else "")


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **fields: object) -> User:
        if not email:
            raise ValueError("A person needs an email address.")
        user = self.model(email=normalize_email_address(email), **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **fields: object) -> User:
        fields.setdefault("is_staff", True)
        fields.setdefault("is_superuser", True)
        return self.create_user(email, password, **fields)

    def get_by_natural_key(self, username: str | None) -> User:
        # Signing in (ModelBackend, the admin) looks people up here: any case of the email finds them.
        return self.get(email=normalize_email_address(username or ""))


class User(AbstractBaseUser, PermissionsMixin):
    """A person who signs in with their email address."""

    email = models.EmailField(unique=True)
    full_name = models.CharField(max_length=150)
    short_name = models.CharField(
        "name you go by",
        max_length=60,
        blank=True,
        help_text="How greetings and emails address the person; empty means the first word of their name "
        "that is not a title such as Dr.",
    )
    title = models.CharField(
        max_length=150, blank=True, help_text="Job title, e.g. Assistant Superintendent."
    )
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(default=False, help_text="May sign in to the Django admin.")
    date_joined = models.DateTimeField(default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        ordering = ["full_name", "email"]

    def __str__(self) -> str:
        return self.full_name or self.email

    def get_full_name(self) -> str:
        return self.full_name or self.email

    def get_short_name(self) -> str:
        return self.short_name or default_short_name(self.full_name) or self.email

    def save(self, *args: Any, **kwargs: Any) -> None:
        # Sign-in, lockout and password reset all rely on stored emails being in lower case, and
        # people are created in several places (invitations, the admin, the demo data).
        self.email = normalize_email_address(self.email)
        super().save(*args, **kwargs)


class PasswordResetRequest(models.Model):
    """A request for a password-reset link that was accepted (within the hourly limits).

    The request stores only what was typed; the worker looks the account up and sends, so the page
    answers the same, in the same time, whether or not the address belongs to an account.
    """

    class State(models.TextChoices):
        PENDING = "pending", "Waiting for the worker"
        SENDING = "sending", "Being sent"
        SENT = "sent", "Sent"
        NO_ACCOUNT = "no_account", "No account to send to"

    email = models.EmailField(help_text="As typed, in lower case.")
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    requested_at = models.DateTimeField(default=timezone.now)
    state = models.CharField(max_length=16, choices=State.choices, default=State.PENDING)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-requested_at"]
        indexes = [
            models.Index(fields=["email", "requested_at"], name="reset_request_email_time"),
            models.Index(fields=["ip_address", "requested_at"], name="reset_request_address_time"),
        ]

    def __str__(self) -> str:
        return f"Password reset for {self.email} at {self.requested_at:%Y-%m-%d %H:%M} UTC"


class District(models.Model):
    name = models.CharField(max_length=200)
    slug = models.SlugField(unique=True)
    time_zone = models.CharField(max_length=64, default="America/Chicago", validators=[validate_time_zone])
    approval_reminder_days = models.PositiveSmallIntegerField(
        default=3, help_text="Remind executive leaders when a draft has waited this many days."
    )
    digest_weekday = models.PositiveSmallIntegerField(
        default=0, help_text="Day of the weekly executive digest (0 = Monday)."
    )
    digest_hour = models.PositiveSmallIntegerField(default=7, help_text="Local hour of the weekly digest.")
    raw_file_retention_days = models.PositiveSmallIntegerField(
        default=30,
        help_text="Delete an uploaded screener file this many days after its import is done or abandoned "
        "(the results stay).",
    )
    result_retention_years = models.PositiveSmallIntegerField(
        default=7,
        validators=[MinValueValidator(1)],
        help_text="Keep student-level screener results for this many school years, the current one included.",
    )
    school_year_start_month = models.PositiveSmallIntegerField(
        default=7,
        validators=[MinValueValidator(1), MaxValueValidator(12)],
        help_text=(
            "The month the school year starts (7 = July); a school year is named by the year it starts."
        ),
    )
    school_year_start_day = models.PositiveSmallIntegerField(
        default=1, validators=[MinValueValidator(1), MaxValueValidator(28)]
    )
    min_group_size = models.PositiveSmallIntegerField(
        default=10,
        validators=[MinValueValidator(5), MaxValueValidator(100)],
        help_text="Student groups smaller than this are left out of every group figure, so no student can "
        "be picked out.",
    )
    # Sign-in policy. Domains are stored in lower case without the @; an empty list allows any.
    sign_in_domains = models.JSONField(
        default=list,
        blank=True,
        help_text="Email domains people of the district sign in with, e.g. mvps.org; empty allows any.",
    )
    single_sign_on_only = models.BooleanField(
        default=False,
        help_text="People of the district sign in only through single sign-on; their passwords stop working.",
    )
    # The role a rostered staff member is invited in, per OneRoster role ("teacher": "school_staff");
    # a roster role left out is kept on the roster without an invitation.
    roster_roles = models.JSONField(default=dict, blank=True)
    # Set by the installation's operator: a suspended district's people cannot sign in to it and its
    # reminders stop; nothing is deleted.
    suspended_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def tz(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.time_zone)

    @property
    def is_suspended(self) -> bool:
        return self.suspended_at is not None

    def school_year_of(self, day: datetime.date) -> int:
        """The school year a day belongs to, named by the calendar year it starts in."""
        starts = (self.school_year_start_month, self.school_year_start_day)
        return day.year if (day.month, day.day) >= starts else day.year - 1


class School(models.Model):
    class Level(models.TextChoices):
        ELEMENTARY = "elementary", "Elementary"
        MIDDLE = "middle", "Middle"
        HIGH = "high", "High"
        OTHER = "other", "Other"

    district = models.ForeignKey(District, on_delete=models.CASCADE, related_name="schools")
    name = models.CharField(max_length=200)
    code = models.CharField(max_length=32, help_text="The state or district building code.")
    level = models.CharField(max_length=16, choices=Level.choices, default=Level.ELEMENTARY)
    grades_served = models.CharField(max_length=32, help_text="For example K-5, 6-8 or 9-12.")
    state_id = models.CharField(
        "state school id", max_length=64, blank=True, help_text="The school's id in the state's records."
    )
    principal = models.ForeignKey(
        "User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", help_text="The principal."
    )
    # The roster's id of the school (OneRoster orgs.sourcedId), set when a roster created or matched it.
    sourced_id = models.CharField(max_length=255, blank=True, db_index=True)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["district", "code"], name="school_code_unique_in_district"),
        ]

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    COORDINATOR = "coordinator", "District Coordinator"
    LEADER = "leader", "Executive Leader"
    MEMBER = "member", "DIT Member"
    SITE_ADMIN = "site_admin", "Site Admin"
    SCHOOL_STAFF = "school_staff", "School staff"

    @classmethod
    def district_staff(cls) -> tuple[Role, ...]:
        """The roles of the district team (the DIT): coordinators, leaders and DIT members."""
        return (cls.COORDINATOR, cls.LEADER, cls.MEMBER)

    @classmethod
    def school_roles(cls) -> tuple[Role, ...]:
        """The roles tied to one or more schools: principals (site admins) and school staff."""
        return (cls.SITE_ADMIN, cls.SCHOOL_STAFF)

    @classmethod
    def coordination_roles(cls) -> tuple[Role, ...]:
        """The roles that do the district's MTSS coordination work: the district team and site admins.

        A page behind `member_required()` with no roles is for them. School staff are not among
        them: each page they may use names them (see mtss/access.py).
        """
        return (*cls.district_staff(), cls.SITE_ADMIN)


class Membership(models.Model):
    """A person's role in one district. Site admins and school staff are tied to one or more schools."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    district = models.ForeignKey(District, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=16, choices=Role.choices)
    # `school.site_admins` holds every membership tied to the school, its school staff too: filter
    # by role where only principals are meant (coordinators.selectors.school_people).
    schools = models.ManyToManyField(School, blank=True, related_name="site_admins")
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["district__name", "user__full_name"]
        constraints = [
            models.UniqueConstraint(fields=["user", "district"], name="one_role_per_person_per_district"),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()}, {self.district}"

    @property
    def is_coordinator(self) -> bool:
        return self.role == Role.COORDINATOR

    @property
    def is_leader(self) -> bool:
        return self.role == Role.LEADER

    @property
    def is_member(self) -> bool:
        return self.role == Role.MEMBER

    @property
    def is_site_admin(self) -> bool:
        return self.role == Role.SITE_ADMIN

    @property
    def is_school_staff(self) -> bool:
        return self.role == Role.SCHOOL_STAFF

    @property
    def is_tied_to_schools(self) -> bool:
        """Site admins and school staff work in the schools listed on their membership."""
        return self.role in Role.school_roles()

    @property
    def sees_whole_district(self) -> bool:
        """Only the district team (coordinators, leaders, DIT members) sees district-wide work.

        Site admins see their schools; school staff see neither (mtss/access.py says what they see).
        """
        return self.role in Role.district_staff()


# Roles that need an executive leader of the district (or the installation's operator) to confirm
# them before they grant anything: they can approve plans or invite people.
ROLES_NEEDING_CONFIRMATION = frozenset({Role.COORDINATOR, Role.LEADER})


class Invitation(models.Model):
    """An offer of a role in a district, which grants nothing until the person accepts it.

    The inviting district knows only what it typed (the email address, a name, a title) and the role
    it offered; `person` is the account the offer goes to and is never shown to the district before
    the person accepts. A Coordinator or Executive Leader role must be confirmed first.
    """

    class Status(models.TextChoices):
        AWAITING_CONFIRMATION = "awaiting_confirmation", "Waiting for a leader's confirmation"
        PENDING = "pending", "Waiting for the person to accept"
        ACCEPTED = "accepted", "Accepted"
        DECLINED = "declined", "Declined"
        NOT_CONFIRMED = "not_confirmed", "Not confirmed by a leader"

    OPEN_STATUSES = (Status.AWAITING_CONFIRMATION, Status.PENDING)

    district = models.ForeignKey(District, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField(help_text="As the inviting coordinator typed it.")
    full_name = models.CharField(max_length=150, help_text="As the inviting coordinator typed it.")
    title = models.CharField(max_length=150, blank=True)
    role = models.CharField(max_length=16, choices=Role.choices)
    schools = models.ManyToManyField(School, blank=True, related_name="+")
    person = models.ForeignKey(User, on_delete=models.CASCADE, related_name="invitations")
    invited_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    confirmed_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    status = models.CharField(max_length=24, choices=Status.choices)
    # SHA-256 of the secret in the set-password link. The link is made when the email is sent and
    # exists nowhere else, so nobody reading the database or the admin can follow it.
    token_hash = models.CharField(max_length=64, blank=True, editable=False, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["district", "person"],
                condition=models.Q(status__in=["awaiting_confirmation", "pending"]),
                name="one_open_invitation_per_person_per_district",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.email} as {self.get_role_display()}"

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES


# Coordinator time ---------------------------------------------------------------------------

# A day of coordinator time is counted as eight hours; entries are stored in hours.
HOURS_PER_DAY = 8


class TimeActivity(models.TextChoices):
    LEARNING = "learning", "Professional learning sessions"
    EXECUTIVE = "executive", "Executive leadership meetings"
    DIT = "dit", "DIT facilitation"
    PREPARING = "preparing", "Preparing for meetings"
    ACTION_ITEMS = "action_items", "Action items"
    COACHING = "coaching", "Coaching"
    OFFICE_HOURS = "office_hours", "Office hours"
    OTHER = "other", "Other"


class ImplementationStage(models.TextChoices):
    EXPLORATION = "exploration", "Exploration"
    INSTALLATION = "installation", "Installation"
    INITIAL = "initial", "Initial implementation"
    FULL = "full", "Full implementation"


class TimeEntry(models.Model):
    district = models.ForeignKey(District, on_delete=models.CASCADE, related_name="time_entries")
    coordinator = models.ForeignKey(User, on_delete=models.CASCADE, related_name="time_entries")
    date = models.DateField(db_index=True)
    hours = models.DecimalField(max_digits=5, decimal_places=2)
    activity = models.CharField(max_length=16, choices=TimeActivity.choices)
    note = models.CharField(max_length=300, blank=True)
    meeting = models.ForeignKey(
        "meetings.Meeting", null=True, blank=True, on_delete=models.SET_NULL, related_name="time_entries"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name_plural = "time entries"
        constraints = [
            models.UniqueConstraint(
                fields=["coordinator", "meeting"],
                condition=models.Q(meeting__isnull=False),
                name="one_time_entry_per_meeting",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.coordinator} {self.date} {self.hours} h"

    @property
    def days(self) -> float:
        return float(self.hours) / HOURS_PER_DAY


class TimeTarget(models.Model):
    """The district's monthly target for coordinator time, in days, for one stage of implementation."""

    district = models.ForeignKey(District, on_delete=models.CASCADE, related_name="time_targets")
    stage = models.CharField(max_length=16, choices=ImplementationStage.choices)
    min_days = models.DecimalField(max_digits=4, decimal_places=1)
    max_days = models.DecimalField(max_digits=4, decimal_places=1)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["district", "stage"], name="one_time_target_per_stage"),
        ]

    def __str__(self) -> str:
        return f"{self.district}: {self.get_stage_display()} {self.min_days}-{self.max_days} days"


# Data lifecycle -------------------------------------------------------------------------------


class DistrictExport(models.Model):
    """A zip of everything a district holds, built in the worker and kept for a few days."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Waiting to start"
        BUILDING = "building", "Building the zip"
        READY = "ready", "Ready to download"
        FAILED = "failed", "Could not be built"
        EXPIRED = "expired", "Deleted after a few days"

    district = models.ForeignKey(District, on_delete=models.CASCADE, related_name="exports")
    requested_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.QUEUED)
    stage = models.CharField(max_length=120, blank=True)
    progress = models.PositiveSmallIntegerField(default=0)
    # Relative to the exports folder under VAR_DIR; never under MEDIA_ROOT, so never served directly.
    file_path = models.CharField(max_length=255, blank=True)
    size = models.PositiveBigIntegerField(default=0)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"Export of {self.district} ({self.get_status_display()})"

    @property
    def is_running(self) -> bool:
        return self.status in {self.Status.QUEUED, self.Status.BUILDING}

    @property
    def file_name(self) -> str:
        return f"{self.district.slug}-export-{self.created_at:%Y-%m-%d}.zip"


# Monthly MTSS updates ---------------------------------------------------------------------------


class UpdateAudience(models.TextChoices):
    """The groups a monthly update can go to; the district's communication plan names them too."""

    PRINCIPALS = "principals", "All principals (site admins)"
    DIT = "dit", "The DIT (DIT members)"
    SCHOOL_STAFF = "school_staff", "School staff of chosen schools"
    LEADERS = "leaders", "The executive leaders"


class CommunicationUpdate(models.Model):
    """A short monthly MTSS update: drafted from the month's work, edited, then sent once.

    Drafts are seen by the district's coordinators only; once sent, every member of the district
    reads it in the archive, and its text no longer changes.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SENT = "sent", "Sent"

    district = models.ForeignKey(District, on_delete=models.CASCADE, related_name="communication_updates")
    month = models.DateField(help_text="The first day of the month the update tells about.")
    title = models.CharField(max_length=200)
    body = models.TextField(blank=True, help_text="Markdown.")
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.DRAFT, db_index=True)
    audiences = models.JSONField(default=list, blank=True, help_text="UpdateAudience values.")
    schools = models.ManyToManyField(School, blank=True, related_name="+")
    protocol = models.ForeignKey(
        "implementation_plans.CommunicationProtocol",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="updates",
        help_text="The communication plan entry this update carries out.",
    )
    created_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    sent_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    sent_at = models.DateTimeField(null=True, blank=True)
    recipient_count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-month", "-sent_at", "-id"]
        indexes = [models.Index(fields=["district", "status", "month"], name="update_district_status")]

    def __str__(self) -> str:
        return self.title

    @property
    def is_sent(self) -> bool:
        return self.status == self.Status.SENT

    def audience_labels(self) -> list[str]:
        return [UpdateAudience(a).label for a in self.audiences if a in UpdateAudience.values]


# Students and the roster -----------------------------------------------------------------------


class Student(models.Model):
    """A student of the district, as the student information system's roster lists them.

    `student_number` is the district's own student id (OneRoster `identifier`, else `sourcedId`):
    screener files name students by it, and their results link here by it. A student a roster no
    longer lists is made inactive, never deleted.
    """

    district = models.ForeignKey(District, on_delete=models.CASCADE, related_name="students")
    student_number = models.CharField("student id", max_length=64)
    sourced_id = models.CharField(max_length=255, blank=True, help_text="The roster's id of the student.")
    first_name = models.CharField(max_length=100)
    middle_name = models.CharField(max_length=100, blank=True)
    last_name = models.CharField(max_length=100)
    grade = models.CharField(max_length=4, blank=True, help_text="PK, K, 1 to 12, or 13.")
    school = models.ForeignKey(
        School, null=True, blank=True, on_delete=models.SET_NULL, related_name="students"
    )
    enrolled_on = models.DateField(null=True, blank=True)
    left_on = models.DateField(null=True, blank=True)
    active = models.BooleanField(default=True)
    birth_date = models.DateField(null=True, blank=True)
    sex = models.CharField(max_length=16, blank=True, help_text="Female, Male or Other, as the roster says.")
    race_ethnicity = models.CharField(max_length=64, blank=True)
    english_learner = models.BooleanField(default=False)
    special_education = models.BooleanField(default=False)
    economically_disadvantaged = models.BooleanField(default=False, help_text="Free or reduced-price lunch.")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["last_name", "first_name", "student_number"]
        constraints = [
            models.UniqueConstraint(
                fields=["district", "student_number"], name="student_number_unique_in_district"
            ),
        ]
        indexes = [
            models.Index(fields=["district", "sourced_id"], name="student_district_sourced"),
            models.Index(fields=["school", "active", "grade"], name="student_school_grade"),
        ]

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    def student_groups(self) -> list[str]:
        """The student-group labels the dashboards use, from the roster's demographics."""
        groups = [
            label
            for label in (self.race_ethnicity, self.sex if self.sex in ("Female", "Male") else "")
            if label
        ]
        flags = [
            (self.english_learner, "English learners"),
            (self.special_education, "Students with disabilities"),
            (self.economically_disadvantaged, "Economically disadvantaged"),
        ]
        return groups + [label for flag, label in flags if flag]


class RosterPerson(models.Model):
    """A staff member (teacher, administrator, aide...) as the roster lists them.

    Kept apart from accounts: a rostered person gets an invitation in the role the coordinator
    chose for their roster role, and an account only when they accept it. `person` is set once an
    account exists for the email.
    """

    district = models.ForeignKey(District, on_delete=models.CASCADE, related_name="roster_people")
    sourced_id = models.CharField(max_length=255)
    roster_role = models.CharField(max_length=32, help_text="OneRoster role: teacher, administrator, aide...")
    given_name = models.CharField(max_length=100, blank=True)
    family_name = models.CharField(max_length=100, blank=True)
    email = models.EmailField(blank=True)
    identifier = models.CharField(max_length=64, blank=True)
    schools = models.ManyToManyField(School, blank=True, related_name="roster_people")
    person = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="roster_entries"
    )
    active = models.BooleanField(default=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["family_name", "given_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["district", "sourced_id"], name="roster_person_unique_in_district"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.given_name} {self.family_name}".strip() or self.sourced_id


class RosterClass(models.Model):
    """A class (section) from the roster: a teacher's students come from its enrollments."""

    district = models.ForeignKey(District, on_delete=models.CASCADE, related_name="roster_classes")
    sourced_id = models.CharField(max_length=255)
    title = models.CharField(max_length=200)
    class_code = models.CharField(max_length=64, blank=True)
    course_title = models.CharField(max_length=200, blank=True)
    school = models.ForeignKey(
        School, null=True, blank=True, on_delete=models.SET_NULL, related_name="classes"
    )
    grades = models.CharField(max_length=64, blank=True)
    subjects = models.CharField(max_length=200, blank=True)
    active = models.BooleanField(default=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["title"]
        verbose_name_plural = "roster classes"
        constraints = [
            models.UniqueConstraint(
                fields=["district", "sourced_id"], name="roster_class_unique_in_district"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class Enrollment(models.Model):
    """A student or a staff member in a class, from the roster."""

    district = models.ForeignKey(District, on_delete=models.CASCADE, related_name="enrollments")
    sourced_id = models.CharField(max_length=255)
    roster_class = models.ForeignKey(RosterClass, on_delete=models.CASCADE, related_name="enrollments")
    student = models.ForeignKey(
        Student, null=True, blank=True, on_delete=models.CASCADE, related_name="enrollments"
    )
    staff = models.ForeignKey(
        RosterPerson, null=True, blank=True, on_delete=models.CASCADE, related_name="enrollments"
    )
    role = models.CharField(max_length=32, help_text="OneRoster role: student, teacher, aide...")
    primary = models.BooleanField(default=False)
    begins_on = models.DateField(null=True, blank=True)
    ends_on = models.DateField(null=True, blank=True)
    active = models.BooleanField(default=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["district", "sourced_id"], name="enrollment_unique_in_district"),
            models.CheckConstraint(
                condition=models.Q(student__isnull=False) | models.Q(staff__isnull=False),
                name="enrollment_names_a_student_or_staff",
            ),
        ]
        indexes = [models.Index(fields=["roster_class", "active"], name="enrollment_class_active")]

    def __str__(self) -> str:
        return f"{self.student or self.staff} in {self.roster_class}"
