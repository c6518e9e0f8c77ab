"""The district team's roles are named once, on Role, and every page of the team uses that name."""

from __future__ import annotations

from coordinators.models import Role


def test_the_district_team_is_coordinator_leader_and_member():
    assert Role.district_staff() == (Role.COORDINATOR, Role.LEADER, Role.MEMBER)


def test_the_team_is_not_a_choice_of_its_own():
    assert Role.values == ["coordinator", "leader", "member", "site_admin", "school_staff"]
    assert len(Role.choices) == 5


def test_a_site_admin_is_not_on_the_district_team():
    assert Role.SITE_ADMIN not in Role.district_staff()
    assert "leader" in Role.district_staff()
