"""People in bulk: a staff file is checked and previewed row by row, then sent all or nothing through
the one invitation service; a coordinator deactivates a person or changes a role, and a change to a
role that needs confirmation waits for a leader and for the person."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from coordinators import people, services
from coordinators.models import Invitation, Membership, Role, User
from data_reviews.scores.importing.files import Upload, UploadRefused
from mtss.audit.models import AuditEvent
from mtss.notifications.models import Notification
from tests.factories import MembershipFactory, SchoolFactory

pytestmark = pytest.mark.django_db


def staff_file(*lines: str, name: str = "staff.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, ("\n".join(["email,name,role,schools", *lines]) + "\n").encode())


def good_file(side) -> SimpleUploadedFile:
    return staff_file(
        f"Rosa.Delgado@example.org,Rosa Delgado,Site Admin,{side.school.name}; {side.other_school.code}",
        "sam.lee@example.org,Sam Lee,DIT Member,",
        "new.coord@example.org,Noor Coordinator,District Coordinator,",
        f"{side.member.email},DIT Member A,DIT Member,",
    )


def test_preview_lists_each_rows_outcome_and_sends_nothing(side_a, coordinator_a):
    services.person_invite(
        member=side_a.membership(side_a.coordinator),
        email="sam.lee@example.org",
        full_name="Sam Lee",
        role=Role.MEMBER,
    )
    invitations_before = Invitation.objects.count()
    response = coordinator_a.post(reverse("people_bulk"), {"people_file": good_file(side_a)})
    assert response.status_code == 200
    page = response.text
    assert "Will be invited" in page
    assert "Already invited: left as is" in page
    assert "Already a member: left as is" in page
    assert "Will be invited once an executive leader confirms the role" in page
    assert "Send 2 invitations" in page
    assert Invitation.objects.count() == invitations_before
    assert not User.objects.filter(email="rosa.delgado@example.org").exists()


def test_sending_invites_through_the_invitation_service(side_a, coordinator_a):
    coordinator_a.post(reverse("people_bulk"), {"people_file": good_file(side_a)})
    response = coordinator_a.post(reverse("people_bulk_send"))
    assert response.status_code == 302
    assert response.url == reverse("person_list")
    rosa = Invitation.objects.get(email="rosa.delgado@example.org")
    assert rosa.status == Invitation.Status.PENDING
    assert set(rosa.schools.all()) == {side_a.school, side_a.other_school}
    assert Notification.objects.filter(recipient=rosa.person, kind="invitation").count() == 1
    noor = Invitation.objects.get(email="new.coord@example.org")
    assert noor.status == Invitation.Status.AWAITING_CONFIRMATION
    assert not Notification.objects.filter(recipient=noor.person).exists()
    assert AuditEvent.objects.filter(action="invite person", district=side_a.district).count() == 3
    event = AuditEvent.objects.get(action="invite people from a file")
    assert event.detail == {"invited": 3, "waiting_for_confirmation": 1, "left_as_is": 1}
    # Nothing granted before acceptance.
    assert not Membership.objects.filter(user__email="rosa.delgado@example.org").exists()


def test_sending_twice_invites_nobody_twice(side_a, coordinator_a):
    coordinator_a.post(reverse("people_bulk"), {"people_file": good_file(side_a)})
    coordinator_a.post(reverse("people_bulk_send"))
    response = coordinator_a.post(reverse("people_bulk_send"))
    assert response.status_code == 302
    assert Invitation.objects.filter(email="rosa.delgado@example.org").count() == 1
    member = side_a.membership(side_a.coordinator)
    entries = people.bulk_read(
        district=side_a.district, upload=Upload("staff.csv", good_file(side_a).read())
    ).entries()
    assert people.people_invite_bulk(member=member, entries=entries) == []
    assert AuditEvent.objects.filter(action="invite people from a file").count() == 1


def test_one_bad_row_sends_nothing_and_names_row_column_and_reason(side_a, coordinator_a):
    file = staff_file(
        "ok@example.org,Okay Person,DIT Member,",
        "not-an-email,Bad Address,DIT Member,",
        "ok@example.org,Again,DIT Member,",
        "head@example.org,Head Teacher,Site Admin,Nowhere Elementary",
        "x@example.org,X Person,Janitor,",
        "y@example.org,Y Person,Site Admin,",
        f"z@example.org,Z Person,DIT Member,{side_a.school.code}",
    )
    response = coordinator_a.post(reverse("people_bulk"), {"people_file": file})
    page = response.text
    assert response.status_code == 200
    assert "Nothing is sent while a row has a problem" in page
    assert "Row 3, column email (“not-an-email”): This is not an email address." in page
    assert "Row 4, column email (“ok@example.org”): The same address is on row 2." in page
    assert "Row 5, column schools (“Nowhere Elementary”)" in page
    assert "Row 6, column role (“Janitor”)" in page
    assert "Row 7, column schools: A Site Admin needs at least one school." in page
    assert "Row 8, column schools" in page
    assert "Send" not in page.split("Nothing is sent")[1].split("</div>")[0]
    assert coordinator_a.post(reverse("people_bulk_send")).status_code == 302
    assert not Invitation.objects.filter(district=side_a.district).exists()
    assert not User.objects.filter(email="ok@example.org").exists()


def test_a_row_broken_after_the_preview_stops_the_whole_send(side_a, coordinator_a):
    coordinator_a.post(reverse("people_bulk"), {"people_file": good_file(side_a)})
    side_a.other_school.active = False
    side_a.other_school.save()
    response = coordinator_a.post(reverse("people_bulk_send"))
    assert response.status_code == 409
    assert "The district changed since the file was checked" in response.text
    assert not Invitation.objects.filter(district=side_a.district).exists()


def test_school_staff_is_not_offered_yet(side_a):
    preview = people.bulk_classify(
        district=side_a.district,
        entries=[{"row": 2, "email": "t@example.org", "name": "T", "role": "School staff", "schools": ""}],
    )
    assert preview.rows[0].outcome == people.Outcome.PROBLEM
    assert preview.rows[0].problems[0].column == "role"


def test_a_file_too_big_is_refused_before_it_is_read(side_a, coordinator_a, monkeypatch):
    monkeypatch.setattr(people, "MAX_BULK_BYTES", 100)
    response = coordinator_a.post(reverse("people_bulk"), {"people_file": good_file(side_a)})
    assert response.status_code == 200
    assert "a staff list may be at most 0 KB" in response.text


def test_too_many_rows_and_missing_columns_are_refused(side_a, monkeypatch):
    monkeypatch.setattr(people, "MAX_BULK_ROWS", 2)
    lines = "email,name,role\n" + "".join(f"p{n}@example.org,P {n},DIT Member\n" for n in range(3))
    with pytest.raises(UploadRefused, match="invites at most 2"):
        people.bulk_read(district=side_a.district, upload=Upload("staff.csv", lines.encode()))
    with pytest.raises(UploadRefused, match="has no role column"):
        people.bulk_read(
            district=side_a.district, upload=Upload("staff.csv", b"email,name\na@example.org,A\n")
        )
    with pytest.raises(UploadRefused, match="not a text file"):
        people.bulk_read(district=side_a.district, upload=Upload("staff.csv", b"PK\x03\x04zip"))


def test_membership_elsewhere_is_not_revealed(side_a, side_b):
    preview = people.bulk_classify(
        district=side_a.district,
        entries=[{"row": 2, "email": side_b.member.email, "name": "B", "role": "DIT Member", "schools": ""}],
    )
    assert preview.rows[0].outcome == people.Outcome.INVITE


def test_preview_query_count_does_not_grow_with_rows(side_a, coordinator_a, django_assert_num_queries):
    def file(count: int) -> SimpleUploadedFile:
        return staff_file(*(f"p{n}@example.org,P {n},Site Admin,{side_a.school.code}" for n in range(count)))

    with django_assert_num_queries(9):
        response = coordinator_a.post(reverse("people_bulk"), {"people_file": file(5)})
    assert response.status_code == 200
    assert "Send 5 invitations" in response.text
    with django_assert_num_queries(9):
        response = coordinator_a.post(reverse("people_bulk"), {"people_file": file(50)})
    assert "Send 50 invitations" in response.text
    with django_assert_num_queries(3):
        response = coordinator_a.get(reverse("people_bulk"))
    assert "Invite people from a file" in response.text


@pytest.mark.parametrize("persona", ["leader_a", "member_a", "site_admin_a"])
def test_other_roles_may_not_invite_from_a_file(request, side_a, persona):
    client = request.getfixturevalue(persona)
    assert client.post(reverse("people_bulk"), {"people_file": good_file(side_a)}).status_code == 403
    assert client.post(reverse("people_bulk_send")).status_code == 403
    assert not Invitation.objects.exists()


# One person ---------------------------------------------------------------------------------------


def test_coordinator_deactivates_and_reactivates_a_dit_member(side_a, coordinator_a):
    person = side_a.membership(side_a.member)
    coordinator_a.post(reverse("person_deactivate", args=[person.pk]))
    coordinator_a.post(reverse("person_deactivate", args=[person.pk]))  # a double click
    person.refresh_from_db()
    assert not person.active
    assert AuditEvent.objects.filter(action="deactivate person", object_id=str(person.pk)).count() == 1
    page = coordinator_a.get(reverse("person_detail", args=[person.pk])).text
    assert "Deactivated" in page
    assert reverse("person_reactivate", args=[person.pk]) in page
    coordinator_a.post(reverse("person_reactivate", args=[person.pk]))
    person.refresh_from_db()
    assert person.active
    assert AuditEvent.objects.filter(action="reactivate person", object_id=str(person.pk)).count() == 1


def test_deactivated_person_can_no_longer_work_in_the_district(side_a, coordinator_a, member_a):
    person = side_a.membership(side_a.member)
    coordinator_a.post(reverse("person_deactivate", args=[person.pk]))
    assert member_a.get(reverse("meeting_list")).status_code == 302


def test_a_coordinator_cannot_deactivate_themselves_or_a_leader(side_a, coordinator_a):
    me = side_a.membership(side_a.coordinator)
    leader = side_a.membership(side_a.leader)
    coordinator_a.post(reverse("person_deactivate", args=[me.pk]))
    coordinator_a.post(reverse("person_deactivate", args=[leader.pk]))
    assert Membership.objects.filter(pk__in=[me.pk, leader.pk], active=True).count() == 2
    assert not AuditEvent.objects.filter(action="deactivate person").exists()


def test_role_change_to_site_admin_applies_at_once(side_a, coordinator_a):
    person = side_a.membership(side_a.member)
    response = coordinator_a.post(
        reverse("person_role_change", args=[person.pk]),
        {"role": Role.SITE_ADMIN, "schools": [side_a.school.pk]},
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.role == Role.SITE_ADMIN
    assert list(person.schools.all()) == [side_a.school]
    event = AuditEvent.objects.get(action="change role", object_id=str(person.pk))
    assert (event.detail["from"], event.detail["to"]) == (Role.MEMBER, Role.SITE_ADMIN)


def test_role_change_to_coordinator_waits_for_a_leader_and_the_person(
    side_a, coordinator_a, leader_a, member_a
):
    person = side_a.membership(side_a.member)
    response = coordinator_a.post(reverse("person_role_change", args=[person.pk]), {"role": Role.COORDINATOR})
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.role == Role.MEMBER  # nothing granted yet
    invitation = Invitation.objects.get(person=side_a.member, district=side_a.district)
    assert invitation.status == Invitation.Status.AWAITING_CONFIRMATION
    assert Notification.objects.filter(recipient=side_a.leader, kind="role_confirmation").exists()
    assert AuditEvent.objects.filter(action="offer role change").count() == 1
    # Asking again changes nothing.
    coordinator_a.post(reverse("person_role_change", args=[person.pk]), {"role": Role.COORDINATOR})
    assert Invitation.objects.filter(person=side_a.member, district=side_a.district).count() == 1
    leader_a.post(reverse("invitation_confirm", args=[invitation.pk]))
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.PENDING
    person.refresh_from_db()
    assert person.role == Role.MEMBER  # still waiting for the person
    member_a.post(reverse("invitation_accept", args=[invitation.pk]))
    person.refresh_from_db()
    assert person.role == Role.COORDINATOR
    assert person.active


def test_a_deactivated_coordinators_return_waits_for_confirmation(side_a, coordinator_a):
    other = MembershipFactory(district=side_a.district, role=Role.COORDINATOR, active=False)
    coordinator_a.post(reverse("person_reactivate", args=[other.pk]))
    other.refresh_from_db()
    assert not other.active
    invitation = Invitation.objects.get(person=other.user)
    assert (invitation.role, invitation.status) == (Role.COORDINATOR, Invitation.Status.AWAITING_CONFIRMATION)


@pytest.mark.parametrize("persona", ["leader_a", "member_a", "site_admin_a"])
def test_other_roles_may_not_change_a_person(request, side_a, persona):
    client = request.getfixturevalue(persona)
    person = side_a.membership(side_a.member)
    assert client.post(reverse("person_deactivate", args=[person.pk])).status_code == 403
    change = {"role": Role.SITE_ADMIN, "schools": [side_a.school.pk]}
    assert client.post(reverse("person_role_change", args=[person.pk]), change).status_code == 403
    person.refresh_from_db()
    assert (person.role, person.active) == (Role.MEMBER, True)


def test_outsider_gets_404_and_nothing_changes(side_a, coordinator_b):
    person = side_a.membership(side_a.member)
    assert coordinator_b.get(reverse("person_role_change", args=[person.pk])).status_code == 404
    assert (
        coordinator_b.post(
            reverse("person_role_change", args=[person.pk]), {"role": "coordinator"}
        ).status_code
        == 404
    )
    assert coordinator_b.post(reverse("person_deactivate", args=[person.pk])).status_code == 404
    assert coordinator_b.post(reverse("person_reactivate", args=[person.pk])).status_code == 404
    person.refresh_from_db()
    assert (person.role, person.active) == (Role.MEMBER, True)
    assert not Invitation.objects.exists()


def test_role_page_pins_its_queries(side_a, coordinator_a, django_assert_num_queries):
    SchoolFactory.create_batch(20, district=side_a.district)
    person = side_a.membership(side_a.member)
    with django_assert_num_queries(6):
        response = coordinator_a.get(reverse("person_role_change", args=[person.pk]))
    assert response.status_code == 200
    assert "Change DIT Member A's role" in response.text


def test_person_page_offers_the_changes_to_coordinators_only(side_a, coordinator_a, leader_a):
    person = side_a.membership(side_a.member)
    assert (
        reverse("person_deactivate", args=[person.pk])
        in coordinator_a.get(reverse("person_detail", args=[person.pk])).text
    )
    assert (
        reverse("person_deactivate", args=[person.pk])
        not in leader_a.get(reverse("person_detail", args=[person.pk])).text
    )
