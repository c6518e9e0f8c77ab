"""The district team's roles are named once, on Role, and every page of the team uses that name."""

from __future__ import annotations

from coordinators.models import Membership, Role


def test_the_district_team_is_coordinator_leader_and_member():
    assert Role.district_staff() == (Role.COORDINATOR, Role.LEADER, Role.MEMBER)


def test_the_team_is_not_a_choice_of_its_own():
    assert Role.values == ["coordinator", "leader", "member", "site_admin", "school_staff"]
    assert len(Role.choices) == 5


def test_a_site_admin_is_not_on_the_district_team():
    assert Role.SITE_ADMIN not in Role.district_staff()
    assert "leader" in Role.district_staff()


def test_school_staff_are_not_among_the_roles_pages_admit_by_default():
    assert Role.coordination_roles() == (Role.COORDINATOR, Role.LEADER, Role.MEMBER, Role.SITE_ADMIN)
    assert Role.SCHOOL_STAFF not in Role.coordination_roles()


def test_only_the_district_team_sees_the_whole_district():
    seeing = [role for role in Role.values if Membership(role=role).sees_whole_district]
    assert seeing == list(Role.district_staff())


def test_school_staff_and_site_admins_are_tied_to_schools():
    tied = [role for role in Role.values if Membership(role=role).is_tied_to_schools]
    assert tied == [Role.SITE_ADMIN, Role.SCHOOL_STAFF]
    assert Membership(role=Role.SCHOOL_STAFF).is_school_staff
    assert not Membership(role=Role.SITE_ADMIN).is_school_staff
