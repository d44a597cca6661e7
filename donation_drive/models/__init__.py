"""The words of PRODUCT.md as typed models, one module per part of the product.

Import models from here (`from donation_drive.models import Drive`); each module
registers its tables on the shared metadata when imported below.
"""

from .api import ApiToken
from .core import (
    Dedication,
    Donation,
    DonationStatus,
    DonationType,
    Drive,
    DriveOrganiser,
    DriveStatus,
    LoggedBy,
    Moment,
    NameShownAs,
    OrganiserRole,
    Participant,
    RetiredInviteCode,
    User,
    Visibility,
    utcnow,
)
from .organising import (
    ActivityEntry,
    CoOrganiserInvitation,
    DailyCount,
    DriveSettings,
    GroupVisit,
    Memorial,
    MemorialRound,
    Milestone,
    ParticipantStage,
    Update,
    VisitPlace,
)
from .outreach import Invitation, InvitationStatus, SentMessage, Unsubscribe
from .security import PasswordReset, PrivateLink
from .submissions import FormSubmission

__all__ = [
    "PasswordReset",
    "PrivateLink",
    "ApiToken",
    "Invitation",
    "InvitationStatus",
    "SentMessage",
    "Unsubscribe",
    "ActivityEntry",
    "CoOrganiserInvitation",
    "DailyCount",
    "DriveSettings",
    "GroupVisit",
    "Memorial",
    "MemorialRound",
    "Milestone",
    "ParticipantStage",
    "Update",
    "VisitPlace",
    "Dedication",
    "Donation",
    "DonationStatus",
    "DonationType",
    "Drive",
    "DriveOrganiser",
    "DriveStatus",
    "LoggedBy",
    "Moment",
    "NameShownAs",
    "OrganiserRole",
    "Participant",
    "RetiredInviteCode",
    "FormSubmission",
    "User",
    "Visibility",
    "utcnow",
]
