"""Links people type or post (a "next" page, a link to a meeting or a data source) stay in the app."""

from __future__ import annotations

from django.utils.http import url_has_allowed_host_and_scheme


def is_app_path(link: str) -> bool:
    """A path in this app such as /data/schools/12/, and nothing a browser would take off-site.

    Django's check catches what a hand-written `startswith("/")` misses: `/\\evil.example/`,
    which browsers read as `//evil.example/`, and control characters inside the link.
    """
    return link.startswith("/") and url_has_allowed_host_and_scheme(link, allowed_hosts=None)
