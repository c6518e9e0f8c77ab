"""The District settings page: coordinators change the settings, executive leaders read them,
every other role is refused; each save is audited with what changed."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from coordinators.district_settings import district_settings_for, district_settings_update
from coordinators.district_settings_forms import DistrictSettingsForm
from coordinators.models import District, Role, TimeTarget
from data_reviews.models import ScreeningWindow
from mtss.audit.models import AuditEvent

pytestmark = pytest.mark.django_db
URL = "/district/settings/"


def _form_data(district: District, **changes: Any) -> dict[str, Any]:
    """What the page posts when nothing is changed, with `changes` typed over it."""
    form = DistrictSettingsForm(
        initial=DistrictSettingsForm.initial_from(district_settings_for_district(district))
    )
    data = {}
    for name, form_field in form.fields.items():
        value = form.get_initial_for_field(form_field, name)
        if value is None or value is False:
            continue
        data[name] = "on" if value is True else value
    data.update(changes)
    return data


def district_settings_for_district(district: District):
    class _Member:
        pass

    member = _Member()
    member.district = district
    return district_settings_for(member)  # type: ignore[arg-type]


WINDOWS = {
    "fall_opens_month": 9, "fall_opens_day": 1, "fall_closes_month": 10, "fall_closes_day": 15,
    "winter_opens_month": 1, "winter_opens_day": 20, "winter_closes_month": 2, "winter_closes_day": 28,
    "spring_opens_month": 4, "spring_opens_day": 15, "spring_closes_month": 5, "spring_closes_day": 30,
}  # fmt: skip


def test_coordinator_saves_settings_and_the_audit_says_what_changed(side_a, coordinator_a):
    data = _form_data(
        side_a.district,
        name="District A Schools",
        min_group_size=15,
        sign_in_domains="Example.org, @b.example.org",
        roster_teacher=Role.SCHOOL_STAFF,
        roster_administrator=Role.SITE_ADMIN,
        target_installation_min="3",
        target_installation_max="4",
        **WINDOWS,
    )
    response = coordinator_a.post(URL, data)
    assert response.status_code == 302
    district = District.objects.get(pk=side_a.district.pk)
    assert district.name == "District A Schools"
    assert district.min_group_size == 15
    assert district.sign_in_domains == ["example.org", "b.example.org"]
    assert district.roster_roles == {"teacher": "school_staff", "administrator": "site_admin"}
    assert ScreeningWindow.objects.get(district=district, window="winter").opens_day == 20
    target = TimeTarget.objects.get(district=district, stage="installation")
    assert (target.min_days, target.max_days) == (Decimal(3), Decimal(4))
    event = AuditEvent.objects.get(action="change district settings")
    changes = event.detail["changes"]
    assert "name: District A → District A Schools" in changes
    assert "min_group_size: 10 → 15" in changes
    assert "winter window: (none) → 1/20-2/28" in changes
    assert "installation time target: (none) → 3-4 days" in changes
    assert event.actor == side_a.coordinator

    # Saved again unchanged: nothing changes and no audit row is added.
    again = coordinator_a.post(URL, _form_data(district), follow=True)
    assert "Nothing had changed." in again.text
    assert AuditEvent.objects.filter(action="change district settings").count() == 1


def test_a_mistake_keeps_everything_typed_and_saves_nothing(side_a, coordinator_a):
    data = _form_data(
        side_a.district,
        name="Typed but not saved",
        sign_in_domains="not a domain",
        **{**WINDOWS, "winter_opens_month": 11, "winter_opens_day": 31},
    )
    response = coordinator_a.post(URL, data)
    assert response.status_code == 200
    assert "not an email domain" in response.text
    assert "November has no day 31." in response.text
    assert 'value="Typed but not saved"' in response.text
    assert 'value="not a domain"' in response.text
    side_a.district.refresh_from_db()
    assert side_a.district.name == "District A"
    assert not ScreeningWindow.objects.exists()
    assert not AuditEvent.objects.filter(action="change district settings").exists()


def test_windows_must_be_in_order_and_all_three(side_a, coordinator_a):
    overlapping = coordinator_a.post(
        URL, _form_data(side_a.district, **{**WINDOWS, "winter_opens_month": 10, "winter_opens_day": 1})
    )
    assert "opens before the fall window closes" in overlapping.text
    only_fall = {k: v for k, v in WINDOWS.items() if k.startswith("fall")}
    partial = coordinator_a.post(URL, _form_data(side_a.district, **only_fall))
    assert "Give all three screening windows" in partial.text
    assert not ScreeningWindow.objects.exists()


def test_clearing_the_windows_goes_back_to_the_usual_rule(side_a, coordinator_a):
    coordinator_a.post(URL, _form_data(side_a.district, **WINDOWS))
    assert ScreeningWindow.objects.count() == 3
    cleared = {name: "" for name in WINDOWS}
    assert coordinator_a.post(URL, _form_data(side_a.district, **cleared)).status_code == 302
    assert not ScreeningWindow.objects.exists()


def test_leader_reads_the_settings_but_cannot_save(side_a, leader_a):
    page = leader_a.get(URL)
    assert page.status_code == 200
    assert "The district's coordinators change them." in page.text
    assert "Save the settings" not in page.text
    assert "disabled" in page.text
    response = leader_a.post(URL, _form_data(side_a.district, name="Leader's name"))
    assert response.status_code == 403
    side_a.district.refresh_from_db()
    assert side_a.district.name == "District A"


@pytest.mark.parametrize("persona", ["member_a", "site_admin_a"])
def test_other_roles_are_refused(side_a, persona, request):
    client = request.getfixturevalue(persona)
    assert client.get(URL).status_code == 403
    assert client.post(URL, _form_data(side_a.district, name="X")).status_code == 403
    side_a.district.refresh_from_db()
    assert side_a.district.name == "District A"


def test_a_coordinator_changes_only_their_own_district(side_a, side_b, coordinator_b):
    assert coordinator_b.post(URL, _form_data(side_b.district, name="B renamed")).status_code == 302
    side_a.district.refresh_from_db()
    side_b.district.refresh_from_db()
    assert (side_a.district.name, side_b.district.name) == ("District A", "B renamed")


@pytest.mark.parametrize("persona", ["coordinator_a", "leader_a"])
def test_settings_page_query_count(side_a, persona, request, django_assert_num_queries):
    client = request.getfixturevalue(persona)
    ScreeningWindow.objects.create(
        district=side_a.district, window="fall", opens_month=9, opens_day=1, closes_month=10, closes_day=1
    )
    # session, user, memberships; the windows, the time targets
    with django_assert_num_queries(5):
        response = client.get(URL)
    assert response.status_code == 200
    assert "Screening windows" in response.text
    assert "School staff" in response.text


def test_the_service_refuses_anyone_but_a_coordinator(side_a):
    with pytest.raises(PermissionDenied):
        district_settings_update(
            member=side_a.membership(side_a.leader), data={"name": "X"}, windows={}, time_targets={}
        )


def test_lowering_the_group_size_rebuilds_the_snapshots(
    side_a, django_capture_on_commit_callbacks, monkeypatch
):
    queued = []
    monkeypatch.setattr("data_reviews.tasks.recompute_snapshots.delay", queued.append)
    member = side_a.membership(side_a.coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        district_settings_update(member=member, data={"min_group_size": 20}, windows={}, time_targets={})
    assert queued == []
    with django_capture_on_commit_callbacks(execute=True):
        district_settings_update(member=member, data={"min_group_size": 6}, windows={}, time_targets={})
    assert queued == [side_a.district.pk]


def test_coordinator_navigation_links_the_settings(coordinator_a, leader_a, member_a):
    assert 'href="/district/settings/"' in coordinator_a.get(reverse("home")).text
    assert 'href="/district/settings/"' in leader_a.get(reverse("home")).text
    assert 'href="/district/settings/"' not in member_a.get(reverse("home")).text


def test_a_whole_form_mistake_is_said_once(side_a, coordinator_a):
    only_fall = {k: v for k, v in WINDOWS.items() if k.startswith("fall")}
    page = coordinator_a.post(URL, _form_data(side_a.district, **only_fall)).text
    assert page.count("Give all three screening windows") == 1


def test_a_coordinator_cannot_leave_out_their_own_domain(side_a, coordinator_a):
    page = coordinator_a.post(URL, _form_data(side_a.district, sign_in_domains="other.example.org")).text
    assert "Add example.org too" in page
    side_a.district.refresh_from_db()
    assert side_a.district.sign_in_domains == []
