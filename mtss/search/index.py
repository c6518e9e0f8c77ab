"""Keeping the search index current: receivers on every watched model, refreshed after commit.

Why receivers and not a call in each service: the kinds' apps stay unaware of search (a new kind
is one entry in `kinds.py`), and a write that forgets to call a hook cannot leave the index behind.
Each post_save and post_delete only notes which records changed; once the transaction commits,
those records are read again and their entries rewritten (or removed when the record is gone), so
a rolled-back write changes nothing and a repeated one writes the same rows. Writes that send no
signal (`QuerySet.update`, `bulk_create` of a child row without its parent being saved) are picked
up by the next save of the record or by `manage.py reindex_search`, which rebuilds a district's
entries from the records themselves.
"""

from __future__ import annotations

import threading
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.contrib.postgres.search import SearchVector
from django.db import connection, transaction
from django.db.models import Model
from django.db.models.expressions import CombinedExpression
from django.db.models.signals import post_delete, post_save

from mtss.search.kinds import KINDS, Document, Kind
from mtss.search.models import SearchEntry

# Stemming and stop words for the district's language (the app's users write US English).
SEARCH_CONFIG = "english"
REFRESH_BATCH = 500

_pending = threading.local()


def vector_expression() -> CombinedExpression:
    return SearchVector("title", weight="A", config=SEARCH_CONFIG) + SearchVector(
        "body", weight="B", config=SEARCH_CONFIG
    )


def _write(kind: Kind, docs: list[Document]) -> None:
    SearchEntry.objects.bulk_create(
        [
            SearchEntry(
                district_id=doc.district_id,
                school_id=doc.school_id,
                kind=kind.key,
                object_id=doc.object_id,
                title=doc.title,
                body=doc.body,
                url=doc.url,
                detail=doc.detail,
            )
            for doc in docs
        ],
        update_conflicts=True,
        unique_fields=["kind", "object_id"],
        update_fields=["district", "school", "title", "body", "url", "detail", "indexed_at"],
    )
    if connection.vendor == "postgresql":
        SearchEntry.objects.filter(kind=kind.key, object_id__in=[doc.object_id for doc in docs]).update(
            vector=vector_expression()
        )


def refresh(kind: Kind, pks: Iterable[int]) -> None:
    """Rewrite the entries of these records from what is stored now; drop those of deleted records."""
    wanted = sorted(set(pks))
    for start in range(0, len(wanted), REFRESH_BATCH):
        batch = wanted[start : start + REFRESH_BATCH]
        docs = kind.documents(batch)
        gone = set(batch) - {doc.object_id for doc in docs}
        with transaction.atomic():
            if gone:
                SearchEntry.objects.filter(kind=kind.key, object_id__in=gone).delete()
            if docs:
                _write(kind, docs)


def index(obj: Model) -> None:
    """Refresh the entry of one record now (for callers that bypass the receivers)."""
    for kind in KINDS.values():
        if isinstance(obj, kind.model):
            refresh(kind, [obj.pk])


def reindex(district_id: int | None = None) -> dict[str, int]:
    """Rebuild every entry (of one district, or all): how many records each kind now has."""
    counts: dict[str, int] = {}
    for kind in KINDS.values():
        records = kind.model._default_manager.all()
        entries = SearchEntry.objects.filter(kind=kind.key)
        if district_id is not None:
            records = records.filter(district_id=district_id)
            entries = entries.filter(district_id=district_id)
        pks = set(records.values_list("pk", flat=True))
        stale = set(entries.values_list("object_id", flat=True)) - pks
        if stale:
            entries.filter(object_id__in=stale).delete()
        refresh(kind, pks)
        counts[kind.key] = len(pks)
    return counts


class _Batch:
    """The records written in one transaction, refreshed together once it commits."""

    def __init__(self) -> None:
        self.records: dict[str, set[int]] = defaultdict(set)
        self.done = False

    def flush(self) -> None:
        if self.done:
            return
        self.done = True
        for key, pks in self.records.items():
            refresh(KINDS[key], pks)


def _open_batch() -> _Batch | None:
    """This thread's batch if its callback still waits for the current transaction's commit.

    A batch whose transaction rolled back lost its callback with it: it is dropped, never run
    later with another transaction's records (or another test's).
    """
    batch = getattr(_pending, "batch", None)
    if batch is None or batch.done:
        return None
    if not any(callback[1] == batch.flush for callback in connection.run_on_commit):
        return None
    return batch


def _note(kind: Kind, pks: Iterable[int]) -> None:
    batch = _open_batch()
    if batch is None:
        batch = _pending.batch = _Batch()
    batch.records[kind.key].update(pk for pk in pks if pk is not None)
    # A callback per write, all for the same batch: whichever runs first after the commit refreshes
    # everything noted and the others find the batch done. Outside a transaction it runs at once.
    # Robust: a failing refresh is logged and never turns the committed write into an error page;
    # reindex_search mends the entry.
    transaction.on_commit(batch.flush, robust=True)


def _receiver(sender: type[Model], instance: Model, **kwargs: Any) -> None:
    if kwargs.get("raw"):
        return  # fixtures being loaded: reindex_search builds their entries
    update_fields = kwargs.get("update_fields")
    for kind in KINDS.values():
        for watch in kind.watches:
            if watch.model is not sender:
                continue
            if watch.fields and update_fields is not None and not (set(update_fields) & watch.fields):
                continue
            _note(kind, watch.roots(instance))


def connect_receivers() -> None:
    """Connect every watched model; safe to call again after `kinds.register()` adds a kind."""
    for model in {watch.model for kind in KINDS.values() for watch in kind.watches}:
        uid = f"search-index-{model._meta.label}"
        post_save.connect(_receiver, sender=model, dispatch_uid=uid)
        post_delete.connect(_receiver, sender=model, dispatch_uid=uid)
