"""Importing a OneRoster 1.1 CSV zip into the district: schools, students, staff, classes, enrollments.

All or nothing: the zip is read and every row resolved against the district's stored roster first
(the plan: what is new, changed, unchanged or to deactivate, and every problem); nothing is written
unless the plan has no problem, and then everything is written in one transaction. The same zip
imported twice changes nothing. A bulk file is the whole roster of its kind, so what it no longer
lists is made inactive (never deleted); a delta file changes only the rows it lists.

The number of queries does not grow with the roster: stored rows are read into maps once per kind,
rows are written with bulk_create and bulk_update in batches of BATCH_SIZE, and screener results are
linked to students in one UPDATE. Only invitations, one per staff member newly invited, take a few
queries each (the invitation flow's own).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Model, OuterRef, Subquery
from django.db.models.functions import Lower
from django.utils import timezone

from coordinators.models import (
    District,
    Enrollment,
    Invitation,
    Membership,
    Role,
    RosterClass,
    RosterPerson,
    School,
    Student,
    User,
)
from coordinators.roster.links import results_link
from coordinators.roster.parsing import STAFF_ROLES, Roster, RosterProblem, read_roster
from coordinators.services import district_invite
from data_reviews.scores.importing import Problem, Upload, group_problems, school_key
from mtss.audit.models import AuditAction
from mtss.audit.services import audit_record

BATCH_SIZE = 1000
KINDS = ("schools", "students", "staff", "classes", "enrollments")
KIND_LABELS = {
    "schools": "Schools",
    "students": "Students",
    "staff": "Staff",
    "classes": "Classes",
    "enrollments": "Enrollments",
}
Report = Callable[[int, str], None]

STUDENT_FIELDS = (
    "student_number",
    "sourced_id",
    "first_name",
    "middle_name",
    "last_name",
    "grade",
    "school_id",
    "active",
    "left_on",
    "birth_date",
    "sex",
    "race_ethnicity",
    "english_learner",
    "special_education",
    "economically_disadvantaged",
)
DEMOGRAPHIC_FIELDS = ("birth_date", "sex", "race_ethnicity")
PROGRAM_FIELDS = ("english_learner", "special_education", "economically_disadvantaged")
STAFF_FIELDS = ("sourced_id", "roster_role", "given_name", "family_name", "email", "identifier", "active")
CLASS_FIELDS = (
    "sourced_id",
    "title",
    "class_code",
    "course_title",
    "school_id",
    "grades",
    "subjects",
    "active",
)
ENROLLMENT_FIELDS = (
    "sourced_id",
    "roster_class_id",
    "student_id",
    "staff_id",
    "role",
    "primary",
    "begins_on",
    "ends_on",
    "active",
)


@dataclass(frozen=True)
class _New:
    """A row the import creates, named by its sourcedId until it has a primary key."""

    sourced_id: str


Ref = int | _New | None


@dataclass
class Changes:
    """One kind's plan: rows to create, rows to change (by pk), rows left as they are, rows to deactivate."""

    create: list[dict[str, Any]] = field(default_factory=list)
    update: list[tuple[int, dict[str, Any]]] = field(default_factory=list)
    unchanged: int = 0
    deactivate: list[int] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        return {
            "created": len(self.create),
            "updated": len(self.update),
            "unchanged": self.unchanged,
            "deactivated": len(self.deactivate),
        }

    def compare(self, pk: int | None, stored: Mapping[str, Any] | None, wanted: dict[str, Any]) -> None:
        if pk is None or stored is None:
            self.create.append(wanted)
        elif all(stored.get(name) == value for name, value in wanted.items()):
            self.unchanged += 1
        elif stored.get("active") and wanted.get("active") is False and _only_leaving(stored, wanted):
            self.deactivate.append(pk)
        else:
            self.update.append((pk, wanted))


def _only_leaving(stored: Mapping[str, Any], wanted: dict[str, Any]) -> bool:
    """The row changes only by going inactive (and the day it left)."""
    return all(stored.get(n) == v for n, v in wanted.items() if n not in {"active", "left_on"})


