"""Writing the audit trail. Every call adds one row; nothing here edits or removes one."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.http import HttpRequest

from mtss.audit.models import AuditEvent, RecordedAction
from mtss.clients import client_address


def client_ip(request: HttpRequest | None) -> str | None:
    if request is None:
        return None
    return client_address(request)


def audit_record(
    *,
    action: RecordedAction,
    actor: Any = None,
    actor_label: str = "",
    district: Any = None,
    target: models.Model | None = None,
    outcome: str = AuditEvent.Outcome.SUCCESS,
    request: HttpRequest | None = None,
    detail: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append an audit row: who did what to which object, with what outcome.

    The action is an AuditAction member, or a refusal the access helpers composed (viewing, changing,
    opening in mtss.audit.models): never a string typed at the call.
    """
    if actor is not None and not getattr(actor, "is_authenticated", False):
        actor = None
    return AuditEvent.objects.create(
        action=action,
        actor=actor,
        actor_label=actor_label or (actor.email if actor is not None else ""),
        district=district,
        object_type=target._meta.label_lower if target is not None else "",
        object_id=str(target.pk) if target is not None else "",
        object_label=str(target)[:300] if target is not None else "",
        outcome=outcome,
        ip_address=client_ip(request),
        detail=detail or {},
    )
