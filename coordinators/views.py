"""Home, district switcher, people and schools pages."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from coordinators import profile, selectors, services, sign_in
from coordinators.forms import (
    InvitationPasswordForm,
    InvitePersonForm,
    PasswordResetRequestForm,
    ProfileForm,
    TimeEntryForm,
    TimeSummaryForm,
)
from coordinators.home import home_page
from coordinators.models import ImplementationStage, Invitation, Role, User
from coordinators.school_hub import school_hub
from coordinators.single_sign_on import sign_in_providers, signs_in_with_single_sign_on_only
from meetings.selectors import get_meeting_for_user
from mtss.access import MemberRequest, SignedInRequest, member_required
from mtss.clients import client_address
from mtss.spreadsheets import csv_text


@member_required(*Role.coordination_roles(), Role.SCHOOL_STAFF)
def home(request: MemberRequest) -> HttpResponse:
    return render(request, "coordinators/home.html", home_page(request))


@login_required
def no_district(request: SignedInRequest) -> HttpResponse:
    if request.membership is not None:
        return redirect("home")
    if request.user.is_superuser:
        # The installation's operator works across districts from the districts page.
        return redirect("operator_districts")
    invitations = selectors.invitations_of(request.user)
    return render(request, "coordinators/no_district.html", {"invitations": invitations}, status=403)


@login_required
def profile_edit(request: SignedInRequest) -> HttpResponse:
    user = request.user
    initial = {"full_name": user.full_name, "short_name": user.short_name, "title": user.title}
    form = ProfileForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        saved = profile.profile_update(person=user, **form.cleaned_data)
        messages.success(request, f"Your profile is saved. Greetings now say {saved.get_short_name()}.")
        return redirect("profile")
    return render(request, "coordinators/profile.html", {"form": form, "default": user.get_short_name()})


@login_required
@require_POST
def district_switch(request: SignedInRequest) -> HttpResponse:
    try:
        district_id = int(request.POST.get("district", ""))
    except ValueError:
        district_id = 0
    membership = services.district_switch(request=request, district_id=district_id)
    if membership is None:
        messages.error(request, "You have no role in that district.")
    else:
        messages.success(request, f"You are now working in {membership.district.name}.")
    return redirect("home")


@member_required()
def school_list(request: MemberRequest) -> HttpResponse:
    schools = list(selectors.schools_for(request.membership))
    context = {
        "schools": [s for s in schools if s.active],
        "inactive_schools": [s for s in schools if not s.active],
    }
    return render(request, "coordinators/school_list.html", context)


@member_required()
def school_detail(request: MemberRequest, pk: int) -> HttpResponse:
    member = request.membership
    school = selectors.get_school_for_user(member, pk)
    context = {"school": school, **school_hub(member, school)}
    return render(request, "coordinators/school_detail.html", context)


@member_required(*Role.district_staff())
def person_list(request: MemberRequest) -> HttpResponse:
    member = request.membership
    invitations = list(selectors.invitations_for(member))
    to_confirm = [
        i
        for i in invitations
        if member.is_leader
        and i.status == Invitation.Status.AWAITING_CONFIRMATION
        and i.invited_by_id != member.user_id
    ]
    context = {"people": selectors.people_for(member), "invitations": invitations, "to_confirm": to_confirm}
    return render(request, "coordinators/person_list.html", context)


@member_required(*Role.district_staff())
def person_detail(request: MemberRequest, pk: int) -> HttpResponse:
    person = selectors.get_person_for_user(request.membership, pk)
    return render(request, "coordinators/person_detail.html", {"person": person})


@member_required(Role.COORDINATOR)
def person_invite(request: MemberRequest) -> HttpResponse:
    district = request.membership.district
    form = InvitePersonForm(request.POST or None, district=district)
    if request.method == "POST" and form.is_valid():
        try:
            invitation = services.person_invite(member=request.membership, **form.cleaned_data)
        except services.PersonAlreadyInDistrict as error:
            form.add_error("email", str(error))
        else:
            if invitation.status == Invitation.Status.AWAITING_CONFIRMATION:
                messages.success(
                    request,
                    f"The invitation to {invitation.email} waits for an executive leader to confirm "
                    f"the {invitation.get_role_display()} role; then it is sent.",
                )
            else:
                messages.success(request, f"Invitation sent to {invitation.email}.")
            return redirect("person_list")
    return render(request, "coordinators/person_invite.html", {"form": form})


@member_required(Role.LEADER)
@require_POST
def invitation_confirm(request: MemberRequest, pk: int) -> HttpResponse:
    invitation = selectors.get_invitation_for_user(request.membership, pk, write=True)
    try:
        services.invitation_confirm(member=request.membership, invitation=invitation)
    except services.InvitationNotYours as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"Confirmed: the invitation is on its way to {invitation.email}.")
    return redirect("person_list")


@member_required(Role.LEADER)
@require_POST
def invitation_refuse(request: MemberRequest, pk: int) -> HttpResponse:
    invitation = selectors.get_invitation_for_user(request.membership, pk, write=True)
    try:
        services.invitation_refuse(member=request.membership, invitation=invitation)
    except services.InvitationNotYours as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"Not confirmed: {invitation.email} is not invited.")
    return redirect("person_list")


@login_required
def invitation_list(request: SignedInRequest) -> HttpResponse:
    invitations = selectors.invitations_of(request.user)
    return render(request, "coordinators/invitation_list.html", {"invitations": invitations})


@login_required
@require_POST
def invitation_accept(request: SignedInRequest, pk: int) -> HttpResponse:
    invitation = selectors.get_own_invitation(request.user, pk)
    membership = services.invitation_accept(invitation=invitation, person=request.user)
    services.district_switch(request=request, district_id=membership.district_id)
    messages.success(request, f"Welcome to {membership.district.name}. You are now working there.")
    return redirect("home")


@login_required
@require_POST
def invitation_decline(request: SignedInRequest, pk: int) -> HttpResponse:
    invitation = selectors.get_own_invitation(request.user, pk)
    services.invitation_decline(invitation=invitation, person=request.user)
    messages.success(request, f"You declined the invitation to {invitation.district.name}.")
    return redirect("invitation_list")


# As Django's own password-reset view does: the secret moves from the address into the session, so it
# is not left in the browser's history or sent on with later requests.
INVITATION_LINK_SESSION_KEY = "_invitation_link"
INVITATION_LINK_IN_SESSION = "continue"


def invitation_set_password(request: HttpRequest, token: str) -> HttpResponse:
    """The emailed link for a person without a password: choose one and accept the invitation."""
    if token != INVITATION_LINK_IN_SESSION:
        if selectors.invitation_for_token(token) is not None:
            request.session[INVITATION_LINK_SESSION_KEY] = token
            return redirect("invitation_set_password", token=INVITATION_LINK_IN_SESSION)
        invitation = None
    else:
        invitation = selectors.invitation_for_token(request.session.get(INVITATION_LINK_SESSION_KEY, ""))
    if invitation is None:
        return render(request, "coordinators/invitation_set_password.html", {"invitation": None}, status=404)
    if signs_in_with_single_sign_on_only(invitation.person):
        # A password chosen here would be refused at sign-in: the person signs in with the district's
        # provider and accepts the invitation in the app instead.
        context = {
            "invitation": invitation,
            "providers": sign_in_providers(),
            "next": reverse("invitation_list"),
        }
        return render(request, "coordinators/invitation_single_sign_on.html", context)
    form = InvitationPasswordForm(
        invitation.person, request.POST or None, initial={"full_name": invitation.full_name}
    )
    if request.method == "POST" and form.is_valid():
        membership = services.invitation_accept_with_password(
            invitation=invitation,
            full_name=form.cleaned_data["full_name"],
            password=form.cleaned_data["new_password1"],
        )
        request.session.pop(INVITATION_LINK_SESSION_KEY, None)
        messages.success(
            request, f"Your password is set. Sign in to start working in {membership.district.name}."
        )
        return redirect("login")
    context = {"invitation": invitation, "form": form}
    return render(request, "coordinators/invitation_set_password.html", context)


# Coordinator time ----------------------------------------------------------------------------
# Appended section: imports kept here so the code above stays untouched.


def _summary_choices(request: MemberRequest) -> tuple[TimeSummaryForm, User | None, date, str]:
    member = request.membership
    coordinators = selectors.coordinators_for_time(member)
    form = TimeSummaryForm(request.GET or None, coordinators=coordinators)
    data = form.cleaned_data if form.is_valid() else {}
    coordinator = data.get("coordinator") or (request.user if member.is_coordinator else coordinators.first())
    month = data.get("month") or timezone.localdate(timezone=member.district.tz).replace(day=1)
    stage = data.get("stage") or ImplementationStage.INSTALLATION
    return form, coordinator, month, stage


def _summary_context(request: MemberRequest) -> dict:
    form, coordinator, month, stage = _summary_choices(request)
    summary = selectors.time_summary(request.membership, coordinator, month, stage) if coordinator else None
    return {"summary_form": form, "summary": summary, "stage": stage, "month": month}


@member_required(Role.COORDINATOR)
def time_entries(request: MemberRequest) -> HttpResponse:
    member = request.membership
    form = TimeEntryForm(
        request.POST or None, initial={"date": timezone.localdate(timezone=member.district.tz)}
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        services.time_entry_create(
            member=member,
            date=data["date"],
            hours=data["hours"],
            activity=data["activity"],
            note=data["note"],
        )
        messages.success(request, "Time added.")
        return redirect("time_entries")
    context = _summary_context(request)
    month = context["month"]
    context |= {
        "form": form,
        "entries": selectors.time_entries_for(member)
        .filter(date__gte=month, date__lt=selectors.add_months(month, 1))
        .select_related("meeting")[:200],
        "to_log": selectors.meetings_to_log(member),
    }
    return render(request, "coordinators/time_entries.html", context)


@member_required(Role.COORDINATOR)
@require_POST
def time_log_meeting(request: MemberRequest, pk: int) -> HttpResponse:
    meeting = get_meeting_for_user(request.membership, pk)
    entry, created = services.time_entry_log_meeting(member=request.membership, meeting=meeting)
    if created:
        messages.success(request, f"Logged {entry.hours:g} hours for {meeting.title}.")
    else:
        messages.info(request, f"{meeting.title} is already in your time log.")
    return redirect(reverse("time_entries") + f"?month={entry.date:%Y-%m}")


@member_required(Role.COORDINATOR)
@require_POST
def time_entry_delete(request: MemberRequest, pk: int) -> HttpResponse:
    entry = selectors.get_time_entry_for_user(request.membership, pk, write=True)
    services.time_entry_delete(member=request.membership, entry=entry)
    messages.success(request, "Time entry removed.")
    return redirect("time_entries")


@member_required(Role.COORDINATOR, Role.LEADER)
def time_summary(request: MemberRequest) -> HttpResponse:
    return render(request, "coordinators/time_summary.html", _summary_context(request))


@member_required(Role.COORDINATOR, Role.LEADER)
def time_summary_csv(request: MemberRequest) -> HttpResponse:
    context = _summary_context(request)
    summary = context["summary"]
    rows = summary.csv_rows() if summary else [["No coordinator in this district."]]
    response = HttpResponse(csv_text(rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="coordinator-time-{context["month"]:%Y-%m}.csv"'
    return response


# Signing in ----------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def password_reset(request: HttpRequest) -> HttpResponse:
    """Ask for a link to choose a new password: the same answer whether or not the email has an account."""
    form = PasswordResetRequestForm(request.POST) if request.method == "POST" else PasswordResetRequestForm()
    if form.is_valid():
        sign_in.password_reset_request(email=form.cleaned_data["email"], ip_address=client_address(request))
        return redirect("password_reset_done")
    return render(request, "registration/password_reset_form.html", {"form": form})