@dataclass
class RosterReport:
    """What an import did (or, checked only, would do) per kind, and every problem that stops it."""

    file_name: str
    modes: dict[str, str]
    counts: dict[str, dict[str, int]]
    invitations: int = 0
    results_linked: int = 0
    problems: list[RosterProblem] = field(default_factory=list)
    dry_run: bool = False
    rows_read: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def rows_ready(self) -> int:
        """The rows that create, change, keep or deactivate a record."""
        return sum(sum(numbers.values()) for numbers in self.counts.values())

    def problem_rows(self) -> list[Problem]:
        """The problems as an import's problem rows: the column names its file ("users.csv role")."""
        return [Problem(p.row, f"{p.file} {p.column}".strip(), p.value, p.reason) for p in self.problems]

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": "roster",
            "file_name": self.file_name,
            "modes": self.modes,
            "counts": self.counts,
            "invitations": self.invitations,
            "results_linked": self.results_linked,
            "problem_count": len(self.problems),
            "problem_rows": len({(p.file, p.row) for p in self.problems}),
            "problem_groups": group_problems(self.problem_rows()),
        }


def roster_import(
    *,
    district: District,
    upload: Upload,
    member: Membership | None,
    dry_run: bool = False,
    report: Report | None = None,
) -> RosterReport:
    """Check a OneRoster zip against the district's roster and, when nothing stops it (and it is not
    a dry run), write it all in one transaction. `member` is the coordinator importing it (None: the
    command line). Raises RosterRefused when the zip cannot be opened safely."""
    if member is not None and (member.district_id != district.pk or not member.is_coordinator):
        raise PermissionDenied("Only a coordinator of the district imports its roster.")
    tell = report or (lambda _progress, _stage: None)
    tell(10, "Reading the roster")
    roster = read_roster(upload, max_bytes=settings.MTSS_MAX_UPLOAD_BYTES)
    with transaction.atomic():
        # The district row is the lock: two imports of a roster into one district run one after the other.
        District.objects.select_for_update().filter(pk=district.pk).first()
        tell(30, "Checking every row against the district's roster")
        plan = _Plan(district, roster)
        result = RosterReport(
            file_name=upload.name,
            modes=roster.modes,
            counts={kind: plan.changes[kind].counts() for kind in KINDS},
            invitations=len(plan.invitations()),
            problems=sorted(plan.problems, key=lambda p: (p.file, p.row, p.column)),
            dry_run=dry_run,
            rows_read=sum(len(ids) for ids in roster.listed.values()),
        )
        if not result.ok or dry_run:
            return result
        tell(50, "Saving the roster")
        plan.apply()
        tell(85, "Inviting staff")
        result.invitations = plan.invite(member.user if member is not None else None)
        result.results_linked = results_link(district_id=district.pk)
        audit_record(
            action=AuditAction.IMPORT_ROSTER,
            actor=member.user if member is not None else None,
            district=district,
            detail={
                "file": upload.name,
                "modes": roster.modes,
                "counts": result.counts,
                "invitations": result.invitations,
                "results_linked": result.results_linked,
            },
        )
        tell(100, "Imported")
    return result


