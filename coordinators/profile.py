"""A person's own profile: the names others see and the name greetings use."""

from __future__ import annotations

from django.db import transaction

from coordinators.models import User


def profile_update(*, person: User, full_name: str, short_name: str, title: str) -> User:
    """Save the person's names and title; saving the same values again changes nothing.

    The person edits their own account, which is the same in every district: a User, not a Membership.
    """
    with transaction.atomic():
        locked = User.objects.select_for_update().get(pk=person.pk)
        locked.full_name = full_name.strip()
        # Empty means "the default": the first word of the name that is not a title such as Dr.
        locked.short_name = short_name.strip()
        locked.title = title.strip()
        locked.save(update_fields=["full_name", "short_name", "title"])
    return locked
