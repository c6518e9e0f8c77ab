"""Who may do what: every URL pattern x every persona x GET and POST (QUALITY.md S3).

This is the one place to read the access rules. Each URL pattern the resolver knows must have an entry
below; a new URL without one fails `test_every_url_pattern_has_an_entry`.

Personas, in column order: anonymous, then district A's coordinator, leader, DIT member, site admin and
school staff member (a teacher at the site admin's school), then district B's coordinator, leader and
school staff member (the outsiders). Objects in URLs belong to district A, so the outsiders must get 404
on them and change nothing. Expected answers are HTTP status codes; "-" means
"not requested" (POST is listed for every view that accepts it: forms and actions; read-only pages list GET).

How to read an answer:
- 302 for anonymous: sent to sign in. 405: the method is not allowed (actions are POST only).
- 403: signed in, but the role may not do this (checked before any object is looked up, so an outsider
  with the wrong role also gets 403 and learns nothing about the object).
- 404: the object is outside the person's reach: another district, or a school that is not the site
  admin's. School staff get 403 on every page but their home, profile, notifications, invitations and
  the monthly updates sent to them (mtss/access.py); the sent update here went to principals only, so
  it is 404 for them. School-scoped objects (data reviews, problem statements, the school dashboard) sit in
  district A's `other_school`, so the site admin's 404 there is the "only their schools" rule.
- Writes are sent with an empty form: an allowed person gets the form back (200, or 400/422 for an
  action's validation) or the action's redirect (302); nobody else gets past the access check.

Every request runs inside a savepoint that is rolled back, so each persona meets the same world; any
answer of 403, 404 or 405 must leave every table (but the audit trail) unchanged.

Objects: `tests/security_world.py` builds one of each kind in district A (`world.objects`).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.apps import apps
from django.core.files.base import ContentFile
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from coordinators import lifecycle
from coordinators import services as coordinator_services
from coordinators.models import Role, School
from data_reviews.reviews import services as review_services
from implementation_plans.models import PracticeFile
from tests.conftest import Side
from tests.coordinators.update_authorization_entries import draft_update_pk, sent_update_pk
from tests.data_reviews.slides_authorization_entries import slide_deck_pk
from tests.meetings.authorization_entries import _meeting_pk, _time_entry_pk
from tests.security_world import World, build_objects

PERSONAS = [
    "anonymous",
    "coordinator_a",
    "leader_a",
    "member_a",
    "site_admin_a",
    "school_staff_a",
    "coordinator_b",
    "leader_b",
    "school_staff_b",
]
OUTSIDERS = {"coordinator_b", "leader_b", "school_staff_b"}
# Patterns outside the app's own access rules: Django's admin has its own staff permissions.
NOT_IN_MATRIX_NAMESPACES = {"admin"}


@dataclass(frozen=True)
class Entry:
    get: str  # nine status codes, one per persona, separated by spaces
    post: str = "- - - - - - - - -"
    kwargs: Callable[[World], dict[str, Any]] | None = None
    post_data: Callable[[World], dict[str, Any]] | None = None


def o(world: World, name: str) -> int:
    """The primary key of one of district A's objects."""
    return world.objects[name].pk


def _codes(text: str) -> list[str]:
    codes = text.split()
    assert len(codes) == len(PERSONAS), f"{text!r} needs {len(PERSONAS)} answers"
    return codes


def _district_export(world: World) -> int:
    """A finished export of district A (built once per world)."""
    if "district_export" not in world.objects:
        export = lifecycle.district_export_request(member=world.a.membership(world.a.coordinator))
        world.objects["district_export"] = lifecycle.district_export_build(export)
    return world.objects["district_export"].pk


def _practice_file(world: World) -> int:
    """A PDF in district A's practice library (created once per world)."""
    if "practice_file" not in world.objects:
        stored = PracticeFile(
            practice=world.objects["practice"],
            original_name="guide.pdf",
            content_type="application/pdf",
            size=9,
        )
        stored.file.save("upload", ContentFile(b"%PDF-1.7\n"), save=True)
        world.objects["practice_file"] = stored
    return world.objects["practice_file"].pk


def _invitation_to_confirm(world: World) -> int:
    """District A's coordinator asked for a new Executive Leader; district A's leader may confirm."""
    if "invitation_to_confirm" not in world.objects:
        world.objects["invitation_to_confirm"] = coordinator_services.person_invite(
            member=world.a.membership(world.a.coordinator),
            email="new.leader@example.org",
            full_name="New Leader",
            role=Role.LEADER,
        )
    return world.objects["invitation_to_confirm"].pk


def _invitation_to_someone_else(world: World) -> int:
    """An invitation waiting for a person who is none of the personas: only they may answer it."""
    if "invitation_to_someone_else" not in world.objects:
        world.objects["invitation_to_someone_else"] = coordinator_services.person_invite(
            member=world.a.membership(world.a.coordinator),
            email="someone.else@example.org",
            full_name="Someone Else",
            role=Role.MEMBER,
        )
    return world.objects["invitation_to_someone_else"].pk


