"""Sign-in outcomes go to the audit trail (QUALITY.md S6)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver
from django.http import HttpRequest

from mtss.audit.models import AuditEvent
from mtss.audit.services import audit_record


@receiver(user_logged_in)
def audit_login(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    audit_record(action="login", actor=user, request=request)


@receiver(user_login_failed)
def audit_login_failed(
    sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    audit_record(
        action="login",
        actor_label=str(credentials.get("username", ""))[:254],
        outcome=AuditEvent.Outcome.FAILURE,
        request=request,
    )


@receiver(user_logged_out)
def audit_logout(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    if user is not None:
        audit_record(action="logout", actor=user, request=request)
