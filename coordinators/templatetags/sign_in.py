"""The single sign-on buttons on the sign-in page: one per provider the installation configured."""

from __future__ import annotations

from django import template

from coordinators.single_sign_on import SignInProvider, sign_in_providers

register = template.Library()


@register.simple_tag
def single_sign_on_providers() -> list[SignInProvider]:
    return sign_in_providers()