MATRIX: dict[str, Entry] = {
    # --- foundation ---------------------------------------------------------------------------------
    "healthz": Entry(get="200 200 200 200 200 200 200 200 200"),
    "accounts/login/": Entry(get="200 302 302 302 302 302 302 302 302"),
    "accounts/logout/": Entry(
        get="405 405 405 405 405 405 405 405 405", post="302 302 302 302 302 302 302 302 302"
    ),
    "accounts/password_change/": Entry(get="302 200 200 200 200 200 200 200 200"),
    "accounts/password_change/done/": Entry(get="302 200 200 200 200 200 200 200 200"),
    "accounts/password_reset/": Entry(get="200 200 200 200 200 200 200 200 200"),
    "accounts/password_reset/done/": Entry(get="200 200 200 200 200 200 200 200 200"),
    "accounts/reset/<uidb64>/<token>/": Entry(
        get="200 200 200 200 200 200 200 200 200", kwargs=lambda w: {"uidb64": "MQ", "token": "bad-token"}
    ),
    "accounts/reset/done/": Entry(get="200 200 200 200 200 200 200 200 200"),
    "": Entry(get="302 200 200 200 200 200 200 200 200"),
    "no-district/": Entry(get="302 302 302 302 302 302 302 302 302"),
    # Single sign-on: no provider is configured here, so each provider's addresses answer 404 for
    # everybody (tests/coordinators/test_single_sign_on.py covers them with a provider running).
    "accounts/google/login/": Entry(
        get="404 404 404 404 404 404 404 404 404", post="404 404 404 404 404 404 404 404 404"
    ),
    "accounts/google/login/callback/": Entry(get="404 404 404 404 404 404 404 404 404"),
    "accounts/microsoft/login/": Entry(
        get="404 404 404 404 404 404 404 404 404", post="404 404 404 404 404 404 404 404 404"
    ),
    "accounts/microsoft/login/callback/": Entry(get="404 404 404 404 404 404 404 404 404"),
    "accounts/oidc/<str:provider_id>/login/": Entry(
        get="404 404 404 404 404 404 404 404 404",
        post="404 404 404 404 404 404 404 404 404",
        kwargs=lambda w: {"provider_id": "sso"},
    ),
    "accounts/oidc/<str:provider_id>/login/callback/": Entry(
        get="404 404 404 404 404 404 404 404 404", kwargs=lambda w: {"provider_id": "sso"}
    ),
    "district/switch/": Entry(
        get="302 405 405 405 405 405 405 405 405",
        post="302 302 302 302 302 302 302 302 302",
        post_data=lambda w: {"district": w.a.district.pk},
    ),
    # Everyone edits only their own profile: there is no one else's to reach.
    "profile/": Entry(get="302 200 200 200 200 200 200 200 200", post="302 200 200 200 200 200 200 200 200"),
    "schools/": Entry(get="302 200 200 200 200 403 200 200 403"),
    "schools/<int:pk>/": Entry(
        get="302 200 200 200 404 403 404 404 403", kwargs=lambda w: {"pk": w.a.other_school.pk}
    ),
    "people/": Entry(get="302 200 200 200 403 403 200 200 403"),
    # Schools in the app: coordinators add, edit, deactivate and reactivate their district's schools.
    "schools/add/": Entry(
        get="302 200 403 403 403 403 200 403 403", post="302 200 403 403 403 403 200 403 403"
    ),
    "schools/<int:pk>/edit/": Entry(
        get="302 200 403 403 403 403 404 403 403",
        post="302 200 403 403 403 403 404 403 403",
        kwargs=lambda w: {"pk": w.a.other_school.pk},
    ),
    "schools/<int:pk>/deactivate/": Entry(
        get="302 405 403 403 403 403 405 403 403",
        post="302 302 403 403 403 403 404 403 403",
        kwargs=lambda w: {"pk": w.a.other_school.pk},
    ),
    "schools/<int:pk>/reactivate/": Entry(
        get="302 405 403 403 403 403 405 403 403",
        post="302 302 403 403 403 403 404 403 403",
        kwargs=lambda w: {"pk": w.a.other_school.pk},
    ),
    "people/invite/": Entry(
        get="302 200 403 403 403 403 200 403 403",
        post="302 200 403 403 403 403 200 403 403",
        post_data=lambda w: {},
    ),
    "people/<int:pk>/": Entry(
        get="302 200 200 200 403 403 404 404 403", kwargs=lambda w: {"pk": w.a.membership(w.a.member).pk}
    ),
    # People in bulk and one person's role: coordinators only; an empty send finds nothing waiting (302).
    "people/bulk/": Entry(
        get="302 200 403 403 403 403 200 403 403", post="302 200 403 403 403 403 200 403 403"
    ),
    "people/bulk/send/": Entry(
        get="302 405 403 403 403 403 405 403 403", post="302 302 403 403 403 403 302 403 403"
    ),
    "people/<int:pk>/role/": Entry(
        get="302 200 403 403 403 403 404 403 403",
        post="302 200 403 403 403 403 404 403 403",
        kwargs=lambda w: {"pk": w.a.membership(w.a.member).pk},
    ),
    "people/<int:pk>/deactivate/": Entry(
        get="302 405 403 403 403 403 405 403 403",
        post="302 302 403 403 403 403 404 403 403",
        kwargs=lambda w: {"pk": w.a.membership(w.a.member).pk},
    ),
    "people/<int:pk>/reactivate/": Entry(
        get="302 405 403 403 403 403 405 403 403",
        post="302 302 403 403 403 403 404 403 403",
        kwargs=lambda w: {"pk": w.a.membership(w.a.member).pk},
    ),
    # Only a leader of the district confirms a new coordinator or leader; the inviting coordinator cannot.
    "people/invitations/<int:pk>/confirm/": Entry(
        get="302 403 405 403 403 403 403 405 403",
        post="302 403 302 403 403 403 403 404 403",
        kwargs=lambda w: {"pk": _invitation_to_confirm(w)},
    ),
    "people/invitations/<int:pk>/not-confirm/": Entry(
        get="302 403 405 403 403 403 403 405 403",
        post="302 403 302 403 403 403 403 404 403",
        kwargs=lambda w: {"pk": _invitation_to_confirm(w)},
    ),
    # A person's own invitations: everyone signed in has the page; nobody answers another's invitation.
    "invitations/": Entry(get="302 200 200 200 200 200 200 200 200"),
    "invitations/<int:pk>/accept/": Entry(
        get="302 405 405 405 405 405 405 405 405",
        post="302 404 404 404 404 404 404 404 404",
        kwargs=lambda w: {"pk": _invitation_to_someone_else(w)},
    ),
    "invitations/<int:pk>/decline/": Entry(
        get="302 405 405 405 405 405 405 405 405",
        post="302 404 404 404 404 404 404 404 404",
        kwargs=lambda w: {"pk": _invitation_to_someone_else(w)},
    ),
    # The emailed set-password link: a wrong one is not found for anybody.
    "invitations/join/<str:token>/": Entry(
        get="404 404 404 404 404 404 404 404 404",
        post="404 404 404 404 404 404 404 404 404",
        kwargs=lambda w: {"token": "not-a-real-token"},
    ),
    # --- processes and approvals ------------------------------------------------------------------------
    "approvals/": Entry(get="302 403 200 403 403 403 403 200 403"),
    "processes/": Entry(get="302 200 200 200 403 403 200 200 403"),
    "processes/<int:pk>/": Entry(
        get="302 200 200 200 403 403 404 404 403", kwargs=lambda w: {"pk": o(w, "process")}
    ),
    "processes/<int:pk>/changes/": Entry(
        get="302 200 200 200 403 403 404 404 403", kwargs=lambda w: {"pk": o(w, "process")}
    ),
    "processes/<int:pk>/co-authors/": Entry(
        get="302 405 403 403 403 403 405 403 403",
        post="302 302 403 403 403 403 404 403 403",
        kwargs=lambda w: {"pk": o(w, "process")},
    ),
    "processes/<int:pk>/download.docx": Entry(
        get="302 200 200 200 403 403 404 404 403", kwargs=lambda w: {"pk": o(w, "process")}
    ),
    "processes/<int:pk>/draft/": Entry(
        get="302 200 403 403 403 403 404 403 403",
        post="302 302 403 403 403 403 404 403 403",
        kwargs=lambda w: {"pk": o(w, "process")},
    ),
    "processes/<int:pk>/print/": Entry(
        get="302 200 200 200 403 403 404 404 403", kwargs=lambda w: {"pk": o(w, "process")}
    ),
    "processes/<int:pk>/submit/": Entry(
        get="302 405 403 405 403 403 405 403 403",
        post="302 302 403 403 403 403 404 403 403",
        kwargs=lambda w: {"pk": o(w, "process")},
    ),
    "processes/<int:pk>/versions/": Entry(
        get="302 200 200 200 403 403 404 404 403", kwargs=lambda w: {"pk": o(w, "process")}
    ),
    "processes/<int:pk>/versions/<int:number>/": Entry(
        get="302 200 200 200 403 403 404 404 403", kwargs=lambda w: {"pk": o(w, "process"), "number": 1}
    ),
    "processes/comments/<int:version_pk>/": Entry(
        get="302 405 405 405 403 403 405 405 403",
        post="302 302 302 302 403 403 404 404 403",
        kwargs=lambda w: {"version_pk": o(w, "version")},
    ),
    "processes/decisions/<int:version_pk>/approve/": Entry(
        get="302 403 405 403 403 403 403 405 403",
        post="302 403 302 403 403 403 403 404 403",
        kwargs=lambda w: {"version_pk": o(w, "version")},
    ),
    "processes/decisions/<int:version_pk>/request-changes/": Entry(
        get="302 403 405 403 403 403 403 405 403",
        post="302 403 302 403 403 403 403 404 403",
        kwargs=lambda w: {"version_pk": o(w, "version")},
    ),
    "processes/new/": Entry(
        get="302 200 403 403 403 403 200 403 403", post="302 200 403 403 403 403 200 403 403"
    ),
    "processes/start/<slug:slug>/": Entry(
        get="302 405 403 403 403 403 405 403 403",
        post="302 302 403 403 403 403 302 403 403",
        kwargs=lambda w: {"slug": "principal-support"},
    ),
    # --- plan, capacity, barriers, communication --------------------------------------------------------
    "barriers/": Entry(get="302 200 200 200 403 403 200 200 403"),
    "barriers/<int:pk>/": Entry(
        get="302 200 200 200 403 403 404 404 403", kwargs=lambda w: {"pk": o(w, "barrier")}
    ),
    "barriers/<int:pk>/decide/": Entry(
        get="302 403 405 403 403 403 403 405 403",
        post="302 403 302 403 403 403 403 404 403",
        kwargs=lambda w: {"pk": o(w, "barrier")},
    ),
    "barriers/<int:pk>/edit/": Entry(
        get="302 200 403 403 403 403 404 403 403",
        post="302 200 403 403 403 403 404 403 403",
        kwargs=lambda w: {"pk": o(w, "barrier")},
    ),
    "barriers/<int:pk>/escalate/": Entry(
        get="302 405 403 403 403 403 405 403 403",
        post="302 302 403 403 403 403 404 403 403",
        kwargs=lambda w: {"pk": o(w, "barrier")},
    ),
    "barriers/escalated/": Entry(get="302 200 200 200 403 403 200 200 403"),
    "barriers/new/": Entry(
        get="302 200 403 200 403 403 200 403 403", post="302 200 403 200 403 403 200 403 403"
    ),
    "capacity/": Entry(get="302 200 200 200 200 403 200 200 403"),
    "capacity/<int:pk>/": Entry(
        get="302 200 200 200 404 403 404 404 403",
        post="302 302 403 403 404 403 404 404 403",
        kwargs=lambda w: {"pk": o(w, "assessment")},
    ),
    "capacity/<int:pk>/items/new/": Entry(
        get="302 405 403 403 403 403 405 403 403",
        post="302 302 403 403 403 403 404 403 403",
        kwargs=lambda w: {"pk": o(w, "assessment")},
    ),
    "capacity/items/<int:pk>/activity/": Entry(
        get="302 405 403 403 403 403 405 403 403",
        post="302 302 403 403 403 403 404 403 403",
        kwargs=lambda w: {"pk": o(w, "assessment_item")},
    ),
    "capacity/new/": Entry(
        get="302 200 403 403 403 403 200 403 403", post="302 200 403 403 403 403 200 403 403"
    ),
    "communication/new/": Entry(
        get="302 200 403 403 403 403 200 403 403", post="302 200 403 403 403 403 200 403 403"
    ),
    "plan/": Entry(get="302 200 200 200 403 403 200 200 403"),
    "plan/activities/<int:pk>/": Entry(
        get="302 200 200 200 403 403 404 404 403", kwargs=lambda w: {"pk": o(w, "activity")}
    ),
    "plan/activities/<int:pk>/edit/": Entry(
        get="302 200 403 403 403 403 404 403 403",
        post="302 200 403 403 403 403 404 403 403",
        kwargs=lambda w: {"pk": o(w, "activity")},
    ),
    "plan/activities/<int:pk>/progress/": Entry(
        get="302 405 403 405 403 403 405 403 403",
        post="302 400 403 400 403 403 404 403 403",
        kwargs=lambda w: {"pk": o(w, "activity")},
    ),
    "plan/activities/new/": Entry(
        get="302 200 403 403 403 403 200 403 403", post="302 200 403 403 403 403 200 403 403"
    ),
    "plan/goals/<int:pk>/edit/": Entry(
        get="302 200 403 403 403 403 404 403 403",
        post="302 200 403 403 403 403 404 403 403",
        kwargs=lambda w: {"pk": o(w, "goal")},
    ),
    "plan/goals/new/": Entry(
        get="302 200 403 403 403 403 200 403 403", post="302 200 403 403 403 403 200 403 403"
    ),
    "plan/timeline/": Entry(get="302 200 200 200 403 403 200 200 403"),
    # --- initiatives and practices ----------------------------------------------------------------------
    "initiatives/": Entry(get="302 200 200 200 403 403 200 200 403"),
    "initiatives/<int:pk>/": Entry(
        get="302 200 200 200 403 403 404 404 403", kwargs=lambda w: {"pk": o(w, "initiative")}
    ),
    "initiatives/<int:pk>/edit/": Entry(
        get="302 200 403 403 403 403 404 403 403",
        post="302 200 403 403 403 403 404 403 403",
        kwargs=lambda w: {"pk": o(w, "initiative")},
    ),
    "initiatives/alignment/": Entry(get="302 200 200 200 403 403 200 200 403"),
    "initiatives/new/": Entry(
        get="302 200 403 403 403 403 200 403 403", post="302 200 403 403 403 403 200 403 403"
    ),
    "practices/": Entry(get="302 200 200 200 200 403 200 200 403"),
    "practices/<int:pk>/": Entry(
        get="302 200 200 200 200 403 404 404 403", kwargs=lambda w: {"pk": o(w, "practice")}
    ),
    "practices/<int:pk>/files/": Entry(
        get="405 405 405 405 405 405 405 405 405",
        post="302 400 403 403 403 403 404 403 403",
        kwargs=lambda w: {"pk": o(w, "practice")},
    ),
    "practices/files/<int:pk>/": Entry(
        get="302 200 200 200 200 403 404 404 403", kwargs=lambda w: {"pk": _practice_file(w)}
    ),
    "practices/files/<int:pk>/delete/": Entry(
        get="405 405 405 405 405 405 405 405 405",
        post="302 302 403 403 403 403 404 403 403",
        kwargs=lambda w: {"pk": _practice_file(w)},
    ),
    "practices/<int:pk>/edit/": Entry(
        get="302 200 403 403 403 403 404 403 403",
        post="302 200 403 403 403 403 404 403 403",
        kwargs=lambda w: {"pk": o(w, "practice")},
    ),
    "practices/new/": Entry(
        get="302 200 403 403 403 403 200 403 403", post="302 200 403 403 403 403 200 403 403"
    ),
    # --- meetings, action items, calendar feed ----------------------------------------------------------
    "action-items/": Entry(get="302 200 200 200 200 403 200 200 403"),
    "action-items/<int:pk>/": Entry(
        get="302 200 200 200 404 403 404 404 403", kwargs=lambda w: {"pk": o(w, "action_item")}
    ),
    "action-items/<int:pk>/comments/": Entry(
        get="302 405 405 405 405 403 405 405 403",
        post="302 422 403 422 404 403 404 404 403",
        kwargs=lambda w: {"pk": o(w, "action_item")},
    ),
    "action-items/<int:pk>/edit/": Entry(
        get="302 405 405 405 405 403 405 405 403",
        post="302 422 403 422 404 403 404 404 403",
        kwargs=lambda w: {"pk": o(w, "action_item")},
    ),
    "action-items/<int:pk>/status/": Entry(
        get="302 405 405 405 405 403 405 405 403",
        post="302 302 403 302 404 403 404 404 403",
        kwargs=lambda w: {"pk": o(w, "action_item")},
    ),
    "calendar/": Entry(get="302 200 200 200 200 403 200 200 403", post="302 302 302 302 302 403 302 302 403"),
    "calendar/<str:token>.ics": Entry(
        get="200 200 200 200 200 200 200 200 200",
        kwargs=lambda w: {"token": w.objects["calendar_feed"].token},
    ),
    "meetings/": Entry(get="302 200 200 200 200 403 200 200 403"),
    "meetings/<int:pk>/": Entry(
        get="302 200 200 200 404 403 404 404 403", kwargs=lambda w: {"pk": o(w, "meeting")}
    ),
    "meetings/<int:pk>/attendance/": Entry(
        get="302 200 403 403 403 403 404 403 403",
        post="302 302 403 403 403 403 404 403 403",
        kwargs=lambda w: {"pk": o(w, "meeting")},
    ),
    "meetings/<int:pk>/cancel/": Entry(
        get="302 405 403 403 403 403 405 403 403",
        post="302 302 403 403 403 403 404 403 403",
        kwargs=lambda w: {"pk": o(w, "meeting")},
    ),
    "meetings/<int:pk>/close/": Entry(
        get="302 200 403 403 403 403 404 403 403",
        post="302 200 403 403 403 403 404 403 403",
        kwargs=lambda w: {"pk": o(w, "meeting")},
    ),
    "meetings/<int:pk>/reopen/": Entry(
        get="302 405 403 403 403 403 405 403 403",
        post="302 302 403 403 403 403 404 403 403",
        kwargs=lambda w: {"pk": o(w, "meeting")},
    ),
    "meetings/<int:pk>/edit/": Entry(
        get="302 200 403 403 403 403 404 403 403",
        post="302 200 403 403 403 403 404 403 403",
        kwargs=lambda w: {"pk": o(w, "meeting")},
    ),
    "meetings/<int:pk>/minutes.csv": Entry(
        get="302 200 200 200 404 403 404 404 403", kwargs=lambda w: {"pk": o(w, "meeting")}
    ),
    "meetings/<int:pk>/minutes/": Entry(
        get="302 200 403 403 403 403 404 404 403",
        post="302 422 403 403 403 403 404 404 403",
        kwargs=lambda w: {"pk": o(w, "meeting")},
        post_data=lambda w: {"item": o(w, "agenda_item")},
    ),
    "meetings/<int:pk>/propose/": Entry(
        get="302 405 405 405 403 403 405 405 403",
        post="302 400 400 400 403 403 404 404 403",
        kwargs=lambda w: {"pk": o(w, "meeting")},
    ),
    "meetings/agenda/<int:pk>/delete/": Entry(
        get="302 405 403 403 403 403 405 403 403",
        post="302 302 403 403 403 403 404 403 403",
        kwargs=lambda w: {"pk": o(w, "agenda_item")},
    ),
    "meetings/agenda/<int:pk>/edit/": Entry(
        get="302 405 403 403 403 403 405 403 403",
        post="302 302 403 403 403 403 404 403 403",
        kwargs=lambda w: {"pk": o(w, "agenda_item")},
    ),
    "meetings/agenda/<int:pk>/move/": Entry(
        get="302 405 403 403 403 403 405 403 403",
        post="302 302 403 403 403 403 404 403 403",
        kwargs=lambda w: {"pk": o(w, "agenda_item")},
    ),
    "meetings/minutes/<int:pk>/delete/": Entry(
        get="302 405 405 405 403 403 405 405 403",
        post="302 302 403 403 403 403 404 404 403",
        kwargs=lambda w: {"pk": o(w, "minute_entry")},
    ),
    "meetings/new/": Entry(
        get="302 200 403 403 403 403 200 403 403", post="302 200 403 403 403 403 200 403 403"
    ),
    "meetings/ratings/": Entry(get="302 200 200 200 403 403 200 200 403"),
    "meetings/series/new/": Entry(
        get="302 200 403 403 403 403 200 403 403", post="302 200 403 403 403 403 200 403 403"
    ),
    # --- data: dashboards, imports, decision rules ------------------------------------------------------
    "data/": Entry(get="302 200 200 200 403 403 200 200 403"),
    "data/imports/": Entry(
        get="302 200 403 403 403 403 200 403 403", post="302 200 403 403 403 403 200 403 403"
    ),
    "data/imports/<int:pk>/": Entry(
        get="302 200 403 403 403 403 404 403 403",
        post="302 200 403 403 403 403 404 403 403",
        kwargs=lambda w: {"pk": o(w, "import_batch")},
    ),
    "data/imports/<int:pk>/check/": Entry(
        get="405 405 405 405 405 405 405 405 405",
        post="302 302 403 403 403 403 404 403 403",
        kwargs=lambda w: {"pk": o(w, "import_batch")},
    ),
    "data/imports/<int:pk>/import/": Entry(
        get="405 405 405 405 405 405 405 405 405",
        post="302 302 403 403 403 403 404 403 403",
        kwargs=lambda w: {"pk": o(w, "import_batch")},
    ),
    "data/imports/<int:pk>/map-school/": Entry(
        get="405 405 405 405 405 405 405 405 405",
        post="302 302 403 403 403 403 404 403 403",
        kwargs=lambda w: {"pk": o(w, "import_batch")},
    ),
    "data/imports/<int:pk>/new-school/": Entry(
        get="405 405 405 405 405 405 405 405 405",
        post="302 302 403 403 403 403 404 403 403",
        kwargs=lambda w: {"pk": o(w, "import_batch")},
    ),
    "data/imports/<int:pk>/problems.csv": Entry(
        get="302 200 403 403 403 403 404 403 403", kwargs=lambda w: {"pk": o(w, "import_batch")}
    ),
    "data/imports/<int:pk>/progress/": Entry(
        get="302 200 403 403 403 403 404 403 403", kwargs=lambda w: {"pk": o(w, "import_batch")}
    ),
    "data/my-school/": Entry(get="302 403 403 403 302 403 403 403 403"),
    "data/rules/": Entry(
        get="302 200 403 403 403 403 200 403 403", post="302 200 403 403 403 403 200 403 403"
    ),
    "data/rules/<int:pk>/delete/": Entry(
        get="405 405 405 405 405 405 405 405 405",
        post="302 302 403 403 403 403 404 403 403",
        kwargs=lambda w: {"pk": o(w, "rule")},
    ),
    "data/students/delete/": Entry(
        get="302 200 403 403 403 403 200 403 403", post="302 200 403 403 403 403 200 403 403"
    ),
    "data/schools/<int:pk>/": Entry(
        get="302 200 200 200 404 403 404 404 403", kwargs=lambda w: {"pk": w.a.other_school.pk}
    ),
    # Download as slides: asked for as the dashboard is opened; a deck is its asker's alone.
    "data/slides/": Entry(
        get="405 405 405 405 405 405 405 405 405", post="302 302 302 302 403 403 302 302 403"
    ),
    "data/schools/<int:pk>/slides/": Entry(
        get="405 405 405 405 405 405 405 405 405",
        post="302 302 302 302 404 403 404 404 403",
        kwargs=lambda w: {"pk": w.a.other_school.pk},
    ),
    "data/slides/<int:pk>/": Entry(get="302 200 404 404 404 403 404 404 403", kwargs=slide_deck_pk),
    "data/slides/<int:pk>/progress/": Entry(get="302 200 404 404 404 403 404 404 403", kwargs=slide_deck_pk),
    "data/slides/<int:pk>/download/": Entry(get="302 200 404 404 404 403 404 404 403", kwargs=slide_deck_pk),
    # --- data reviews -----------------------------------------------------------------------------------
    "data/reviews/": Entry(get="302 200 200 200 200 403 200 200 403"),
    "data/reviews/<int:pk>/": Entry(
        get="302 200 200 200 404 403 404 404 403", kwargs=lambda w: {"pk": o(w, "review")}
    ),
    "data/reviews/<int:pk>/data/add/": Entry(
        get="302 200 403 200 403 403 404 403 403", kwargs=lambda w: {"pk": o(w, "review")}
    ),
    "data/reviews/<int:pk>/edit/": Entry(
        get="302 200 403 200 403 403 404 403 403", kwargs=lambda w: {"pk": o(w, "review")}
    ),
    "data/reviews/<int:pk>/export.docx": Entry(
        get="302 200 200 200 404 403 404 404 403", kwargs=lambda w: {"pk": o(w, "review")}
    ),
    "data/reviews/<int:pk>/print/": Entry(
        get="302 200 200 200 404 403 404 404 403", kwargs=lambda w: {"pk": o(w, "review")}
    ),
    "data/reviews/<int:pk>/problems/<int:problem_pk>/actions/add/": Entry(
        get="302 200 403 200 403 403 404 403 403",
        kwargs=lambda w: {"pk": o(w, "review"), "problem_pk": o(w, "problem")},
    ),
    "data/reviews/<int:pk>/problems/<int:problem_pk>/check/": Entry(
        get="302 200 403 200 403 403 404 403 403",
        kwargs=lambda w: {"pk": o(w, "later_review"), "problem_pk": o(w, "problem")},
    ),
    "data/reviews/<int:pk>/problems/add/": Entry(
        get="302 200 403 200 403 403 404 403 403", kwargs=lambda w: {"pk": o(w, "review")}
    ),
    "data/reviews/<int:pk>/successes/add/": Entry(
        get="302 200 403 200 403 403 404 403 403", kwargs=lambda w: {"pk": o(w, "review")}
    ),
    "data/reviews/new/": Entry(
        get="302 200 403 403 403 403 200 403 403", post="302 200 403 403 403 403 200 403 403"
    ),
    "data/reviews/problems/<int:pk>/": Entry(
        get="302 200 200 200 404 403 404 404 403", kwargs=lambda w: {"pk": o(w, "problem")}
    ),
    "data/reviews/problems/<int:pk>/edit/": Entry(
        get="302 200 403 200 403 403 404 403 403", kwargs=lambda w: {"pk": o(w, "problem")}
    ),
    # --- notifications ----------------------------------------------------------------------------------
    "notifications/": Entry(get="302 200 200 200 200 200 200 200 200"),
    "notifications/<int:pk>/open/": Entry(
        get="302 405 405 405 405 405 405 405 405",
        post="302 302 404 404 404 404 404 404 404",
        kwargs=lambda w: {"pk": o(w, "notification")},
    ),
    "notifications/bell/": Entry(get="302 200 200 200 200 200 200 200 200"),
    "notifications/email-problems/": Entry(get="302 200 403 403 403 403 200 403 403"),
    "notifications/email-problems/<int:pk>/send-again/": Entry(
        get="302 405 403 403 403 403 405 403 403",
        post="302 302 403 403 403 403 404 403 403",
        kwargs=lambda w: {"pk": o(w, "email_problem")},
    ),
    "notifications/preferences/": Entry(
        get="302 200 200 200 200 200 200 200 200", post="302 200 200 200 200 200 200 200 200"
    ),
    "notifications/read-all/": Entry(
        get="302 405 405 405 405 405 405 405 405", post="302 302 302 302 302 302 302 302 302"
    ),
    # --- audit trail: read only, for coordinators and executive leaders ------------------------------
    "audit/": Entry(get="302 200 200 403 403 403 200 200 403", post="405 405 405 405 405 405 405 405 405"),
    # --- search: the district team and site admins, each finding what their own pages show -----------
    "search/": Entry(get="302 200 200 200 200 403 200 200 403"),
    # --- meetings: minutes as Word, coordinator time ----------------------------------------------
    "meetings/<int:pk>/minutes.docx": Entry(get="302 200 200 200 404 403 404 404 403", kwargs=_meeting_pk),
    # --- meetings: the packet and the agenda sent ahead -------------------------------------------
    "meetings/<int:pk>/packet/": Entry(get="302 200 200 200 403 403 404 404 403", kwargs=_meeting_pk),
    "meetings/<int:pk>/packet.docx": Entry(get="302 200 200 200 403 403 404 404 403", kwargs=_meeting_pk),
    "meetings/<int:pk>/send-agenda/": Entry(
        get="302 405 403 403 403 403 405 403 403",
        post="302 302 403 403 403 403 404 403 403",
        kwargs=_meeting_pk,
    ),
    "time/": Entry(get="302 200 403 403 403 403 200 403 403"),
    "time/meetings/<int:pk>/log/": Entry(
        get="302 405 403 403 403 403 405 403 403",
        post="302 302 403 403 403 403 404 403 403",
        kwargs=_meeting_pk,
    ),
    "time/<int:pk>/delete/": Entry(
        get="302 405 403 403 403 403 405 403 403",
        post="302 - 403 403 403 403 404 403 403",
        kwargs=_time_entry_pk,
    ),
    "time/summary/": Entry(get="302 200 200 403 403 403 200 200 403"),
    "time/summary.csv": Entry(get="302 200 200 403 403 403 200 200 403"),
    # --- a district's data: exports for coordinators; the operator's pages exist for superusers only ---
    "district/exports/": Entry(
        get="302 200 403 403 403 403 200 403 403", post="302 302 403 403 403 403 302 403 403"
    ),
    "district/exports/<int:pk>/progress/": Entry(
        get="302 200 403 403 403 403 404 403 403", kwargs=lambda w: {"pk": _district_export(w)}
    ),
    "district/exports/<int:pk>/download/": Entry(
        get="302 200 403 403 403 403 404 403 403", kwargs=lambda w: {"pk": _district_export(w)}
    ),
    "operator/districts/": Entry(get="302 404 404 404 404 404 404 404 404"),
    "operator/districts/new/": Entry(
        get="302 404 404 404 404 404 404 404 404",
        post="302 404 404 404 404 404 404 404 404",
        post_data=lambda w: {
            "name": "New District",
            "slug": "new-district",
            "time_zone": "America/Chicago",
            "coordinator_name": "New Coordinator",
            "coordinator_email": "new.coordinator@example.org",
        },
    ),
    "operator/districts/<int:pk>/suspend/": Entry(
        get="302 404 404 404 404 404 404 404 404",
        post="302 404 404 404 404 404 404 404 404",
        kwargs=lambda w: {"pk": w.a.district.pk},
    ),
    "operator/districts/<int:pk>/reactivate/": Entry(
        get="405 405 405 405 405 405 405 405 405",
        post="302 404 404 404 404 404 404 404 404",
        kwargs=lambda w: {"pk": w.a.district.pk},
    ),
    # --- the district's settings: coordinators change them, executive leaders read them -------------
    "district/settings/": Entry(
        get="302 200 200 403 403 403 200 200 403", post="302 200 403 403 403 403 200 403 403"
    ),
    # --- monthly MTSS updates: sent ones for everyone in the district, drafts for coordinators ---------
    "updates/": Entry(get="302 200 200 200 200 200 200 200 200"),
    "updates/new/": Entry(
        get="302 405 403 403 403 403 405 403 403", post="302 302 403 403 403 403 302 403 403"
    ),
    # Students: DIT members see none (403); a site admin and School staff of A reach only their own
    # (the student here is at the other school, taught by no one: 404 for them).
    "students/": Entry(get="302 200 200 403 200 200 200 200 200"),
    "students/<int:pk>/": Entry(
        get="302 200 200 403 404 404 404 404 404", kwargs=lambda w: {"pk": o(w, "student")}
    ),
    "updates/<int:pk>/": Entry(get="302 200 200 200 200 404 404 404 404", kwargs=sent_update_pk),
    "updates/<int:pk>/edit/": Entry(
        get="302 200 403 403 403 403 404 403 403",
        post="302 200 403 403 403 403 404 403 403",
        kwargs=draft_update_pk,
    ),
    "updates/<int:pk>/send/": Entry(
        get="302 200 403 403 403 403 404 403 403",
        post="302 302 403 403 403 403 404 403 403",
        kwargs=draft_update_pk,
    ),
    "updates/<int:pk>/delete/": Entry(
        get="302 405 403 403 403 403 405 403 403",
        post="302 302 403 403 403 403 404 403 403",
        kwargs=draft_update_pk,
    ),
    "operator/districts/<int:pk>/export/": Entry(
        get="405 405 405 405 405 405 405 405 405",
        post="302 404 404 404 404 404 404 404 404",
        kwargs=lambda w: {"pk": w.a.district.pk},
    ),
    "operator/districts/<int:pk>/delete/": Entry(
        get="302 404 404 404 404 404 404 404 404",
        post="302 404 404 404 404 404 404 404 404",
        kwargs=lambda w: {"pk": w.a.district.pk},
        post_data=lambda w: {"slug": w.a.district.slug},
    ),
}


