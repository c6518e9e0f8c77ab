"""Importing OneRoster zips: all or nothing, unchanged on repeat, bulk deactivation, deltas, isolation."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext

from coordinators.models import (
    District,
    Enrollment,
    Invitation,
    Role,
    RosterClass,
    RosterPerson,
    School,
    Student,
)
from coordinators.roster.services import RosterReport, roster_import
from data_reviews.models import StudentResult
from mtss.audit.models import AuditEvent
from tests.conftest import Side
from tests.coordinators.roster_zips import RosterFiles, messy_roster, sample_roster, upload
from tests.data_reviews.score_factories import StudentResultFactory
from tests.factories import DistrictFactory, MembershipFactory, UserFactory


def run(district: District, files: RosterFiles, **kwargs: Any) -> RosterReport:
    return roster_import(district=district, upload=upload(files), member=kwargs.pop("member", None), **kwargs)


def snapshot(district: District) -> dict[str, list[tuple[Any, ...]]]:
    """Every roster row of the district, with its last change time."""
    return {
        "schools": list(School.objects.filter(district=district).order_by("pk").values_list()),
        "students": list(Student.objects.filter(district=district).order_by("pk").values_list()),
        "staff": list(RosterPerson.objects.filter(district=district).order_by("pk").values_list()),
        "staff_schools": list(
            RosterPerson.schools.through.objects.filter(rosterperson__district=district)
            .order_by("rosterperson_id", "school_id")
            .values_list("rosterperson_id", "school_id")
        ),
        "classes": list(RosterClass.objects.filter(district=district).order_by("pk").values_list()),
        "enrollments": list(Enrollment.objects.filter(district=district).order_by("pk").values_list()),
    }


def counts(report: RosterReport, what: str) -> dict[str, int]:
    return {kind: numbers[what] for kind, numbers in report.counts.items()}


def test_messy_roster_creates_schools_students_staff_classes_and_enrollments(side_a: Side) -> None:
    report = run(side_a.district, messy_roster())
    assert report.ok
    assert counts(report, "created") == {
        "schools": 2,
        "students": 4,
        "staff": 1,
        "classes": 1,
        "enrollments": 4,
    }
    ann = Student.objects.get(district=side_a.district, student_number="5001")
    assert (ann.first_name, ann.last_name, ann.grade, ann.school.name) == (
        "Ann",
        "O'Neil, Jr.",
        "K",
        "Lakeside Elementary, North Campus",
    )
    assert ann.student_groups() == [
        "Hispanic or Latino",
        "Female",
        "English learners",
        "Economically disadvantaged",
    ]
    assert str(ann.enrolled_on) == "2025-08-20"
    cy = Student.objects.get(district=side_a.district, sourced_id="u3")
    assert (cy.student_number, cy.grade) == ("u3", "PK")
    di = Student.objects.get(district=side_a.district, sourced_id="u4")
    assert (di.grade, di.active) == ("13", False)
    tess = RosterPerson.objects.get(district=side_a.district, sourced_id="t1")
    assert tess.email == "tess.both@example.org"
    assert sorted(tess.schools.values_list("code", flat=True)) == ["101", "102"]
    klass = RosterClass.objects.get(district=side_a.district)
    assert (klass.course_title, klass.grades, klass.school.code) == ("Reading, Grade K", "K, 1", "101")
    teacher_row = Enrollment.objects.get(district=side_a.district, sourced_id="e9")
    assert (teacher_row.staff, teacher_row.student, teacher_row.primary) == (tess, None, True)
    event = AuditEvent.objects.get(action="import roster", district=side_a.district)
    assert event.detail["counts"]["students"]["created"] == 4


def test_the_same_zip_twice_changes_nothing(side_a: Side) -> None:
    files = sample_roster(students_per_school=8)
    run(side_a.district, files)
    before = snapshot(side_a.district)
    again = run(side_a.district, files)
    assert counts(again, "unchanged") == {
        "schools": 2,
        "students": 16,
        "staff": 6,
        "classes": 4,
        "enrollments": 20,
    }
    assert all(sum(v for k, v in c.items() if k != "unchanged") == 0 for c in again.counts.values())
    assert snapshot(side_a.district) == before


def test_existing_schools_are_matched_by_code_then_by_name(side_a: Side) -> None:
    files = sample_roster(
        schools=2,
        students_per_school=2,
        school_names=[("Renamed Lakeside", "A01"), ("A Hilltop Middle", "X9")],
    )
    report = run(side_a.district, files)
    assert counts(report, "created")["schools"] == 0
    assert counts(report, "updated")["schools"] == 2
    side_a.school.refresh_from_db()
    side_a.other_school.refresh_from_db()
    assert (side_a.school.sourced_id, side_a.school.name) == ("org-1", "Renamed Lakeside")
    assert (side_a.other_school.sourced_id, side_a.other_school.code) == ("org-2", "A02")
    assert Student.objects.filter(school=side_a.school).count() == 2


def test_bulk_file_deactivates_what_it_no_longer_lists_and_deletes_nothing(side_a: Side) -> None:
    run(side_a.district, sample_roster(students_per_school=4))
    smaller = sample_roster(students_per_school=4)
    smaller.rows["users"] = [u for u in smaller.rows["users"] if u["sourcedId"] not in {"stu-1-1", "tch-1-2"}]
    smaller.rows["demographics"] = [d for d in smaller.rows["demographics"] if d["sourcedId"] != "stu-1-1"]
    gone_class = {"cls-1-2"}
    smaller.rows["classes"] = [c for c in smaller.rows["classes"] if c["sourcedId"] not in gone_class]
    smaller.rows["enrollments"] = [
        e
        for e in smaller.rows["enrollments"]
        if e["classSourcedId"] not in gone_class and e["userSourcedId"] not in {"stu-1-1", "tch-1-2"}
    ]
    report = run(side_a.district, smaller)
    assert counts(report, "deactivated") == {
        "schools": 0,
        "students": 1,
        "staff": 1,
        "classes": 1,
        "enrollments": 3,
    }
    gone = Student.objects.get(district=side_a.district, sourced_id="stu-1-1")
    assert gone.active is False
    assert gone.left_on is not None
    assert RosterPerson.objects.get(district=side_a.district, sourced_id="tch-1-2").active is False
    assert RosterClass.objects.get(district=side_a.district, sourced_id="cls-1-2").active is False
    assert Student.objects.filter(district=side_a.district).count() == 8
    assert Enrollment.objects.filter(district=side_a.district).count() == 12
    # The smaller file again: nothing more to do.
    assert sum(c["deactivated"] + c["updated"] for c in run(side_a.district, smaller).counts.values()) == 0


def test_delta_after_bulk_applies_only_its_changes(side_a: Side) -> None:
    run(side_a.district, sample_roster(students_per_school=4))
    before = {s.sourced_id: s for s in Student.objects.filter(district=side_a.district)}
    delta = RosterFiles(modes={"users": "delta", "demographics": "delta", "enrollments": "delta"})
    delta.add(
        "users", sourcedId="stu-1-1", status="tobedeleted", dateLastModified="2026-01-05T10:00:00Z",
        role="student", enabledUser="true",
    )  # fmt: skip
    changed = {
        **next(u for u in sample_roster(students_per_school=4).rows["users"] if u["sourcedId"] == "stu-1-2")
    }
    changed.update(
        status="active", dateLastModified="2026-01-05T10:00:00Z", familyName="Changed", grades="PK"
    )
    delta.add("users", **changed)
    delta.add(
        "users", sourcedId="stu-new", status="active", dateLastModified="2026-01-05T10:00:00Z",
        enabledUser="1", orgSourcedIds="org-2", role="student", givenName="New", familyName="Student",
        identifier="999", grades="03",
    )  # fmt: skip
    delta.add("demographics", sourcedId="stu-2-1", status="active", sex="female", asian="true", ell="Y")
    delta.add(
        "enrollments", sourcedId="enr-new", status="active", classSourcedId="cls-2-1",
        schoolSourcedId="org-2", userSourcedId="stu-new", role="student", primary="false",
    )  # fmt: skip
    report = run(side_a.district, delta)
    assert report.ok, report.problems
    assert report.counts["students"] == {"created": 1, "updated": 2, "unchanged": 0, "deactivated": 1}
    assert report.counts["enrollments"]["created"] == 1
    after = {s.sourced_id: s for s in Student.objects.filter(district=side_a.district)}
    assert after["stu-1-1"].active is False
    assert (after["stu-1-2"].last_name, after["stu-1-2"].grade) == ("Changed", "PK")
    assert (after["stu-2-1"].race_ethnicity, after["stu-2-1"].english_learner) == ("Asian", True)
    assert after["stu-new"].school.sourced_id == "org-2"
    untouched = set(before) - {"stu-1-1", "stu-1-2", "stu-2-1"}
    assert all(after[s].updated_at == before[s].updated_at for s in untouched)
    assert RosterPerson.objects.filter(district=side_a.district, active=True).count() == 6


def test_a_delta_naming_a_class_the_district_lacks_is_a_problem(side_a: Side) -> None:
    run(side_a.district, sample_roster(students_per_school=2))
    delta = RosterFiles(modes={"enrollments": "delta"})
    delta.add(
        "enrollments", sourcedId="enr-x", status="active", classSourcedId="cls-none", userSourcedId="stu-1-1",
        role="student",
    )  # fmt: skip
    report = run(side_a.district, delta)
    [problem] = report.problems
    assert (problem.file, problem.row, problem.column, problem.value) == (
        "enrollments.csv",
        2,
        "classSourcedId",
        "cls-none",
    )


def test_a_bad_row_near_the_end_writes_nothing_and_is_named(side_a: Side) -> None:
    files = sample_roster(students_per_school=100)
    files.rows["enrollments"][-1]["classSourcedId"] = "cls-missing"
    files.rows["demographics"][-2]["birthDate"] = "31/12/2015"
    report = run(side_a.district, files)
    assert not report.ok
    assert [(p.file, p.column, p.value) for p in report.problems] == [
        ("demographics.csv", "birthDate", "31/12/2015"),
        ("enrollments.csv", "classSourcedId", "cls-missing"),
    ]
    assert report.problems[1].row == len(files.rows["enrollments"]) + 1
    assert Student.objects.filter(district=side_a.district).count() == 0
    assert not School.objects.filter(district=side_a.district, sourced_id__gt="").exists()
    assert not AuditEvent.objects.filter(action="import roster").exists()


def test_dry_run_counts_and_writes_nothing(side_a: Side) -> None:
    report = run(side_a.district, sample_roster(students_per_school=3), dry_run=True)
    assert report.counts["students"]["created"] == 6
    assert Student.objects.count() == 0
    assert RosterPerson.objects.count() == 0


def test_one_districts_roster_never_touches_another_with_the_same_ids(side_a: Side, side_b: Side) -> None:
    run(side_b.district, sample_roster(students_per_school=3))
    b_before = snapshot(side_b.district)
    b_schools = set(School.objects.filter(district=side_b.district).values_list("pk", flat=True))
    report = run(side_a.district, sample_roster(students_per_school=3))
    assert counts(report, "created") == {
        "schools": 2,
        "students": 6,
        "staff": 6,
        "classes": 4,
        "enrollments": 10,
    }
    smaller = sample_roster(students_per_school=1)
    run(side_a.district, smaller)
    assert snapshot(side_b.district) == b_before
    assert not Student.objects.filter(district=side_a.district, school_id__in=b_schools).exists()
    assert not RosterPerson.schools.through.objects.filter(
        rosterperson__district=side_a.district, school_id__in=b_schools
    ).exists()


def test_staff_are_invited_once_in_the_role_the_district_chose(side_a: Side) -> None:
    district = side_a.district
    district.roster_roles = {"teacher": Role.SCHOOL_STAFF, "administrator": Role.LEADER, "aide": "nonsense"}
    district.save()
    files = sample_roster(schools=1, students_per_school=1, teachers_per_school=2)
    files.add(
        "users", sourcedId="aide-1", role="aide", orgSourcedIds="org-1", givenName="A", familyName="Aide",
        email="aide@sample.example.org",
    )  # fmt: skip
    # A teacher who is already one of the district's people is not invited.
    teacher_email = files.rows["users"][2]["email"]
    MembershipFactory(user=UserFactory(email=teacher_email), district=district, role=Role.MEMBER)
    report = run(district, files, member=side_a.membership(side_a.coordinator))
    assert report.invitations == 2
    invitations = {i.email: i for i in Invitation.objects.filter(district=district)}
    assert set(invitations) == {"teacher1-1@sample.example.org", "principal1@sample.example.org"}
    teacher = invitations["teacher1-1@sample.example.org"]
    assert (teacher.role, teacher.status) == (Role.SCHOOL_STAFF, Invitation.Status.PENDING)
    assert list(teacher.schools.values_list("sourced_id", flat=True)) == ["org-1"]
    assert teacher.person.has_usable_password() is False
    # A Leader role waits for another leader's confirmation, as every Leader invitation does.
    assert invitations["principal1@sample.example.org"].status == Invitation.Status.AWAITING_CONFIRMATION
    # The district learns whose account an invitation went to only when the person accepts.
    assert RosterPerson.objects.get(sourced_id="tch-1-1").person is None
    assert RosterPerson.objects.get(sourced_id="tch-1-2").person.email == teacher_email
    again = run(district, files, member=side_a.membership(side_a.coordinator))
    assert again.invitations == 0
    assert Invitation.objects.filter(district=district).count() == 2
    assert counts(again, "unchanged")["staff"] == 4


def test_every_rostered_teacher_is_invited_as_school_staff_of_their_own_school(side_a: Side) -> None:
    """Many School staff invitations in one roster, each tied to the teacher's own school."""
    district = side_a.district
    district.roster_roles = {"teacher": Role.SCHOOL_STAFF}
    district.save()
    report = run(
        district,
        sample_roster(schools=3, students_per_school=1, teachers_per_school=2),
        member=side_a.membership(side_a.coordinator),
    )
    assert report.invitations == 6
    invitations = Invitation.objects.filter(district=district, role=Role.SCHOOL_STAFF)
    assert sorted(invitations.values_list("email", "schools__sourced_id")) == [
        (f"teacher{school}-{teacher}@sample.example.org", f"org-{school}")
        for school in (1, 2, 3)
        for teacher in (1, 2)
    ]


