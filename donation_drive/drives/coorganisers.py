"""Co-organisers: the owner invites by email; the invitee accepts while logged in."""

from datetime import UTC, datetime, timedelta

from flask_babel import gettext as _
from sqlalchemy.orm import joinedload

from ..accounts.models import User
from ..core.extensions import db
from ..core.i18n import lazy_gettext as _l, ngettext
from ..core.rules import RuleBroken
from ..core.tokens import new_private_link_token, token_hash
from ..outreach.models import OutboxMessage
from . import activity
from .models import CoOrganiserInvitation, Drive, DriveOrganiser, OrganiserRole

#: Co-organiser invitation emails one drive may send, like invitations to friends: enough for
#: a family's helpers, too few for the app to be worth using to send mail to strangers.
INVITES_PER_HOUR = 5
INVITES_PER_DAY = 20
#: The kind under which each invitation email is queued in the outbox and counted.
MAIL_KIND = "co-organiser invitation"


def role_of(drive: Drive, user: User) -> OrganiserRole | None:
    return db.session.scalar(
        db.select(DriveOrganiser.role).where(
            DriveOrganiser.drive_id == drive.id, DriveOrganiser.user_id == user.id
        )
    )


def is_owner(drive: Drive, user: User) -> bool:
    return role_of(drive, user) is OrganiserRole.OWNER


def organisers_of(drive: Drive) -> list[DriveOrganiser]:
    """The owner first, then co-organisers in the order they joined."""
    rows = db.session.scalars(
        db.select(DriveOrganiser).where(DriveOrganiser.drive_id == drive.id).order_by(DriveOrganiser.id)
        .options(joinedload(DriveOrganiser.user))
    )
    return sorted(rows, key=lambda row: row.role is not OrganiserRole.OWNER)


def pending_invitations(drive: Drive) -> list[CoOrganiserInvitation]:
    return list(
        db.session.scalars(
            db.select(CoOrganiserInvitation)
            .where(CoOrganiserInvitation.drive_id == drive.id)
            .order_by(CoOrganiserInvitation.id)
        )
    )


def invite(drive: Drive, owner: User, email: str) -> tuple[CoOrganiserInvitation, str]:
    """Invite `email`; return the invitation and the secret for its acceptance link.

    Inviting the same address again replaces the earlier link, so a lost email is easy to resend.
    """
    already = db.session.scalar(
        db.select(User.id)
        .join(DriveOrganiser)
        .where(DriveOrganiser.drive_id == drive.id, User.email == email)
    )
    if already is not None:
        raise RuleBroken(_("That person already organises this drive."), "email")
    _check_sending_limits(drive)
    token = new_private_link_token()
    invitation = db.session.scalar(
        db.select(CoOrganiserInvitation).where(
            CoOrganiserInvitation.drive_id == drive.id, CoOrganiserInvitation.email == email
        )
    )
    if invitation is None:
        invitation = CoOrganiserInvitation(drive_id=drive.id, email=email)
        db.session.add(invitation)
    invitation.token_hash = token_hash(token)
    invitation.invited_by_id = owner.id
    db.session.flush()
    activity.record(drive, _l("invited %(email)s to co-organise", email=email), owner)
    return invitation, token


def _mails_sent_since(drive: Drive, moment: datetime) -> int:
    return db.session.scalar(
        db.select(db.func.count(OutboxMessage.id)).where(
            OutboxMessage.drive_id == drive.id, OutboxMessage.kind == MAIL_KIND, OutboxMessage.created_at >= moment
        )
    ) or 0


def _check_sending_limits(drive: Drive) -> None:
    now = datetime.now(UTC)
    if _mails_sent_since(drive, now - timedelta(hours=1)) >= INVITES_PER_HOUR:
        raise RuleBroken(ngettext("This drive has sent its %(num)s co-organiser invitation for this hour. "
                                  "Please try again later.",
                                  "This drive has sent its %(num)s co-organiser invitations for this hour. "
                                  "Please try again later.", INVITES_PER_HOUR), "email")
    if _mails_sent_since(drive, now - timedelta(days=1)) >= INVITES_PER_DAY:
        raise RuleBroken(ngettext("This drive has sent its %(num)s co-organiser invitation for today. "
                                  "Please try again tomorrow.",
                                  "This drive has sent its %(num)s co-organiser invitations for today. "
                                  "Please try again tomorrow.", INVITES_PER_DAY), "email")


def invitation_by_token(token: str) -> CoOrganiserInvitation | None:
    return db.session.scalar(
        db.select(CoOrganiserInvitation).where(CoOrganiserInvitation.token_hash == token_hash(token))
    )


def accept(invitation: CoOrganiserInvitation, user: User) -> Drive:
    """Make `user` a co-organiser; the invitation is used up."""
    if user.email != invitation.email:
        raise RuleBroken(
            _("This invitation was sent to %(email)s. Log in with that address (or register it) to accept.",
              email=invitation.email)
        )
    drive = invitation.drive
    if role_of(drive, user) is None:
        db.session.add(
            DriveOrganiser(drive_id=drive.id, user_id=user.id, role=OrganiserRole.CO_ORGANISER)
        )
    db.session.delete(invitation)
    db.session.flush()
    activity.record(drive, _l("accepted the invitation and now co-organises"), user)
    return drive


def cancel_invitation(drive: Drive, actor: User, invitation_id: int) -> None:
    invitation = db.session.scalar(
        db.select(CoOrganiserInvitation).where(
            CoOrganiserInvitation.id == invitation_id, CoOrganiserInvitation.drive_id == drive.id
        )
    )
    if invitation is None:
        raise RuleBroken(_("That invitation was already used or cancelled."))
    db.session.delete(invitation)
    db.session.flush()
    activity.record(drive, _l("cancelled the invitation to %(email)s", email=invitation.email), actor)


def remove_co_organiser(drive: Drive, actor: User, organiser_id: int) -> None:
    """Only co-organisers can be removed: a drive always keeps its owner."""
    row = db.session.scalar(
        db.select(DriveOrganiser).where(
            DriveOrganiser.id == organiser_id, DriveOrganiser.drive_id == drive.id
        )
    )
    if row is None:
        raise RuleBroken(_("That person no longer organises this drive."))
    if row.role is OrganiserRole.OWNER:
        raise RuleBroken(_("The owner can't be removed from their drive."))
    name = row.user.name
    db.session.delete(row)
    db.session.flush()
    activity.record(drive, _l("removed %(name)s as co-organiser", name=name), actor)