class _Plan:
    """The zip resolved against the district's stored roster: the changes per kind and the problems."""

    def __init__(self, district: District, roster: Roster) -> None:
        self.district, self.roster = district, roster
        self.problems: list[RosterProblem] = list(roster.problems)
        self.changes = {kind: Changes() for kind in KINDS}
        # The sourcedIds of each file's rows read without a problem, when asked for.
        self._read_ids: dict[str, set[str]] = {}
        self.today = timezone.localdate(timezone.now(), district.tz)
        self._plan_schools()
        self._plan_students()
        self._plan_staff()
        self._plan_classes()
        self._plan_enrollments()

    def problem(self, file: str, row: int, column: str, value: str, reason: str) -> None:
        self.problems.append(RosterProblem(file, row, column, value[:80], reason))

    def _reported(self, kind: str, sourced_id: str) -> bool:
        """The reader has already named the problem with a reference to this row: its file is
        bulk and lacks it, or the file lists it on a row with a problem of its own."""
        listed = self.roster.listed.get(kind, set())
        if sourced_id not in listed:
            return self.roster.mode(kind) == "bulk"
        if kind not in self._read_ids:
            records: dict[str, list[Any]] = {
                "orgs": self.roster.orgs,
                "users": self.roster.users,
                "classes": self.roster.classes,
            }
            self._read_ids[kind] = {record.sourced_id for record in records[kind]}
        return sourced_id not in self._read_ids[kind]

    # Schools ------------------------------------------------------------------------------------

    def _plan_schools(self) -> None:
        stored = list(
            School.objects.filter(district=self.district).values("pk", "sourced_id", "code", "name")
        )
        by_sourced = {s["sourced_id"]: s for s in stored if s["sourced_id"]}
        by_code = {s["code"].casefold(): s for s in stored}
        by_name = {school_key(s["name"]): s for s in stored}
        # org sourcedId -> the school's pk, or _New for a school this import adds.
        self.school_refs: dict[str, Ref] = {sid: s["pk"] for sid, s in by_sourced.items()}
        self.not_schools = {o.sourced_id for o in self.roster.orgs if o.type != "school"}
        claimed: dict[int, str] = {}
        codes = set(by_code)
        changes = self.changes["schools"]
        for org in self.roster.orgs:
            if org.type != "school" or org.status != "active":
                continue
            match = by_sourced.get(org.sourced_id)
            if match is None:
                for candidate in (
                    by_code.get(org.identifier.casefold()) if org.identifier else None,
                    by_name.get(school_key(org.name)),
                ):
                    if candidate is not None and not candidate["sourced_id"]:
                        match = candidate
                        break
            if match is not None and match["pk"] in claimed:
                self.problem(
                    "orgs.csv",
                    org.row,
                    "sourcedId",
                    org.sourced_id,
                    f"This school matches the same school of the district as org {claimed[match['pk']]}.",
                )
                continue
            if match is not None:
                claimed[match["pk"]] = org.sourced_id
                self.school_refs[org.sourced_id] = match["pk"]
                changes.compare(match["pk"], match, {"sourced_id": org.sourced_id, "name": org.name})
                continue
            code = (org.identifier or org.sourced_id)[:32]
            if code.casefold() in codes:
                self.problem(
                    "orgs.csv",
                    org.row,
                    "identifier",
                    code,
                    "Another school of the district has this code; give the school its own identifier.",
                )
                continue
            codes.add(code.casefold())
            self.school_refs[org.sourced_id] = _New(org.sourced_id)
            changes.create.append(
                {"sourced_id": org.sourced_id, "name": org.name, "code": code, "level": _level(org.name)}
            )

    def school_of(self, file: str, row: int, column: str, org_ids: Iterable[str]) -> tuple[bool, Ref]:
        """The first school among the orgs a row names (others, such as the district, are skipped)."""
        for org in org_ids:
            if org in self.school_refs:
                return True, self.school_refs[org]
            if org not in self.not_schools:
                if not self._reported("orgs", org):
                    self.problem(file, row, column, org, "No school of the district has this sourcedId.")
                return False, None
        return True, None

    # Students -----------------------------------------------------------------------------------

    def _plan_students(self) -> None:
        stored = list(
            Student.objects.filter(district=self.district).values("pk", "enrolled_on", *STUDENT_FIELDS)
        )
        by_sourced = {s["sourced_id"]: s for s in stored if s["sourced_id"]}
        by_number = {s["student_number"]: s for s in stored}
        self.student_refs: dict[str, Ref] = {sid: s["pk"] for sid, s in by_sourced.items()}
        demographics = {d.sourced_id: d for d in self.roster.demographics if d.status == "active"}
        starts: dict[str, datetime.date] = {}
        for enrollment in self.roster.enrollments:
            if enrollment.begin_date and enrollment.role == "student":
                first = starts.get(enrollment.user_sourced_id)
                starts[enrollment.user_sourced_id] = min(filter(None, (first, enrollment.begin_date)))
        changes = self.changes["students"]
        listed: set[str] = set()
        for user in self.roster.users:
            listed.add(user.sourced_id)
            if user.role != "student":
                continue
            match = by_sourced.get(user.sourced_id)
            if user.status == "tobedeleted":
                if match is not None:
                    changes.compare(match["pk"], match, self._leaving(match))
                continue
            if match is None:
                match = by_number.get(user.student_number)
                if match is not None and match["sourced_id"] and match["sourced_id"] != user.sourced_id:
                    self.problem(
                        "users.csv",
                        user.row,
                        "identifier",
                        user.student_number,
                        "Another rostered student of the district has this student id.",
                    )
                    continue
            elif user.student_number in by_number and by_number[user.student_number]["pk"] != match["pk"]:
                self.problem(
                    "users.csv",
                    user.row,
                    "identifier",
                    user.student_number,
                    "Another student of the district has this student id.",
                )
                continue
            found, school = self.school_of("users.csv", user.row, "orgSourcedIds", user.org_sourced_ids)
            if not found:
                continue
            wanted: dict[str, Any] = {
                "student_number": user.student_number,
                "sourced_id": user.sourced_id,
                "first_name": user.given_name,
                "middle_name": user.middle_name,
                "last_name": user.family_name,
                "grade": user.grades[0] if user.grades else "",
                "school_id": school,
                "active": user.enabled,
                "left_on": None if user.enabled else ((match or {}).get("left_on") or self.today),
            }
            wanted.update(self._demographics(match, demographics.get(user.sourced_id)))
            if match is None:
                wanted["enrolled_on"] = starts.get(user.sourced_id)
                self.student_refs[user.sourced_id] = _New(user.sourced_id)
            else:
                self.student_refs[user.sourced_id] = match["pk"]
            changes.compare(match["pk"] if match else None, match, wanted)
        # A delta demographics file may change students its users file does not list.
        for sourced_id, demographic in demographics.items():
            match = by_sourced.get(sourced_id)
            if sourced_id not in listed and match is not None:
                changes.compare(match["pk"], match, {**match, **self._demographics(match, demographic)})
        if self.roster.mode("users") == "bulk":
            for student in stored:
                if student["active"] and student["sourced_id"] and student["sourced_id"] not in listed:
                    changes.compare(student["pk"], student, self._leaving(student))

    def _leaving(self, stored: dict[str, Any]) -> dict[str, Any]:
        return {**stored, "active": False, "left_on": stored.get("left_on") or self.today}

    def _demographics(self, stored: dict[str, Any] | None, demographic: Any) -> dict[str, Any]:
        """The demographic fields: the file's when it lists the student, else what is stored."""
        kept = {name: (stored or {}).get(name, "") for name in DEMOGRAPHIC_FIELDS}
        kept["birth_date"] = (stored or {}).get("birth_date")
        kept.update({name: bool((stored or {}).get(name, False)) for name in PROGRAM_FIELDS})
        if demographic is None:
            return kept
        kept.update(
            {
                "birth_date": demographic.birth_date,
                "sex": demographic.sex,
                "race_ethnicity": demographic.race_ethnicity,
            }
        )
        for name in PROGRAM_FIELDS:
            value = getattr(demographic, name)
            if value is not None:
                kept[name] = value
        return kept

    # Staff --------------------------------------------------------------------------------------

    def _plan_staff(self) -> None:
        stored = list(
            RosterPerson.objects.filter(district=self.district).values("pk", "person_id", *STAFF_FIELDS)
        )
        links = RosterPerson.schools.through.objects.filter(rosterperson__district=self.district).values_list(
            "rosterperson_id", "school_id"
        )
        schools: dict[int, set[Ref]] = {}
        for person_id, school_id in links:
            schools.setdefault(person_id, set()).add(school_id)
        for person in stored:
            person["schools"] = frozenset(schools.get(person["pk"], set()))
        by_sourced = {p["sourced_id"]: p for p in stored}
        self.staff_refs: dict[str, Ref] = {sid: p["pk"] for sid, p in by_sourced.items()}
        self.staff_rows: dict[str, dict[str, Any]] = {}
        changes = self.changes["staff"]
        listed: set[str] = set()
        for user in self.roster.users:
            listed.add(user.sourced_id)
            if user.role not in STAFF_ROLES:
                continue
            match = by_sourced.get(user.sourced_id)
            if user.status == "tobedeleted":
                if match is not None:
                    changes.compare(match["pk"], match, {**match, "active": False})
                continue
            refs: set[Ref] = set()
            for org in user.org_sourced_ids:
                found, school = self.school_of("users.csv", user.row, "orgSourcedIds", [org])
                if not found:
                    break
                if school is not None:
                    refs.add(school)
            else:
                wanted: dict[str, Any] = {
                    "sourced_id": user.sourced_id,
                    "roster_role": user.role,
                    "given_name": user.given_name,
                    "family_name": user.family_name,
                    "email": user.email.lower(),
                    "identifier": user.identifier[:64],
                    "active": user.enabled,
                    "schools": frozenset(refs),
                }
                self.staff_rows[user.sourced_id] = wanted
                self.staff_refs[user.sourced_id] = match["pk"] if match else _New(user.sourced_id)
                changes.compare(match["pk"] if match else None, match, wanted)
        if self.roster.mode("users") == "bulk":
            for person in stored:
                if person["active"] and person["sourced_id"] not in listed:
                    changes.compare(person["pk"], person, {**person, "active": False})

    def invitations(self) -> list[dict[str, Any]]:
        """The active staff of the zip to invite: their roster role maps to a role, they have an email,
        and the district has not invited them before nor counts them among its people."""
        roles = {k.casefold(): v for k, v in (self.district.roster_roles or {}).items() if v in Role.values}
        wanted = [
            row
            for row in self.staff_rows.values()
            if row["active"] and row["email"] and row["roster_role"].casefold() in roles
        ]
        if not wanted:
            return []
        emails = {row["email"] for row in wanted}
        known = set(
            Membership.objects.filter(district=self.district)
            .annotate(address=Lower("user__email"))
            .filter(address__in=emails)
            .values_list("address", flat=True)
        ) | set(
            Invitation.objects.filter(district=self.district)
            .annotate(address=Lower("email"))
            .filter(address__in=emails)
            .values_list("address", flat=True)
        )
        chosen: dict[str, dict[str, Any]] = {}
        for row in wanted:
            if row["email"] not in known and row["email"] not in chosen:
                chosen[row["email"]] = {**row, "role": roles[row["roster_role"].casefold()]}
        return list(chosen.values())

    # Classes and enrollments --------------------------------------------------------------------

    def _plan_classes(self) -> None:
        stored = list(RosterClass.objects.filter(district=self.district).values("pk", *CLASS_FIELDS))
        by_sourced = {c["sourced_id"]: c for c in stored}
        self.class_refs: dict[str, Ref] = {sid: c["pk"] for sid, c in by_sourced.items()}
        courses = {c.sourced_id: c.title for c in self.roster.courses}
        changes = self.changes["classes"]
        listed: set[str] = set()
        for klass in self.roster.classes:
            listed.add(klass.sourced_id)
            match = by_sourced.get(klass.sourced_id)
            if klass.status == "tobedeleted":
                if match is not None:
                    changes.compare(match["pk"], match, {**match, "active": False})
                continue
            ids = [klass.school_sourced_id] if klass.school_sourced_id else []
            found, school = self.school_of("classes.csv", klass.row, "schoolSourcedId", ids)
            if not found:
                continue
            wanted = {
                "sourced_id": klass.sourced_id,
                "title": klass.title,
                "class_code": klass.class_code,
                "course_title": courses.get(klass.course_sourced_id, (match or {}).get("course_title", ""))[
                    :200
                ],
                "school_id": school,
                "grades": ", ".join(klass.grades)[:64],
                "subjects": klass.subjects,
                "active": True,
            }
            self.class_refs[klass.sourced_id] = match["pk"] if match else _New(klass.sourced_id)
            changes.compare(match["pk"] if match else None, match, wanted)
        if self.roster.mode("classes") == "bulk":
            for klass_row in stored:
                if klass_row["active"] and klass_row["sourced_id"] not in listed:
                    changes.compare(klass_row["pk"], klass_row, {**klass_row, "active": False})

    def _plan_enrollments(self) -> None:
        stored = list(Enrollment.objects.filter(district=self.district).values("pk", *ENROLLMENT_FIELDS))
        by_sourced = {e["sourced_id"]: e for e in stored}
        changes = self.changes["enrollments"]
        listed: set[str] = set()
        for enrollment in self.roster.enrollments:
            listed.add(enrollment.sourced_id)
            match = by_sourced.get(enrollment.sourced_id)
            if enrollment.status == "tobedeleted":
                if match is not None:
                    changes.compare(match["pk"], match, {**match, "active": False})
                continue
            klass = self.class_refs.get(enrollment.class_sourced_id)
            if klass is None and self._reported("classes", enrollment.class_sourced_id):
                continue
            if klass is None:
                self.problem(
                    "enrollments.csv",
                    enrollment.row,
                    "classSourcedId",
                    enrollment.class_sourced_id,
                    "No class of the district has this sourcedId.",
                )
                continue
            student = self.student_refs.get(enrollment.user_sourced_id)
            staff = None if student is not None else self.staff_refs.get(enrollment.user_sourced_id)
            if student is None and staff is None and self._reported("users", enrollment.user_sourced_id):
                continue
            if student is None and staff is None:
                self.problem(
                    "enrollments.csv",
                    enrollment.row,
                    "userSourcedId",
                    enrollment.user_sourced_id,
                    "No student or staff member of the district has this sourcedId.",
                )
                continue
            wanted = {
                "sourced_id": enrollment.sourced_id,
                "roster_class_id": klass,
                "student_id": student,
                "staff_id": staff,
                "role": enrollment.role,
                "primary": enrollment.primary,
                "begins_on": enrollment.begin_date,
                "ends_on": enrollment.end_date,
                "active": True,
            }
            changes.compare(match["pk"] if match else None, match, wanted)
        if self.roster.mode("enrollments") == "bulk":
            for row in stored:
                if row["active"] and row["sourced_id"] not in listed:
                    changes.compare(row["pk"], row, {**row, "active": False})

    # Writing ------------------------------------------------------------------------------------

    def apply(self) -> None:
        district = self.district
        schools = self.changes["schools"]
        _write(School, district, schools, ("sourced_id", "name"), lambda row: {**row, "grades_served": ""})
        self.school_pks = dict(
            School.objects.filter(district=district).exclude(sourced_id="").values_list("sourced_id", "pk")
        )
        resolve_school = _resolver(self.school_pks)
        _write(
            Student,
            district,
            self.changes["students"],
            STUDENT_FIELDS,
            lambda row: {**row, "school_id": resolve_school(row["school_id"])},
            deactivate={"active": False, "left_on": self.today},
        )
        staff = self.changes["staff"]
        _write(
            RosterPerson,
            district,
            staff,
            STAFF_FIELDS,
            lambda row: {k: v for k, v in row.items() if k != "schools"},
        )
        self.staff_pks = dict(RosterPerson.objects.filter(district=district).values_list("sourced_id", "pk"))
        self._write_staff_schools(resolve_school)
        _write(
            RosterClass,
            district,
            self.changes["classes"],
            CLASS_FIELDS,
            lambda row: {**row, "school_id": resolve_school(row["school_id"])},
        )
        resolve_class = _resolver(
            dict(RosterClass.objects.filter(district=district).values_list("sourced_id", "pk"))
        )
        resolve_student = _resolver(
            dict(
                Student.objects.filter(district=district)
                .exclude(sourced_id="")
                .values_list("sourced_id", "pk")
            )
        )
        resolve_staff = _resolver(self.staff_pks)
        _write(
            Enrollment,
            district,
            self.changes["enrollments"],
            ENROLLMENT_FIELDS,
            lambda row: {
                **row,
                "roster_class_id": resolve_class(row["roster_class_id"]),
                "student_id": resolve_student(row["student_id"]),
                "staff_id": resolve_staff(row["staff_id"]),
            },
        )

    def _write_staff_schools(self, resolve_school: Callable[[Ref], int | None]) -> None:
        """Each created or changed staff member's schools, replaced in two statements per batch."""
        through = RosterPerson.schools.through
        people = [
            (self.staff_pks[row["sourced_id"]], row["schools"])
            for row in (*self.changes["staff"].create, *(w for _pk, w in self.changes["staff"].update))
            if "schools" in row
        ]
        for start in range(0, len(people), BATCH_SIZE):
            batch = people[start : start + BATCH_SIZE]
            through.objects.filter(rosterperson_id__in=[pk for pk, _ in batch]).delete()
            through.objects.bulk_create(
                [
                    through(rosterperson_id=pk, school_id=resolve_school(ref))
                    for pk, refs in batch
                    for ref in refs
                ],
                batch_size=BATCH_SIZE,
            )

    def invite(self, invited_by: User | None) -> int:
        """Invite the staff the district's roster roles name, in that role and tied to their schools;
        link each rostered staff member who is one of the district's people to their account. Call
        after apply()."""
        invitations = self.invitations()
        resolve_school = _resolver(self.school_pks)
        schools = School.objects.in_bulk(
            {pk for row in invitations for ref in row["schools"] if (pk := resolve_school(ref)) is not None}
        )
        for row in invitations:
            pks = sorted(pk for ref in row["schools"] if (pk := resolve_school(ref)) is not None)
            district_invite(
                district=self.district,
                invited_by=invited_by,
                email=row["email"],
                full_name=f"{row['given_name']} {row['family_name']}".strip() or row["email"],
                role=row["role"],
                schools=[schools[pk] for pk in pks if pk in schools],
            )
        # Only an account that is one of the district's people: an invited person's account stays
        # unknown to the district until they accept (and a later import links them then).
        users = (
            User.objects.filter(memberships__district=self.district)
            .annotate(address=Lower("email"))
            .filter(address=OuterRef("email"))
            .values("pk")[:1]
        )
        RosterPerson.objects.filter(district=self.district, person__isnull=True).exclude(email="").update(
            person=Subquery(users)
        )
        return len(invitations)