def _walk(
    patterns: list[Any], prefix: str = "", namespace: str | None = None
) -> list[tuple[str, str | None]]:
    found = []
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            found += _walk(
                pattern.url_patterns, prefix + str(pattern.pattern), pattern.namespace or namespace
            )
        elif isinstance(pattern, URLPattern):
            found.append((prefix + str(pattern.pattern), namespace))
    return found


def all_routes() -> list[str]:
    return sorted(
        {
            route
            for route, namespace in _walk(get_resolver().url_patterns)
            if namespace not in NOT_IN_MATRIX_NAMESPACES
        }
    )


def test_every_url_pattern_has_an_entry():
    missing = [route for route in all_routes() if route not in MATRIX]
    assert not missing, f"add these URL patterns to the authorisation matrix: {missing}"
    stale = [route for route in MATRIX if route not in all_routes()]
    assert not stale, f"these matrix entries match no URL pattern any more: {stale}"


def _path(route: str, world: World, entry: Entry) -> str:
    kwargs = entry.kwargs(world) if entry.kwargs else {}
    path = "/" + route
    for key, value in kwargs.items():
        for converter in ("int:", "str:", "slug:", "uuid:", "path:", ""):
            path = path.replace(f"<{converter}{key}>", str(value))
    assert "<" not in path, f"{route}: kwargs missing for {path}"
    return path


