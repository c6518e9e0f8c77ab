from allauth.account.models import EmailAddress
from allauth.socialaccount.models import SocialAccount, SocialApp, SocialToken
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from coordinators import lifecycle, services
from coordinators.models import District, Invitation, Membership, School, TimeEntry, TimeTarget, User
from mtss.access import is_signed_in

# The admin site lets only the signed-in operator in (mtss/urls.py); the checks below say so to the
# type checker.


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["district", "schools"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["full_name", "email"]
    list_display = ["email", "full_name", "title", "is_active", "is_staff", "last_login"]
    list_filter = ["is_active", "is_staff", "is_superuser", "memberships__role", "memberships__district"]
    search_fields = ["email", "full_name", "title"]
    inlines = [MembershipInline]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        ("Person", {"fields": ["full_name", "short_name", "title"]}),
        ("Access", {"fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]}),
        ("Dates", {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (None, {"classes": ["wide"], "fields": ["email", "full_name", "password1", "password2"]})
    ]

    # Deleting a person redacts their audit rows first (the trail refuses a bare SET NULL).
    def delete_model(self, request: HttpRequest, obj: User) -> None:
        if not is_signed_in(request):
            raise PermissionDenied
        lifecycle.person_delete(user=obj, operator=request.user, request=request)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        if not is_signed_in(request):
            raise PermissionDenied
        for person in queryset:
            lifecycle.person_delete(user=person, operator=request.user, request=request)


@admin.register(District)
class DistrictAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "time_zone", "raw_file_retention_days", "result_retention_years"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}

    # A district is deleted only on the operator's page, which names what goes and asks for its slug.
    def delete_view(self, request: HttpRequest, object_id: str, extra_context: object = None) -> HttpResponse:
        return redirect("operator_district_delete", int(object_id))

    def has_delete_permission(self, request: HttpRequest, obj: District | None = None) -> bool:
        return False


@admin.register(School)
class SchoolAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "district", "level", "grades_served", "active"]
    list_filter = ["district", "level", "active"]
    search_fields = ["name", "code"]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "district", "role", "active"]
    list_filter = ["district", "role", "active"]
    search_fields = ["user__email", "user__full_name", "district__name"]
    autocomplete_fields = ["user", "district", "schools"]


# The invitation's page shows these, every one read only.
INVITATION_FIELDS = (
    "district",
    "email",
    "full_name",
    "title",
    "role",
    "schools",
    "person",
    "invited_by",
    "confirmed_by",
    "status",
    "created_at",
    "decided_at",
)


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    """Read only, without the link's hash; the operator may confirm a role where no leader can."""

    list_display = ["email", "district", "role", "status", "invited_by", "confirmed_by", "created_at"]
    list_filter = ["status", "role", "district"]
    search_fields = ["email", "district__name"]
    list_select_related = ["district", "invited_by", "confirmed_by"]
    fields = INVITATION_FIELDS
    readonly_fields = INVITATION_FIELDS
    actions = ["confirm"]

    @admin.action(description="Confirm the role (as the installation's operator)")
    def confirm(self, request: HttpRequest, queryset: QuerySet[Invitation]) -> None:
        if not is_signed_in(request):
            raise PermissionDenied
        confirmed = 0
        for invitation in queryset.filter(status=Invitation.Status.AWAITING_CONFIRMATION):
            try:
                services.invitation_confirm_as_operator(operator=request.user, invitation=invitation)
            except services.InvitationNotYours as error:
                self.message_user(request, f"{invitation}: {error}", messages.ERROR)
            else:
                confirmed += 1
        self.message_user(request, f"{confirmed} invitation(s) confirmed and sent.", messages.SUCCESS)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Invitation | None = None) -> bool:
        return False


@admin.register(TimeTarget)
class TimeTargetAdmin(admin.ModelAdmin):
    list_display = ["district", "stage", "min_days", "max_days"]
    list_filter = ["district", "stage"]


@admin.register(TimeEntry)
class TimeEntryAdmin(admin.ModelAdmin):
    list_display = ["date", "coordinator", "district", "activity", "hours"]
    list_filter = ["district", "activity"]
    search_fields = ["coordinator__email", "coordinator__full_name", "note"]
    date_hierarchy = "date"


# Sign-in providers come from settings (README "Single sign-on") and no provider links, tokens or
# allauth email records are kept: allauth's admin pages would only invite a second, conflicting set-up.
for _allauth_model in (SocialApp, SocialAccount, SocialToken, EmailAddress):
    if admin.site.is_registered(_allauth_model):
        admin.site.unregister(_allauth_model)
