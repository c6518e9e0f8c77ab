from __future__ import annotations

from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.db import models


class SearchEntry(models.Model):
    """One searchable record: its words, where it lives and the page it links to.

    Derived data only: `reindex_search` rebuilds every row from the records themselves.
    `vector` is filled on PostgreSQL (title weighted above body); SQLite leaves it empty and
    searches `title` and `body` directly.
    """

    district = models.ForeignKey("coordinators.District", on_delete=models.CASCADE, related_name="+")
    # The school the record belongs to, shown beside the result. Who may see the record is decided
    # by the kind's own selector at search time, never by this column.
    school = models.ForeignKey(
        "coordinators.School", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    kind = models.CharField(max_length=32)
    object_id = models.PositiveBigIntegerField()
    title = models.CharField(max_length=300)
    body = models.TextField(blank=True)
    url = models.CharField(max_length=500)
    # A short line under the title: a meeting's date, an activity's status and due date.
    detail = models.CharField(max_length=200, blank=True)
    vector = SearchVectorField(null=True, editable=False)
    indexed_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "search entries"
        constraints = [
            models.UniqueConstraint(fields=["kind", "object_id"], name="search_entry_one_per_record"),
        ]
        indexes = [
            models.Index(fields=["district", "kind"], name="search_entry_district_kind"),
            GinIndex(fields=["vector"], name="search_entry_vector"),
        ]

    def __str__(self) -> str:
        return f"{self.kind}: {self.title}"
