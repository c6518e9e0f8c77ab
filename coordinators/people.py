"""People in the app: invite many staff from a file, deactivate a person, change a person's role.

Inviting from a file goes through `services.person_invite` row by row, so a file's invitations follow
the same consent rules as one typed by hand: nothing is granted before the person accepts, and a
District Coordinator or Executive Leader role waits for an executive leader to confirm it. A file is
all or nothing: one row with a problem sends no invitation at all.

A role change to District Coordinator or Executive Leader (or the return of someone who held one) is
an invitation too: it waits for a leader's confirmation and the person's acceptance
(`services.invitation_accept` then updates their membership). Other role changes apply at once.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.http import HttpRequest

from coordinators import services
from coordinators.models import (
    ROLES_NEEDING_CONFIRMATION,
    District,
    Invitation,
    Membership,
    Role,
    School,
    normalize_email_address,
)
from data_reviews.scores.importing.files import Upload, UploadRefused, checked
from data_reviews.scores.importing.reading import ROW, header_key, read_table
from mtss.audit.models import AuditAction
from mtss.audit.services import audit_record
from mtss.models_update import model_update

# A staff list is small: the bounds are checked before a row is read (size) and before a row is
# looked at (rows), so a wrong file (a screener export, a whole roster) is refused at once.
MAX_BULK_BYTES = 512 * 1024
MAX_BULK_ROWS = 500
SCHOOL_SEPARATOR = ";"

# The roles a coordinator offers here. School staff is left out until its access rules land.
OFFERED_ROLES: tuple[Role, ...] = (Role.COORDINATOR, Role.LEADER, Role.MEMBER, Role.SITE_ADMIN)

# Header words each column is known by (compared after header_key: lower case, letters and digits).
COLUMNS: dict[str, tuple[str, ...]] = {
    "email": ("email", "emailaddress", "mail"),
    "name": ("name", "fullname", "staffname"),
    "role": ("role", "roleinthisdistrict"),
    "schools": ("schools", "school"),
}
REQUIRED_COLUMNS = ("email", "name", "role")


class Outcome:
    INVITE = "invite"
    CONFIRM = "confirm"
    MEMBER = "member"
    INVITED = "invited"
    PROBLEM = "problem"

    LABELS = {
        INVITE: "Will be invited",
        CONFIRM: "Will be invited once an executive leader confirms the role",
        MEMBER: "Already a member: left as is",
        INVITED: "Already invited: left as is",
        PROBLEM: "Problem",
    }
    SENDS = (INVITE, CONFIRM)


@dataclass
class Problem:
    column: str
    value: str
    reason: str


@dataclass
class BulkRow:
    """One row of the file and what sending it would do."""

    row: int
    email: str
    full_name: str
    role_text: str
    schools_text: str
    role: str = ""
    schools: list[School] = field(default_factory=list)
    outcome: str = Outcome.INVITE
    problems: list[Problem] = field(default_factory=list)

    @property
    def outcome_label(self) -> str:
        return Outcome.LABELS[self.outcome]

    @property
    def role_label(self) -> str:
        return Role(self.role).label if self.role else self.role_text

    def entry(self) -> dict[str, Any]:
        """What is kept between the preview and sending: the row as typed."""
        return {
            "row": self.row,
            "email": self.email,
            "name": self.full_name,
            "role": self.role_text,
            "schools": self.schools_text,
        }


@dataclass
class BulkPreview:
    file_name: str
    rows: list[BulkRow]

    @property
    def problems(self) -> list[BulkRow]:
        return [r for r in self.rows if r.outcome == Outcome.PROBLEM]

    @property
    def to_send(self) -> list[BulkRow]:
        return [r for r in self.rows if r.outcome in Outcome.SENDS]

    def count(self, outcome: str) -> int:
        return sum(1 for r in self.rows if r.outcome == outcome)

    @property
    def counts(self) -> list[tuple[str, int]]:
        return [(label, self.count(key)) for key, label in Outcome.LABELS.items() if self.count(key)]

    def entries(self) -> list[dict[str, Any]]:
        return [r.entry() for r in self.rows]


class BulkRefused(Exception):
    """Sending found a problem row (the district changed since the preview): nothing was sent."""

    def __init__(self, preview: BulkPreview) -> None:
        super().__init__(f"{len(preview.problems)} rows have a problem; no invitation was sent.")
        self.preview = preview


def bulk_read(*, district: District, upload: Upload) -> BulkPreview:
    """Check and read a staff file, and say what sending each row would do. Writes nothing.

    Raises UploadRefused (size, type, shape, missing columns, too many rows) with a message for the person.
    """
    upload = checked(upload, max_bytes=MAX_BULK_BYTES)
    frame = read_table(upload)
    found: dict[str, str] = {}
    for header in frame.columns:
        if header == ROW:
            continue
        key = header_key(str(header))
        for column, words in COLUMNS.items():
            if key in words and column not in found:
                found[column] = str(header)
    missing = [c for c in REQUIRED_COLUMNS if c not in found]
    if missing:
        raise UploadRefused(
            f"{upload.name} has no {', '.join(missing)} column. The first line must name the columns: "
            "email, name, role and schools (several schools separated by “;”)."
        )
    if len(frame) > MAX_BULK_ROWS:
        raise UploadRefused(
            f"{upload.name} lists {len(frame):,} people; one file invites at most {MAX_BULK_ROWS}. "
            "Split it and upload the parts one after another."
        )
    if len(frame) == 0:
        raise UploadRefused(f"{upload.name} lists nobody under its column names.")
    entries = [
        {
            "row": int(record[ROW]),
            "email": str(record[found["email"]]),
            "name": str(record[found["name"]]),
            "role": str(record[found["role"]]),
            "schools": str(record[found["schools"]]) if "schools" in found else "",
        }
        for record in frame.to_dict("records")
    ]
    return bulk_classify(district=district, entries=entries, file_name=upload.name)


def _role_of(text: str) -> str | None:
    wanted = " ".join(text.split()).casefold()
    for role in Role:
        if wanted in {role.value.casefold(), role.label.casefold(), role.value.replace("_", " ").casefold()}:
            return role.value
    return None


def _school_key(text: str) -> str:
    return " ".join(text.split()).casefold()


def bulk_classify(
    *, district: District, entries: Sequence[dict[str, Any]], file_name: str = ""
) -> BulkPreview:
    """What sending each entry would do, in a fixed number of queries whatever the number of rows."""
    schools = list(School.objects.filter(district=district, active=True))
    by_name = {_school_key(s.name): s for s in schools}
    by_code = {_school_key(s.code): s for s in schools}
    emails = {normalize_email_address(str(e["email"])) for e in entries}
    # Only what this district already knows: its own members and its own open invitations.
    members = set(
        Membership.objects.filter(district=district, user__email__in=emails).values_list(
            "user__email", flat=True
        )
    )
    invited = set(
        Invitation.objects.filter(
            district=district, status__in=Invitation.OPEN_STATUSES, email__in=emails
        ).values_list("email", flat=True)
    )
    seen: dict[str, int] = {}
    rows = []
    for entry in entries:
        row = BulkRow(
            row=int(entry["row"]),
            email=normalize_email_address(str(entry["email"])),
            full_name=" ".join(str(entry["name"]).split()),
            role_text=str(entry["role"]).strip(),
            schools_text=str(entry["schools"]).strip(),
        )
        _check_row(row, by_name=by_name, by_code=by_code, seen=seen)
        if row.problems:
            row.outcome = Outcome.PROBLEM
        elif row.email in members:
            row.outcome = Outcome.MEMBER
        elif row.email in invited:
            row.outcome = Outcome.INVITED
        elif row.role in ROLES_NEEDING_CONFIRMATION:
            row.outcome = Outcome.CONFIRM
        rows.append(row)
    return BulkPreview(file_name=file_name, rows=rows)


def _check_row(
    row: BulkRow, *, by_name: dict[str, School], by_code: dict[str, School], seen: dict[str, int]
) -> None:
    problems = row.problems
    if not row.email:
        problems.append(Problem("email", "", "An email address is needed."))
    else:
        try:
            validate_email(row.email)
        except ValidationError:
            problems.append(Problem("email", row.email, "This is not an email address."))
        else:
            if row.email in seen:
                problems.append(Problem("email", row.email, f"The same address is on row {seen[row.email]}."))
            else:
                seen[row.email] = row.row
    if not row.full_name:
        problems.append(Problem("name", "", "A name is needed: the invitation greets the person by it."))
    elif len(row.full_name) > 150:
        problems.append(Problem("name", row.full_name[:40] + "…", "A name can be at most 150 characters."))
    role = _role_of(row.role_text)
    if role is None or role not in OFFERED_ROLES:
        offered = ", ".join(r.label for r in OFFERED_ROLES)
        problems.append(Problem("role", row.role_text, f"Write one of the roles: {offered}."))
    else:
        row.role = role
    names = [n for n in (part.strip() for part in row.schools_text.split(SCHOOL_SEPARATOR)) if n]
    unknown = []
    for name in names:
        school = by_name.get(_school_key(name)) or by_code.get(_school_key(name))
        if school is None:
            unknown.append(name)
        elif school not in row.schools:
            row.schools.append(school)
    if unknown:
        problems.append(
            Problem(
                "schools",
                "; ".join(unknown),
                "No active school of the district has this name or code; add the school first or correct it.",
            )
        )
    if row.role == Role.SITE_ADMIN and not names:
        problems.append(Problem("schools", "", "A Site Admin needs at least one school."))
    if row.role and row.role != Role.SITE_ADMIN and names:
        problems.append(
            Problem("schools", row.schools_text, "Only Site Admins are tied to schools; leave it empty.")
        )


def people_invite_bulk(
    *, member: Membership, entries: Sequence[dict[str, Any]], request: HttpRequest | None = None
) -> list[Invitation]:
    """Send the invitations of a previewed file, all or nothing.

    Every row is checked again under the district's lock (the district may have changed since the
    preview); a problem row raises BulkRefused and nothing is sent. Rows already a member or
    already invited are left as they are, so sending the same file twice invites nobody twice.
    """
    district = member.district
    with transaction.atomic():
        District.objects.select_for_update().filter(pk=district.pk).first()
        preview = bulk_classify(district=district, entries=entries)
        if preview.problems:
            raise BulkRefused(preview)
        invitations = [
            services.person_invite(
                member=member,
                email=row.email,
                full_name=row.full_name,
                role=row.role,
                schools=row.schools,
            )
            for row in preview.to_send
        ]
        if invitations:
            audit_record(
                action=AuditAction.INVITE_PEOPLE_FROM_FILE,
                actor=member.user,
                district=district,
                request=request,
                detail={
                    "invited": len(invitations),
                    "waiting_for_confirmation": preview.count(Outcome.CONFIRM),
                    "left_as_is": preview.count(Outcome.MEMBER) + preview.count(Outcome.INVITED),
                },
            )
    return invitations


# One person: deactivate, reactivate, change the role ------------------------------------------


class PersonChangeRefused(Exception):
    """This change is not the coordinator's to make; the message says why and who can."""


