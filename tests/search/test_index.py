"""The index follows the writes: after the commit, never before, never for a rolled-back write."""

from __future__ import annotations

from io import StringIO
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from django.db import connection, transaction

from implementation_plans.models import Practice
from meetings import services as meeting_services
from mtss.search import demo as search_demo
from mtss.search import selectors
from mtss.search.index import reindex
from mtss.search.models import SearchEntry
from tests.conftest import Side
from tests.implementation_plans.plan_factories import PracticeFactory
from tests.meetings.factories import make_meeting

pytestmark = pytest.mark.django_db


def titles(side: Side, text: str) -> list[str]:
    answer = selectors.search_for(side.membership(side.coordinator), text)
    return [
        str(hit.title).replace("<mark>", "").replace("</mark>", "") for g in answer.groups for hit in g.hits
    ]


def test_minutes_written_in_a_meeting_are_found_once_committed(
    side_a: Side, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        meeting = make_meeting(side_a.district, side_a.coordinator, title="December DIT meeting")
        item = meeting.agenda_items.order_by("position").first()
        entry = meeting_services.minute_entry_add(
            item=item,
            kind="decision",
            text="Adopt the platypus protocol",
            member=side_a.membership(side_a.coordinator),
        )
    assert titles(side_a, "platypus") == ["December DIT meeting"]

    with django_capture_on_commit_callbacks(execute=True):
        meeting_services.minute_entry_update(entry=entry, text="Adopt the echidna protocol")
    assert titles(side_a, "platypus") == []
    assert titles(side_a, "echidna") == ["December DIT meeting"]


def test_nothing_is_indexed_before_the_commit(side_a: Side, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        PracticeFactory(district=side_a.district, name="Axolotl circles")
        assert titles(side_a, "axolotl") == []
    assert callbacks
    for callback in callbacks:
        callback()
    assert titles(side_a, "axolotl") == ["Axolotl circles"]


def test_a_rolled_back_write_changes_nothing(side_a: Side, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        practice = PracticeFactory(district=side_a.district, name="Ibis groups")

    def rename_then_fail() -> None:
        with transaction.atomic():
            practice.name = "Heron groups"
            practice.save()
            raise RuntimeError("refused")

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError):
        rename_then_fail()
    assert titles(side_a, "heron") == []
    assert titles(side_a, "ibis") == ["Ibis groups"]


def test_a_renamed_school_and_a_deleted_practice(side_a: Side, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        practice = PracticeFactory(district=side_a.district, name="Pangolin pairs")
        side_a.school.name = "Pangolin Park Elementary"
        side_a.school.save()
    assert sorted(titles(side_a, "pangolin")) == ["Pangolin Park Elementary", "Pangolin pairs"]
    with django_capture_on_commit_callbacks(execute=True):
        practice.delete()
    assert titles(side_a, "pangolin") == ["Pangolin Park Elementary"]
    assert not SearchEntry.objects.filter(kind="practice", object_id=practice.pk).exists()


def test_a_new_name_is_found_but_a_sign_in_leaves_the_index_alone(
    side_a: Side, django_capture_on_commit_callbacks, django_assert_num_queries
):
    with django_capture_on_commit_callbacks(execute=True):
        side_a.member.full_name = "Quentin Marmoset"
        side_a.member.save()
    assert titles(side_a, "marmoset") == ["Quentin Marmoset"]
    with django_capture_on_commit_callbacks(execute=True) as callbacks, django_assert_num_queries(1):
        side_a.member.save(update_fields=["last_login"])
    assert callbacks == []


def test_repeating_a_refresh_writes_the_same_entry(side_a: Side):
    PracticeFactory(district=side_a.district, name="Okapi walks")
    reindex(side_a.district.pk)
    first = list(SearchEntry.objects.filter(kind="practice").values_list("pk", "title", "body"))
    reindex(side_a.district.pk)
    assert list(SearchEntry.objects.filter(kind="practice").values_list("pk", "title", "body")) == first


def test_reindex_search_mends_writes_that_sent_no_signal(side_a: Side, side_b: Side):
    practice = PracticeFactory(district=side_a.district, name="Tapir talks")
    call_command("reindex_search", stdout=StringIO())
    Practice.objects.filter(pk=practice.pk).update(name="Gecko talks")
    SearchEntry.objects.create(
        district=side_a.district, kind="practice", object_id=987654, title="Gone", url="/"
    )
    assert titles(side_a, "gecko") == []

    out = StringIO()
    call_command("reindex_search", "--district", side_a.district.slug, stdout=out)
    assert "District A:" in out.getvalue()
    assert "District B" not in out.getvalue()
    assert titles(side_a, "gecko") == ["Gecko talks"]
    assert titles(side_a, "tapir") == []
    assert not SearchEntry.objects.filter(object_id=987654).exists()


def test_reindex_search_names_the_known_districts_for_an_unknown_slug(side_a: Side):
    with pytest.raises(CommandError, match="district-a"):
        call_command("reindex_search", "--district", "nowhere", stdout=StringIO())


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the stored vector exists on PostgreSQL")
def test_postgres_stores_a_weighted_vector(side_a: Side):
    PracticeFactory(district=side_a.district, name="Lemur lessons", description="Quiet lemur time.")
    reindex(side_a.district.pk)
    entry = SearchEntry.objects.get(kind="practice", title="Lemur lessons")
    with connection.cursor() as cursor:
        cursor.execute("SELECT vector::text FROM search_searchentry WHERE id = %s", [entry.pk])
        vector = cursor.fetchone()[0]
    assert "'lemur':1A" in vector
    assert "B" in vector
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'search_entry_vector'")
        assert "gin" in cursor.fetchone()[0].lower()


def test_the_demo_is_indexed_after_every_other_app_has_seeded(side_a: Side, side_b: Side):
    # Demo seeders write with bulk_create, which the receivers never hear of.
    Practice.objects.bulk_create(
        [Practice(district=side_a.district, name="Kiwi circles", description="Kiwi.")]
    )
    Practice.objects.bulk_create([Practice(district=side_b.district, name="Kiwi pairs", description="Kiwi.")])
    assert titles(side_a, "kiwi") == []
    names = [config.name for config in apps.get_app_configs()]
    assert names.index("mtss.search") > max(
        names.index(app) for app in ("coordinators", "implementation_plans", "meetings", "data_reviews")
    )
    search_demo.seed_demo(SimpleNamespace(district=side_a.district, other_district=side_b.district))
    assert titles(side_a, "kiwi") == ["Kiwi circles"]
    assert titles(side_b, "kiwi") == ["Kiwi pairs"]