def _client(persona: str, world: World) -> Client:
    client = Client()
    if persona == "anonymous":
        return client
    side = world.a if persona.endswith("_a") else world.b
    role = persona.rsplit("_", 1)[0]
    client.force_login(getattr(side, role))
    return client


# Written by every request on purpose: refusals are audited, sign-in records and sessions kept.
UNWATCHED_APPS = {"audit", "axes", "sessions", "admin"}


def _table_digests() -> dict[str, str]:
    """Per table, a digest of every row's every column: an outsider's UPDATE shows, not only an INSERT."""
    digests = {}
    for model in apps.get_models():
        if model._meta.app_label in UNWATCHED_APPS:
            continue
        rows = model._base_manager.order_by("pk").values_list()
        # PostgreSQL hands binary columns over as memoryview, whose repr is its address, not its bytes.
        values = [tuple(bytes(v) if isinstance(v, memoryview) else v for v in row) for row in rows]
        digests[model._meta.label] = hashlib.sha256(repr(values).encode()).hexdigest()
    return digests


@pytest.fixture
def world(side_a: Side, side_b: Side) -> World:
    return World(a=side_a, b=side_b, objects=build_objects(side_a))


@pytest.mark.django_db
@pytest.mark.parametrize("route", sorted(MATRIX))
def test_each_persona_gets_the_expected_answer(route: str, world: World):
    entry = MATRIX[route]
    path = _path(route, world, entry)
    failures = []
    for method, expected_text in (("GET", entry.get), ("POST", entry.post)):
        for persona, expected in zip(PERSONAS, _codes(expected_text), strict=True):
            if expected == "-":
                continue
            client = _client(persona, world)
            data = entry.post_data(world) if entry.post_data else {}
            with transaction.atomic():
                before = _table_digests()
                response = client.get(path) if method == "GET" else client.post(path, data)
                after = _table_digests()
                transaction.set_rollback(True)
            if str(response.status_code) != expected:
                failures.append(
                    f"{method} {path} as {persona}: expected {expected}, got {response.status_code}"
                )
            changed = sorted(k for k in before if before[k] != after[k])
            if changed and (
                expected in {"403", "404", "405"} or (persona in OUTSIDERS and expected != "302")
            ):
                failures.append(f"{method} {path} as {persona} changed rows: {changed}")
    assert not failures, "\n".join(failures)