def _locked(member: Membership, person: Membership) -> Membership:
    if person.district_id != member.district_id:
        raise ValueError("The person belongs to another district.")
    locked = Membership.objects.select_for_update().select_related("user", "district").get(pk=person.pk)
    if locked.user_id == member.user_id:
        raise PersonChangeRefused(
            "You cannot change your own role or deactivate yourself; ask another coordinator."
        )
    if locked.role == Role.LEADER:
        # Leaders confirm the coordinators' roles: a coordinator does not remove or demote them.
        raise PersonChangeRefused(
            "An Executive Leader's role is changed by the district's executive leaders."
        )
    return locked


def membership_deactivate(
    *, member: Membership, person: Membership, request: HttpRequest | None = None
) -> Membership:
    """Take a person's role in the district away; their work stays. Repeating it changes nothing."""
    with transaction.atomic():
        locked = _locked(member, person)
        locked, changed = model_update(locked, {"active": False}, fields=("active",))
        if changed:
            audit_record(
                action=AuditAction.DEACTIVATE_PERSON,
                actor=member.user,
                district=locked.district,
                target=locked,
                request=request,
                detail={"role": locked.role},
            )
    return locked


def membership_reactivate(
    *, member: Membership, person: Membership, request: HttpRequest | None = None
) -> Membership | Invitation:
    """Give a deactivated person their role back. A District Coordinator's return waits for a
    leader's confirmation and the person's acceptance, as a new invitation would."""
    with transaction.atomic():
        locked = _locked(member, person)
        if locked.active:
            return locked
        if locked.role in ROLES_NEEDING_CONFIRMATION:
            return _offer_role(member=member, person=locked, role=locked.role, schools=(), request=request)
        model_update(locked, {"active": True}, fields=("active",))
        audit_record(
            action=AuditAction.REACTIVATE_PERSON,
            actor=member.user,
            district=locked.district,
            target=locked,
            request=request,
            detail={"role": locked.role},
        )
    return locked


