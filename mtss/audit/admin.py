from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from mtss.audit.models import AuditAction, AuditEvent


class ActionFilter(admin.SimpleListFilter):
    """The actions the application records, in words. Refusals composed by the access helpers
    ("view processversion") are not among them: filter those by the Denied outcome."""

    title = "action"
    parameter_name = "action"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list[tuple[str, str]]:
        return sorted(AuditAction.choices, key=lambda choice: choice[1])

    def queryset(self, request: HttpRequest, queryset: QuerySet[AuditEvent]) -> QuerySet[AuditEvent]:
        return queryset.filter(action=self.value()) if self.value() else queryset


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ["at", "actor_label", "district", "action", "object_type", "object_label", "outcome"]
    list_filter = ["outcome", ActionFilter, "district"]
    search_fields = ["actor_label", "object_label", "action"]
    date_hierarchy = "at"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: AuditEvent | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: AuditEvent | None = None) -> bool:
        return False
