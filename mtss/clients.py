"""The address a request came from, for sign-in lockout and reset limits.

Behind a TLS proxy every request arrives from the proxy's own address, so REMOTE_ADDR alone would
put everybody at one address. X-Forwarded-For is trusted only as far as MTSS_TRUSTED_PROXY_COUNT
says: each proxy appends the address it saw, so with N proxies the Nth entry from the right was
written by the outermost proxy. Anything further left came from the client and can be forged.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def _address(entry: str) -> str | None:
    """The address in one X-Forwarded-For entry, without a port some proxies add; None if it is not one."""
    entry = entry.strip()
    if entry.startswith("["):  # [2001:db8::1]:41234
        entry = entry[1:].split("]", 1)[0]
    elif entry.count(":") == 1:  # 203.0.113.5:41234
        entry = entry.split(":", 1)[0]
    try:
        return str(ipaddress.ip_address(entry))
    except ValueError:
        return None


def client_address(request: HttpRequest) -> str | None:
    remote = request.META.get("REMOTE_ADDR") or None
    proxies = settings.MTSS_TRUSTED_PROXY_COUNT
    if proxies <= 0:
        return remote
    hops = [hop for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
    if len(hops) < proxies:
        # The request did not pass through every proxy: no entry can be trusted.
        return remote
    return _address(hops[-proxies]) or remote