def test_only_a_coordinator_of_the_district_imports_its_roster(side_a: Side, side_b: Side) -> None:
    files = sample_roster(students_per_school=1)
    with pytest.raises(PermissionDenied):
        run(side_a.district, files, member=side_a.membership(side_a.leader))
    with pytest.raises(PermissionDenied):
        run(side_a.district, files, member=side_b.membership(side_b.coordinator))
    assert Student.objects.count() == 0


def test_screener_results_link_to_rostered_students_in_their_district_only(
    side_a: Side, side_b: Side
) -> None:
    mine = StudentResultFactory(school=side_a.school, student_id="100001")
    unrostered = StudentResultFactory(school=side_a.school, student_id="555")
    theirs = StudentResultFactory(school=side_b.school, student_id="100001")
    report = run(side_a.district, sample_roster(students_per_school=2))
    assert report.results_linked == 1
    mine.refresh_from_db()
    assert mine.rostered_student == Student.objects.get(district=side_a.district, student_number="100001")
    assert StudentResult.objects.get(pk=unrostered.pk).rostered_student is None
    assert StudentResult.objects.get(pk=theirs.pk).rostered_student is None


def _queries(students_per_school: int) -> int:
    district = DistrictFactory(slug=f"q-{students_per_school}")
    StudentResultFactory(school=School.objects.create(district=district, name="Extra", code="E1"))
    files = sample_roster(students_per_school=students_per_school)
    with CaptureQueriesContext(connection) as first:
        run(district, files)
    with CaptureQueriesContext(connection) as second:
        run(district, files)
    return len(first.captured_queries) * 1000 + len(second.captured_queries)


@pytest.mark.django_db
def test_query_count_does_not_grow_with_the_roster() -> None:
    assert _queries(5) == _queries(50)


def test_an_enrollment_of_a_guardian_is_a_problem_not_skipped(side_a: Side) -> None:
    files = sample_roster(students_per_school=1)
    files.add(
        "users", sourcedId="g1", role="guardian", givenName="G", familyName="Parent", orgSourcedIds="org-1"
    )
    files.add("enrollments", sourcedId="enr-g1", classSourcedId="cls-1-1", userSourcedId="g1", role="student")
    report = run(side_a.district, files)
    assert [(p.file, p.column, p.value) for p in report.problems] == [
        ("enrollments.csv", "userSourcedId", "g1")
    ]
    assert Student.objects.count() == 0