def _resolver(pks: dict[str, int]) -> Callable[[Ref], int | None]:
    def resolve(ref: Ref) -> int | None:
        return pks.get(ref.sourced_id) if isinstance(ref, _New) else ref

    return resolve


def _write(
    model: type[Model],
    district: District,
    changes: Changes,
    fields: tuple[str, ...],
    prepare: Callable[[dict[str, Any]], dict[str, Any]],
    *,
    deactivate: dict[str, Any] | None = None,
) -> None:
    """Create, update and deactivate one kind's rows in batches: a few statements per batch of rows."""
    manager = model._default_manager
    manager.bulk_create(
        [model(district=district, **_columns(model, prepare(row))) for row in changes.create],
        batch_size=BATCH_SIZE,
    )
    if changes.update:
        stamped = any(f.attname == "updated_at" for f in model._meta.concrete_fields)
        manager.bulk_update(
            [model(pk=pk, district=district, **_columns(model, prepare(row))) for pk, row in changes.update],
            [*fields, "updated_at"] if stamped else list(fields),
            batch_size=BATCH_SIZE,
        )
    for start in range(0, len(changes.deactivate), BATCH_SIZE):
        manager.filter(pk__in=changes.deactivate[start : start + BATCH_SIZE]).update(
            **(deactivate or {"active": False})
        )


def _columns(model: type[Model], row: dict[str, Any]) -> dict[str, Any]:
    """The row's values the model has a column for (plans carry a few extra keys for comparing)."""
    names = {f.attname for f in model._meta.concrete_fields}
    values = {k: v for k, v in row.items() if k in names and k not in {"id", "district_id"}}
    if "updated_at" in names:
        values["updated_at"] = timezone.now()
    return values


def _level(name: str) -> str:
    words = school_key(name)
    if "high" in words:
        return School.Level.HIGH
    if "middle" in words or "junior" in words:
        return School.Level.MIDDLE
    if "elementary" in words or "primary" in words:
        return School.Level.ELEMENTARY
    return School.Level.OTHER
