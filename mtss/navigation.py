"""Navigation and home-page panels gathered from each app.

Each app may have `nav.py` with `NAV_ITEMS` (what the top bar offers each role) and
`home.py` with `home_panels(request)` (what the person's home page lists). Apps stay
independent: adding a capability means adding those two files, not editing a shared one.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from typing import TYPE_CHECKING, Any

from django.apps import apps
from django.http import HttpRequest
from django.urls import reverse

if TYPE_CHECKING:
    from mtss.access import MemberRequest


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    roles: frozenset[str]
    order: int = 100
    group: str = ""  # items sharing a group appear under one menu in the top bar


@dataclass
class NavEntry:
    """One place in the top bar: a link, or a menu of links when a group holds several."""

    label: str
    links: list[tuple[str, str, str]]  # (label, href, url_name)

    @property
    def is_menu(self) -> bool:
        return len(self.links) > 1

    @property
    def url_names(self) -> list[str]:
        return [name for _label, _href, name in self.links]


@dataclass
class HomePanel:
    title: str
    template: str
    context: dict[str, Any] = field(default_factory=dict)
    order: int = 100
    # Set when the panel has nothing to show: the home page gives it this one line instead of a
    # card, so a new district's home is not a wall of blank cards.
    empty: str = ""


@cache
def app_modules(name: str) -> tuple[Any, ...]:
    found = []
    for config in apps.get_app_configs():
        try:
            found.append(importlib.import_module(f"{config.name}.{name}"))
        except ModuleNotFoundError as error:
            if error.name != f"{config.name}.{name}":
                raise
    return tuple(found)


def nav_items_for(role: str) -> list[NavEntry]:
    items = [item for module in app_modules("nav") for item in module.NAV_ITEMS if role in item.roles]
    entries: list[NavEntry] = []
    groups: dict[str, NavEntry] = {}
    for item in sorted(items, key=lambda i: i.order):
        link = (item.label, reverse(item.url_name), item.url_name)
        if item.group and item.group in groups:
            groups[item.group].links.append(link)
            continue
        entry = NavEntry(label=item.group or item.label, links=[link])
        if item.group:
            groups[item.group] = entry
        entries.append(entry)
    return entries


def home_panels(request: MemberRequest) -> list[HomePanel]:
    providers: list[Callable[[MemberRequest], list[HomePanel]]] = [
        module.home_panels for module in app_modules("home")
    ]
    panels = [panel for provider in providers for panel in provider(request)]
    return sorted(panels, key=lambda p: p.order)


def navigation(request: HttpRequest) -> dict[str, Any]:
    member = getattr(request, "membership", None)
    if member is None:
        return {"nav_items": [], "current_member": None, "my_memberships": []}
    from coordinators.selectors import memberships_of

    return {
        "nav_items": nav_items_for(member.role),
        "current_member": member,
        # Read with the current membership by CurrentDistrictMiddleware; queried only without it.
        "my_memberships": getattr(request, "memberships", None) or memberships_of(member.user),
    }
