"""The kinds of notification. Each person chooses per kind how they hear about it."""

from django.db import models


class Kind(models.TextChoices):
    APPROVAL_REQUEST = "approval_request", "A draft is waiting for my approval"
    APPROVAL_REMINDER = "approval_reminder", "A draft is still waiting for approval"
    APPROVAL_DECISION = "approval_decision", "My draft was approved or returned"
    DUE_SOON = "due_soon", "Something I own is due soon"
    OVERDUE = "overdue", "Something is overdue"
    MEETING = "meeting", "A meeting is coming up"
    BARRIER = "barrier", "A barrier was escalated or decided"
    ASSIGNED = "assigned", "Something was assigned to me"
    INVITATION = "invitation", "I was invited to a district"
    ROLE_CONFIRMATION = "role_confirmation", "A new coordinator or leader waits for my confirmation"
    IMPORT = "import", "A data import finished"
    UPDATE = "update", "The district's monthly MTSS update"
    DIGEST = "digest", "Digest email"


# Kinds an executive leader always hears about by email: a draft must not wait unseen for approval.
LEADER_LOCKED_KINDS = (Kind.APPROVAL_REQUEST,)
