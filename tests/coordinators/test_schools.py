"""Schools in the app: a coordinator adds, edits, deactivates and reactivates a school; the import
page sends an unmatched name to the add form and comes back; nobody else changes a school."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from coordinators import schools
from coordinators.models import Role, School
from coordinators.services import SchoolCodeTaken
from data_reviews.models import ImportBatch, SchoolNameMapping
from mtss.audit.models import AuditEvent
from tests.factories import MembershipFactory, SchoolFactory

pytestmark = pytest.mark.django_db

NEW_SCHOOL = {
    "name": "Sunrise  Middle School",
    "code": "SMS",
    "state_id": " 41-0099 ",
    "level": "middle",
    "grades_served": "6-8",
}


def test_coordinator_adds_a_school_with_its_principal(side_a, coordinator_a):
    principal = side_a.membership(side_a.site_admin)
    response = coordinator_a.post(reverse("school_add"), {**NEW_SCHOOL, "principal": principal.pk})
    assert response.status_code == 302
    assert response.url == reverse("school_list")
    school = School.objects.get(district=side_a.district, code="SMS")
    assert (school.name, school.state_id, school.level, school.grades_served) == (
        "Sunrise Middle School",
        "41-0099",
        "middle",
        "6-8",
    )
    assert school.principal == side_a.site_admin
    assert school.active
    assert AuditEvent.objects.filter(action="create school", object_id=str(school.pk)).count() == 1


def test_adding_the_same_school_twice_gives_one_school(side_a):
    member = side_a.membership(side_a.coordinator)
    first = schools.school_add(member=member, **NEW_SCHOOL)
    second = schools.school_add(member=member, **NEW_SCHOOL)
    assert first.pk == second.pk
    assert School.objects.filter(district=side_a.district, code="SMS").count() == 1


def test_a_used_code_is_refused_and_what_was_typed_stays(side_a, coordinator_a):
    response = coordinator_a.post(reverse("school_add"), {**NEW_SCHOOL, "code": side_a.school.code})
    assert response.status_code == 200
    assert f"already used by {side_a.school.name}" in response.text
    assert 'value="Sunrise  Middle School"' in response.text
    assert not School.objects.filter(name__startswith="Sunrise").exists()


def test_a_principal_from_another_district_is_refused(side_a, side_b):
    member = side_a.membership(side_a.coordinator)
    with pytest.raises(schools.PrincipalNotInDistrict):
        schools.school_add(member=member, **NEW_SCHOOL, principal=side_b.site_admin)
    assert not School.objects.filter(code="SMS").exists()


def test_the_principal_list_holds_only_the_districts_people(side_a, side_b, coordinator_a):
    page = coordinator_a.get(reverse("school_add")).text
    assert "Site Admin A (Site Admin)" in page
    assert "Site Admin B" not in page


def test_coordinator_edits_a_school_and_the_change_is_audited(side_a, coordinator_a):
    school = side_a.school
    data = {
        "name": school.name,
        "code": "A99",
        "state_id": "41-1",
        "level": school.level,
        "grades_served": "K-6",
        "principal": side_a.membership(side_a.site_admin).pk,
    }
    response = coordinator_a.post(reverse("school_edit", args=[school.pk]), data)
    assert response.status_code == 302
    school.refresh_from_db()
    assert (school.code, school.state_id, school.grades_served, school.principal) == (
        "A99",
        "41-1",
        "K-6",
        side_a.site_admin,
    )
    event = AuditEvent.objects.get(action="change school", object_id=str(school.pk))
    assert event.detail["changed"]["code"] == ["A01", "A99"]
    assert event.detail["changed"]["principal"] == ["", side_a.site_admin.email]
    assert "name" not in event.detail["changed"]


def test_saving_a_school_unchanged_records_nothing(side_a):
    member = side_a.membership(side_a.coordinator)
    school = side_a.school
    data = {"name": school.name, "code": school.code, "grades_served": school.grades_served}
    schools.school_update(member=member, school=school, data=data)
    assert not AuditEvent.objects.filter(action="change school").exists()


def test_editing_to_another_schools_code_is_refused(side_a):
    member = side_a.membership(side_a.coordinator)
    with pytest.raises(SchoolCodeTaken):
        schools.school_update(
            member=member, school=side_a.school, data={"code": side_a.other_school.code.lower()}
        )
    side_a.school.refresh_from_db()
    assert side_a.school.code == "A01"


def test_deactivated_school_is_listed_apart_and_can_come_back(side_a, coordinator_a):
    school = side_a.other_school
    coordinator_a.post(reverse("school_deactivate", args=[school.pk]))
    coordinator_a.post(reverse("school_deactivate", args=[school.pk]))  # a double click
    school.refresh_from_db()
    assert not school.active
    assert AuditEvent.objects.filter(action="deactivate school", object_id=str(school.pk)).count() == 1
    page = coordinator_a.get(reverse("school_list")).text
    active_part = page.split("<tbody>")[1].split("</tbody>")[0]
    deactivated_part = page.split("Deactivated schools")[1]
    assert side_a.school.name in active_part
    assert school.name not in active_part
    assert school.name in deactivated_part
    assert reverse("school_reactivate", args=[school.pk]) in deactivated_part
    coordinator_a.post(reverse("school_reactivate", args=[school.pk]))
    school.refresh_from_db()
    assert school.active
    assert AuditEvent.objects.filter(action="reactivate school", object_id=str(school.pk)).count() == 1


def test_school_list_offers_add_and_edit_to_coordinators_only(side_a, coordinator_a, leader_a):
    page = coordinator_a.get(reverse("school_list")).text
    assert reverse("school_add") in page
    assert reverse("school_edit", args=[side_a.school.pk]) in page
    page = leader_a.get(reverse("school_list")).text
    assert reverse("school_add") not in page
    assert reverse("school_edit", args=[side_a.school.pk]) not in page


@pytest.mark.parametrize("persona", ["leader_a", "member_a", "site_admin_a"])
def test_other_roles_may_not_add_or_change_a_school(request, side_a, persona):
    client = request.getfixturevalue(persona)
    before = list(School.objects.values_list("pk", "name", "code", "active").order_by("pk"))
    assert client.post(reverse("school_add"), NEW_SCHOOL).status_code == 403
    edit = {**NEW_SCHOOL, "name": "Renamed"}
    assert client.post(reverse("school_edit", args=[side_a.school.pk]), edit).status_code == 403
    assert client.post(reverse("school_deactivate", args=[side_a.school.pk])).status_code == 403
    assert list(School.objects.values_list("pk", "name", "code", "active").order_by("pk")) == before


def test_outsider_gets_404_and_nothing_changes(side_a, coordinator_b):
    school = side_a.school
    before = (school.name, school.code, school.active)
    edit = {**NEW_SCHOOL, "name": "Renamed"}
    assert coordinator_b.get(reverse("school_edit", args=[school.pk])).status_code == 404
    assert coordinator_b.post(reverse("school_edit", args=[school.pk]), edit).status_code == 404
    assert coordinator_b.post(reverse("school_deactivate", args=[school.pk])).status_code == 404
    assert coordinator_b.post(reverse("school_reactivate", args=[school.pk])).status_code == 404
    school.refresh_from_db()
    assert (school.name, school.code, school.active) == before


def test_school_list_query_count_stays_with_deactivated_schools(
    side_a, coordinator_a, django_assert_num_queries
):
    SchoolFactory.create_batch(5, district=side_a.district)
    SchoolFactory.create_batch(5, district=side_a.district, active=False)
    with django_assert_num_queries(4):
        response = coordinator_a.get(reverse("school_list"))
    assert response.status_code == 200
    assert "Deactivated schools" in response.text
    SchoolFactory.create_batch(45, district=side_a.district)
    SchoolFactory.create_batch(45, district=side_a.district, active=False)
    with django_assert_num_queries(4):
        assert coordinator_a.get(reverse("school_list")).status_code == 200


def test_add_and_edit_pages_pin_their_queries(side_a, coordinator_a, django_assert_num_queries):
    for _ in range(20):
        MembershipFactory(district=side_a.district, role=Role.SITE_ADMIN, schools=[side_a.school])
    with django_assert_num_queries(4):
        response = coordinator_a.get(reverse("school_add"))
    assert response.status_code == 200
    assert "Add a school to District A" in response.text
    with django_assert_num_queries(5):
        response = coordinator_a.get(reverse("school_edit", args=[side_a.school.pk]))
    assert response.status_code == 200
    assert f'value="{side_a.school.code}"' in response.text


HEADER = "student id,school,grade,subject,window,school year,percentile\n"


@pytest.fixture
def batch(side_a, coordinator_a, django_capture_on_commit_callbacks, celery_eager) -> ImportBatch:
    data = HEADER + "1,Sunrise Middle School,7,Reading,Fall,2025-2026,50\n"
    with django_capture_on_commit_callbacks(execute=True):
        coordinator_a.post(
            reverse("score_import_list"),
            {"file_format": "generic", "data_file": SimpleUploadedFile("fall.csv", data.encode())},
        )
    return ImportBatch.objects.get()


def test_import_page_links_an_unmatched_name_to_the_add_form(batch, coordinator_a):
    page = coordinator_a.get(reverse("score_import_detail", args=[batch.pk])).text
    assert f"{reverse('school_add')}?import={batch.pk}&amp;name=Sunrise%20Middle%20School" in page
    form = coordinator_a.get(
        reverse("school_add"), {"import": batch.pk, "name": "Sunrise Middle School"}
    ).text
    assert 'value="Sunrise Middle School"' in form
    assert reverse("score_import_detail", args=[batch.pk]) in form


def test_school_added_for_an_import_returns_to_it_and_the_name_matches(
    batch, side_a, coordinator_a, django_capture_on_commit_callbacks
):
    # The form posts the import and the name in the file back; the school's own name may differ.
    data = {**NEW_SCHOOL, "import": batch.pk, "name": "Sunrise Middle School"}
    with django_capture_on_commit_callbacks(execute=True):
        response = coordinator_a.post(reverse("school_add"), data)
    assert response.status_code == 302
    assert response.url == reverse("score_import_detail", args=[batch.pk])
    school = School.objects.get(district=side_a.district, code="SMS")
    assert SchoolNameMapping.objects.get(source_name="sunrise middle school").school == school
    batch.refresh_from_db()
    assert batch.summary["unmatched_schools"] == {}


def test_outsider_cannot_add_a_school_for_anothers_import(batch, coordinator_b):
    response = coordinator_b.post(reverse("school_add"), {**NEW_SCHOOL, "import": batch.pk})
    assert response.status_code == 404
    assert not School.objects.filter(code="SMS").exists()