def membership_role_change(
    *,
    member: Membership,
    person: Membership,
    role: str,
    schools: Iterable[School] = (),
    request: HttpRequest | None = None,
) -> Membership | Invitation:
    """Change a person's role. To District Coordinator or Executive Leader it becomes an invitation
    waiting for a leader's confirmation and the person's acceptance (returned); else it applies now."""
    if role not in OFFERED_ROLES:
        raise PersonChangeRefused("Choose one of the roles offered.")
    chosen = (
        sorted({s.pk: s for s in schools}.values(), key=lambda s: s.pk) if role == Role.SITE_ADMIN else []
    )
    if role == Role.SITE_ADMIN and not chosen:
        raise PersonChangeRefused("Choose at least one school for a Site Admin.")
    with transaction.atomic():
        locked = _locked(member, person)
        if any(s.district_id != locked.district_id or not s.active for s in chosen):
            raise PersonChangeRefused("Choose among the district's active schools.")
        if not locked.active:
            raise PersonChangeRefused("Reactivate the person first.")
        if role in ROLES_NEEDING_CONFIRMATION:
            if role == locked.role:
                return locked
            return _offer_role(member=member, person=locked, role=role, schools=(), request=request)
        current = sorted(locked.schools.all(), key=lambda s: s.pk)
        if role == locked.role and current == chosen:
            return locked
        previous = locked.role
        model_update(locked, {"role": role}, fields=("role",))
        locked.schools.set(chosen)
        audit_record(
            action=AuditAction.CHANGE_ROLE,
            actor=member.user,
            district=locked.district,
            target=locked,
            request=request,
            detail={"from": previous, "to": role, "schools": [s.pk for s in chosen]},
        )
    return locked