@pytest.mark.django_db
def test_the_digest_sees_an_update_that_keeps_every_row_count(world: World):
    before = _table_digests()
    School.objects.filter(pk=world.a.school.pk).update(name="Renamed by an outsider")
    after = _table_digests()
    assert [label for label in before if before[label] != after[label]] == ["coordinators.School"]


def test_reverse_of_home_is_the_root():
    assert reverse("home") == "/"


@pytest.mark.django_db
def test_site_admin_reaches_their_own_school_where_the_matrix_shows_404_for_the_other(world: World):
    """The matrix puts school-scoped objects in `other_school`; here are the admin's own school's pages."""
    school = world.a.school
    review = review_services.review_create(
        school=school,
        title="Lakeside winter review",
        held_on=world.objects["review"].held_on,
        facilitator=world.a.site_admin,
        member=world.a.membership(world.a.coordinator),
    )
    client = _client("site_admin_a", world)
    assert client.get(reverse("score_school_dashboard", args=[school.pk])).status_code == 200
    assert client.get(reverse("review_detail", args=[review.pk])).status_code == 200
    assert client.get(reverse("score_school_dashboard", args=[world.a.other_school.pk])).status_code == 404


@pytest.mark.django_db
def test_an_unknown_calendar_address_answers_404(world: World):
    assert Client().get(reverse("calendar_feed", args=["not-a-real-token"])).status_code == 404


@pytest.mark.django_db
def test_school_staff_and_the_site_admin_reach_the_student_they_serve(world: World):
    taught = world.objects["taught_student"]
    for persona in ("school_staff_a", "site_admin_a"):
        client = _client(persona, world)
        assert client.get(reverse("student_detail", args=[taught.pk])).status_code == 200
        assert client.get(reverse("student_detail", args=[world.objects["student"].pk])).status_code == 404
    assert (
        _client("school_staff_b", world).get(reverse("student_detail", args=[taught.pk])).status_code == 404
    )
