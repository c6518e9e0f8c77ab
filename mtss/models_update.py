"""The one way a service changes the fields of a record it already has."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.db import models


def model_update[M: models.Model](
    instance: M, data: Mapping[str, Any], *, fields: Iterable[str]
) -> tuple[M, bool]:
    """Set the allowed `fields` found in `data`, validate them, and save only what changed.

    A name in `data` outside `fields` is a programming error (ValueError): the allow-list is what a
    caller may change. The changed fields are checked with full_clean (the others are left out of
    it), then saved with update_fields, together with any auto_now field. Returns the instance and
    whether anything changed; with nothing changed nothing is written.
    """
    allowed = list(fields)
    unknown = sorted(set(data) - set(allowed))
    if unknown:
        raise ValueError(f"{type(instance).__name__} fields not allowed here: {', '.join(unknown)}")
    changed: list[str] = []
    for name in allowed:
        if name not in data:
            continue
        field = instance._meta.get_field(name)
        if not field.concrete or field.many_to_many:
            raise ValueError(f"{type(instance).__name__}.{name} is not a column of its own")
        value = data[name]
        if field.is_relation:
            current = getattr(instance, field.attname)
            new = value.pk if isinstance(value, models.Model) else value
        else:
            current, new = getattr(instance, name), value
        if current != new:
            setattr(instance, name, value)
            changed.append(name)
    if not changed:
        return instance, False
    columns = instance._meta.concrete_fields
    instance.full_clean(exclude=[f.name for f in columns if f.name not in changed])
    auto_now = [f.name for f in columns if getattr(f, "auto_now", False) and f.name not in changed]
    instance.save(update_fields=[*changed, *auto_now])
    return instance, True
