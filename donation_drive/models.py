"""Every model of every feature, in one import: what Alembic compares the migrations with, and
what scripts and tests may import (`from donation_drive.models import Drive`).

Each model lives with its feature (drives/models.py, participation/models.py…); the app's own
code imports it from there.
"""

from .accounts.models import ApiToken, PasswordReset, User
from .core.models import FormSubmission, Moment, utcnow
from .donations.models import Donation, DonationStatus, DonationType, LoggedBy
from .drives.models import (
    ActivityEntry,
    CoOrganiserInvitation,
    DailyCount,
    Dedication,
    Drive,
    DriveOrganiser,
    DriveSettings,
    DriveStatus,
    Memorial,
    MemorialRound,
    Milestone,
    OrganiserRole,
    RetiredInviteCode,
    UnitNoun,
    Update,
    Visibility,
)
from .outreach.models import Invitation, InvitationStatus, OutboxMessage, OutboxStatus, Unsubscribe
from .participation.models import GroupVisit, NameShownAs, Participant, ParticipantStage, PrivateLink, VisitPlace
from .words.models import SupportMessage, SupportStatus

__all__ = [
    "ActivityEntry", "ApiToken", "CoOrganiserInvitation", "DailyCount", "Dedication", "Donation", "DonationStatus",
    "DonationType", "Drive", "DriveOrganiser", "DriveSettings", "DriveStatus", "FormSubmission", "GroupVisit",
    "Invitation", "InvitationStatus", "LoggedBy", "Memorial", "MemorialRound", "Milestone", "Moment", "NameShownAs",
    "OrganiserRole", "Participant", "ParticipantStage", "PasswordReset", "PrivateLink", "RetiredInviteCode",
    "SupportMessage", "SupportStatus", "UnitNoun",
    "OutboxMessage", "OutboxStatus", "Unsubscribe", "Update", "User", "VisitPlace", "Visibility", "utcnow",
]
