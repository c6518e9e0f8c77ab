"""The notification list, the bell, preferences and the coordinators' email problems page."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from coordinators.models import Role
from mtss.access import MemberRequest, member_required
from mtss.notifications import selectors, services
from mtss.notifications.delivery import notifications_send_again
from mtss.notifications.forms import PreferencesForm, field_name

PAGE_SIZE = 30


@member_required(*Role.coordination_roles(), Role.SCHOOL_STAFF)
def notification_list(request: MemberRequest) -> HttpResponse:
    member = request.membership
    page = Paginator(selectors.notifications_for(member).order_by("-created_at", "-id"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "notifications/notification_list.html",
        {"page": page, "unread": selectors.unread_count(member)},
    )


@member_required(*Role.coordination_roles(), Role.SCHOOL_STAFF)
def notification_bell(request: MemberRequest) -> HttpResponse:
    return render(
        request, "notifications/_bell_count.html", {"unread": selectors.unread_count(request.membership)}
    )


@member_required(*Role.coordination_roles(), Role.SCHOOL_STAFF)
@require_POST
def notification_open(request: MemberRequest, pk: int) -> HttpResponse:
    notification = selectors.get_notification_for_user(request.membership, pk, write=True)
    services.notification_mark_read(notification=notification)
    target = notification.url
    if request.POST.get("stay") or not url_has_allowed_host_and_scheme(target, allowed_hosts=None):
        return redirect("notification_list")
    return redirect(target)


@member_required(*Role.coordination_roles(), Role.SCHOOL_STAFF)
@require_POST
def notification_read_all(request: MemberRequest) -> HttpResponse:
    member = request.membership
    count = services.notifications_mark_all_read(member=member)
    messages.success(request, f"Marked {count} notification{'s' if count != 1 else ''} as read.")
    return redirect("notification_list")


@member_required(*Role.coordination_roles(), Role.SCHOOL_STAFF)
def notification_preferences(request: MemberRequest) -> HttpResponse:
    user = request.user
    is_leader = user.memberships.filter(role=Role.LEADER, active=True).exists()
    deliveries, frequency = selectors.preferences_of(user.id)
    initial = {field_name(kind): value for kind, value in deliveries.items()} | {
        "digest_frequency": frequency
    }
    form = PreferencesForm(request.POST or None, initial=initial, is_leader=is_leader)
    if request.method == "POST" and form.is_valid():
        services.preferences_save(
            person=user,
            deliveries=form.deliveries(),
            digest_frequency=form.cleaned_data["digest_frequency"],
            is_leader=is_leader,
        )
        messages.success(request, "Your notification choices are saved.")
        return redirect("notification_preferences")
    return render(request, "notifications/preferences.html", {"form": form, "is_leader": is_leader})


@member_required(Role.COORDINATOR)
def email_problems(request: MemberRequest) -> HttpResponse:
    rows = selectors.email_problems_for(request.membership)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "notifications/email_problems.html", {"page": page})


@member_required(Role.COORDINATOR)
@require_POST
def email_send_again(request: MemberRequest, pk: int) -> HttpResponse:
    member = request.membership
    notification = selectors.get_email_problem_for_user(member, pk, write=True)
    notifications_send_again(ids=[notification.id], district_id=member.district_id)
    messages.success(request, f"“{notification.subject}” will be sent again to {notification.recipient}.")
    return redirect("email_problems")