def _offer_role(
    *,
    member: Membership,
    person: Membership,
    role: str,
    schools: Iterable[School],
    request: HttpRequest | None,
) -> Invitation:
    """The role as an invitation to the person, waiting for an executive leader's confirmation.

    Made the way services.person_invite makes one, with the same notices; the one difference is that
    the person already belongs to the district, which person_invite refuses.
    """
    user = person.user
    existing = Invitation.objects.filter(
        district_id=person.district_id, person=user, status__in=Invitation.OPEN_STATUSES
    ).first()
    if existing is not None:
        if existing.role == role:
            return existing
        raise PersonChangeRefused(
            f"A change to {existing.get_role_display()} is already waiting; it must be answered first."
        )
    invitation = Invitation.objects.create(
        district=person.district,
        email=user.email,
        full_name=user.full_name,
        title=user.title,
        role=role,
        person=user,
        invited_by=member.user,
        status=Invitation.Status.AWAITING_CONFIRMATION,
    )
    invitation.schools.set(schools)
    audit_record(
        action=AuditAction.OFFER_ROLE_CHANGE,
        actor=member.user,
        district=person.district,
        target=invitation,
        request=request,
        detail={"from": person.role, "to": role, "returning": not person.active},
    )
    services._ask_leaders_to_confirm(invitation)
    return invitation
