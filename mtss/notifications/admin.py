from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest

from mtss.notifications.delivery import notifications_send_again
from mtss.notifications.kinds import Kind
from mtss.notifications.models import DigestSetting, Notification, NotificationPreference


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = (
        "subject",
        "recipient",
        "district",
        "kind",
        "email_state",
        "due_at",
        "attempts",
        "last_error",
    )
    list_filter = ("email_state", "kind", "district")
    search_fields = ("subject", "recipient__email", "recipient__full_name", "key")
    date_hierarchy = "due_at"
    list_select_related = ("recipient", "district")
    readonly_fields = [f.name for f in Notification._meta.fields]
    actions = ["send_again"]

    @admin.action(description="Send again (failed or uncertain emails only)")
    def send_again(self, request: HttpRequest, queryset: QuerySet[Notification]) -> None:
        count = notifications_send_again(ids=queryset.values_list("id", flat=True))
        self.message_user(request, f"{count} email(s) will be sent again.", messages.SUCCESS)

    def get_fields(self, request: HttpRequest, obj: Notification | None = None) -> list[Any]:
        """An invitation's text is the invited person's business, not the admin's."""
        fields = list(super().get_fields(request, obj))
        if obj is not None and obj.kind == Kind.INVITATION:
            fields = [f for f in fields if f not in {"body", "url"}]
        return fields

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


@admin.register(NotificationPreference)
class NotificationPreferenceAdmin(admin.ModelAdmin):
    list_display = ("user", "kind", "delivery")
    list_filter = ("kind", "delivery")


@admin.register(DigestSetting)
class DigestSettingAdmin(admin.ModelAdmin):
    list_display = ("user", "frequency")
    list_filter = ("frequency",)
