"""Sign-in outcomes go to the audit trail (docs/quality.md S6)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver
from django.http import HttpRequest

from coordinators.middleware import CURRENT_DISTRICT_KEY
from coordinators.models import District, Membership
from mtss.audit.models import AuditAction, AuditEvent
from mtss.audit.services import audit_record


def _district_of_session(request: HttpRequest | None, user: Any) -> District | None:
    """The district the person works in now (the session's, else their first), for the event's scope."""
    memberships = Membership.objects.filter(user=user, active=True).select_related("district")
    wanted = request.session.get(CURRENT_DISTRICT_KEY) if request is not None else None
    chosen = memberships.filter(district_id=wanted).first() if wanted else None
    chosen = chosen or memberships.order_by("district__name").first()
    return chosen.district if chosen is not None else None


# Set on the request by a single sign-on (coordinators.single_sign_on) to name its provider.
SIGN_IN_METHOD_ATTRIBUTE = "mtss_sign_in_method"


@receiver(user_logged_in)
def audit_login(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    method = getattr(request, SIGN_IN_METHOD_ATTRIBUTE, "password")
    audit_record(
        action=AuditAction.LOGIN,
        actor=user,
        district=_district_of_session(request, user),
        request=request,
        detail={"method": method},
    )


@receiver(user_login_failed)
def audit_login_failed(
    sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    audit_record(
        action=AuditAction.LOGIN,
        actor_label=str(credentials.get("username", ""))[:254],
        outcome=AuditEvent.Outcome.FAILURE,
        request=request,
        # A refusal after the password or the provider was right says why (district policy, an
        # unverified address); a wrong password says nothing more.
        detail={key: str(credentials[key]) for key in ("method", "reason") if credentials.get(key)},
    )


@receiver(user_logged_out)
def audit_logout(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    if user is not None:
        district = _district_of_session(request, user)
        audit_record(action=AuditAction.LOGOUT, actor=user, district=district, request=request)
