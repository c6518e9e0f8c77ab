"""Read settings from the environment, failing loudly on a bad value.

Every helper raises ImproperlyConfigured naming the variable and what it expected, so a
typo in a deployment stops the process at start-up instead of misbehaving later.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from urllib.parse import parse_qs, unquote, urlsplit

from django.core.exceptions import ImproperlyConfigured

TRUE_WORDS = {"1", "true", "yes", "on"}
FALSE_WORDS = {"0", "false", "no", "off"}


def env_str(name: str, default: str) -> str:
    value = os.environ.get(name)
    if value is None:
        return default
    value = value.strip()
    if not value:
        raise ImproperlyConfigured(f"{name} is set but empty; unset it or give it a value.")
    return value


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    word = value.strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise ImproperlyConfigured(f"{name}={value!r} is not a boolean; use true or false.")


def env_int(name: str, default: int, *, minimum: int | None = None) -> int:
    value = os.environ.get(name)
    if value is None:
        return default
    try:
        number = int(value.strip())
    except ValueError:
        raise ImproperlyConfigured(f"{name}={value!r} is not a whole number.") from None
    if minimum is not None and number < minimum:
        raise ImproperlyConfigured(f"{name}={number} is below the minimum of {minimum}.")
    return number


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if value is None:
        return default
    items = [item.strip() for item in value.split(",") if item.strip()]
    if not items:
        raise ImproperlyConfigured(f"{name} is set but lists nothing; use comma-separated values.")
    return items


def database_from_url(url: str) -> dict:
    """Turn postgres://user:pass@host:port/name or sqlite:///path into a DATABASES entry."""
    parts = urlsplit(url)
    if parts.scheme in {"postgres", "postgresql"}:
        name = parts.path.lstrip("/")
        if not name:
            raise ImproperlyConfigured(f"DATABASE_URL {url!r} names no database.")
        options = {key: values[-1] for key, values in parse_qs(parts.query).items()}
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": unquote(name),
            "USER": unquote(parts.username or ""),
            "PASSWORD": unquote(parts.password or ""),
            "HOST": parts.hostname or "",
            "PORT": str(parts.port or ""),
            # Fail fast when the server is down so a request gets the 503 page quickly.
            "OPTIONS": {"connect_timeout": 3, **options},
            "CONN_MAX_AGE": 60,
            "CONN_HEALTH_CHECKS": True,
        }
    if parts.scheme == "sqlite":
        path = unquote(parts.path)
        if not path:
            raise ImproperlyConfigured(f"DATABASE_URL {url!r} names no SQLite file.")
        return {"ENGINE": "django.db.backends.sqlite3", "NAME": path}
    raise ImproperlyConfigured(
        f"DATABASE_URL scheme {parts.scheme!r} is not supported; use postgres:// or sqlite:///."
    )


@dataclass(frozen=True)
class EmailSettings:
    backend: str
    host: str = ""
    port: int = 0
    user: str = ""
    password: str = ""
    use_tls: bool = False
    use_ssl: bool = False
    file_path: str = ""


def email_from_url(url: str) -> EmailSettings:
    """smtp://user:pass@host:587?tls=true, smtps://..., console://, file:///path."""
    parts = urlsplit(url)
    query = {key: values[-1].lower() for key, values in parse_qs(parts.query).items()}
    if parts.scheme in {"smtp", "smtps"}:
        if not parts.hostname:
            raise ImproperlyConfigured(f"EMAIL_URL {url!r} names no host.")
        return EmailSettings(
            backend="django.core.mail.backends.smtp.EmailBackend",
            host=parts.hostname,
            port=parts.port or (465 if parts.scheme == "smtps" else 25),
            user=unquote(parts.username or ""),
            password=unquote(parts.password or ""),
            use_tls=query.get("tls") in TRUE_WORDS,
            use_ssl=parts.scheme == "smtps",
        )
    if parts.scheme == "console":
        return EmailSettings(backend="django.core.mail.backends.console.EmailBackend")
    if parts.scheme == "file":
        return EmailSettings(
            backend="django.core.mail.backends.filebased.EmailBackend", file_path=unquote(parts.path)
        )
    raise ImproperlyConfigured(
        f"EMAIL_URL scheme {parts.scheme!r} is not supported; use smtp://, smtps://, console:// or file:///."
    )


def env_group(*names: str) -> dict[str, str] | None:
    """Variables that only make sense together: all of them set (their values), or none (None).

    A partly configured sign-in provider would show a button that cannot work, so it stops start-up.
    """
    present = [name for name in names if os.environ.get(name) is not None]
    if not present:
        return None
    missing = [name for name in names if name not in present]
    if missing:
        raise ImproperlyConfigured(f"{', '.join(present)} set without {', '.join(missing)}; set all or none.")
    return {name: env_str(name, "") for name in names}


# Microsoft's shared authorities: any directory in the world signs in through them, so an address
# they report is whatever that directory's own administrator typed.
MICROSOFT_SHARED_TENANTS = frozenset({"common", "organizations", "consumers"})


def env_microsoft_tenant(name: str, value: str) -> str:
    """One Microsoft Entra directory (its id or primary domain); never a shared authority."""
    if value.lower() in MICROSOFT_SHARED_TENANTS:
        raise ImproperlyConfigured(
            f"{name}={value!r} lets any Microsoft directory sign in; "
            "give your directory's tenant id or domain."
        )
    return value


def origin_of_url(name: str, url: str) -> str:
    """scheme://host[:port] of an http(s) URL; anything else is a configuration mistake."""
    parts = urlsplit(url)
    if parts.scheme not in {"https", "http"} or not parts.netloc:
        raise ImproperlyConfigured(f"{name}={url!r} is not an http(s) URL.")
    return f"{parts.scheme}://{parts.netloc}"
