"""Inviting friends by email: one tracked invitation per address, with its own link.

A personal link only prefills the sign-up form; whoever opens it still types who they are,
so a forwarded invitation never signs the second person up as the first.
"""

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime, time

from email_validator import EmailNotValidError, validate_email
from flask_babel import format_decimal, gettext as _

from ..accounts.models import User
from ..core import limits
from ..core.extensions import db
from ..core.i18n import lazy_gettext as _l, ngettext
from ..core.rules import RuleBroken, today
from ..core.templating import absolute_url
from ..core.tokens import new_private_link_token as new_invitation_token, token_hash
from ..drives.models import Drive
from ..participation.models import Participant
from . import mailings
from .models import Invitation, InvitationStatus, OutboxMessage

#: Invitation emails one drive may send per day (UTC), resends included: enough for a circle
#: of friends, too few for the app to be worth using for spam.
INVITATIONS_PER_DAY = 50
#: The pasted list: at most this many characters and addresses.
ADDRESS_LIST_MAX_CHARS = 20_000
ADDRESS_LIST_MAX_ENTRIES = 200
MESSAGE_MAX = 1_000

_NAME_AND_ADDRESS = re.compile(r"^(?P<name>[^<>]*)<(?P<address>[^<>]*)>$")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


@dataclass(frozen=True)
class Invitee:
    email: str
    name: str = ""


@dataclass
class AddressList:
    """A pasted list, read: who can be invited and what could not be read as an address."""

    invitees: list[Invitee] = field(default_factory=list)
    invalid: list[str] = field(default_factory=list)


@dataclass
class InvitingOutcome:
    """What happened to each address of one "send invitations"."""

    sent: list[str] = field(default_factory=list)
    invalid: list[str] = field(default_factory=list)
    already_invited: list[str] = field(default_factory=list)
    unsubscribed: list[str] = field(default_factory=list)
    over_daily_cap: list[str] = field(default_factory=list)


def _entries(text: str) -> list[str]:
    """Split on new lines and on commas outside quotes, so `"Smith, Ana" <a@b>` stays whole."""
    entries: list[str] = []
    current: list[str] = []
    quoted = False
    for char in text:
        if char == '"':
            quoted = not quoted
        if char in "\r\n" or (char == "," and not quoted):
            entries.append("".join(current))
            current, quoted = [], False
            continue
        current.append(char)
    entries.append("".join(current))
    return [entry.strip() for entry in entries if entry.strip()]


def _invitee(entry: str) -> Invitee | None:
    match = _NAME_AND_ADDRESS.match(entry)
    name, address = (match["name"], match["address"]) if match else ("", entry)
    name = " ".join(name.strip().strip('"').split())
    # A name holding "@" is most likely two entries run together: ask rather than guess.
    if len(name) > limits.NAME_MAX or "@" in name or _CONTROL.search(name + address):
        return None
    try:
        checked = validate_email(address.strip(), check_deliverability=False)
    except EmailNotValidError:
        return None
    if len(checked.normalized) > limits.EMAIL_MAX:
        return None
    return Invitee(email=checked.normalized.lower(), name=name)


def read_address_list(text: str) -> AddressList:
    """Addresses one per line or comma-separated, optionally `Name <email>`, de-duplicated."""
    if len(text) > ADDRESS_LIST_MAX_CHARS:
        raise RuleBroken(
            _("That list is too long. Please paste at most %(most)s addresses at a time.",
              most=ADDRESS_LIST_MAX_ENTRIES),
            "addresses",
        )
    entries = _entries(text)
    if not entries:
        raise RuleBroken(_("Please paste at least one email address."), "addresses")
    if len(entries) > ADDRESS_LIST_MAX_ENTRIES:
        raise RuleBroken(
            ngettext("That's %(num)s address. Please paste at most %(most)s at a time.",
                     "That's %(num)s addresses. Please paste at most %(most)s at a time.",
                     len(entries), most=ADDRESS_LIST_MAX_ENTRIES),
            "addresses",
        )
    result, seen = AddressList(), set()
    for entry in entries:
        invitee = _invitee(entry)
        if invitee is None:
            result.invalid.append(entry)
        elif invitee.email not in seen:
            seen.add(invitee.email)
            result.invitees.append(invitee)
    return result


def sent_today(drive: Drive) -> int:
    """Invitation emails this drive sent since midnight UTC."""
    midnight = datetime.combine(today(), time(0), tzinfo=UTC)
    return db.session.scalar(
        db.select(db.func.count(OutboxMessage.id)).where(
            OutboxMessage.drive_id == drive.id,
            OutboxMessage.kind == "invitation",
            OutboxMessage.created_at >= midnight,
        )
    ) or 0


def left_today(drive: Drive) -> int:
    return max(INVITATIONS_PER_DAY - sent_today(drive), 0)


def invitations_of(drive: Drive) -> list[Invitation]:
    return list(db.session.scalars(
        db.select(Invitation).where(Invitation.drive_id == drive.id).order_by(Invitation.id.desc())
    ))


def invite(drive: Drive, organiser: User, text: str, message: str) -> InvitingOutcome:
    """Invite every new, valid address in `text`; the rest are reported back, not dropped."""
    if not drive.is_open:
        raise RuleBroken(_("This drive is closed, so it can't take new sign-ups."))
    if len(message) > MESSAGE_MAX:
        raise RuleBroken(_("Please keep the message under %(most)s characters.", most=format_decimal(MESSAGE_MAX)),
                         "message")
    addresses = read_address_list(text)
    if not addresses.invitees:
        raise RuleBroken(_("None of these could be read as an email address: %(addresses)s",
                           addresses=", ".join(addresses.invalid)), "addresses")
    outcome = InvitingOutcome(invalid=addresses.invalid)
    known = {i.email for i in invitations_of(drive)}
    allowance = left_today(drive)
    for invitee in addresses.invitees:
        if invitee.email in known:
            outcome.already_invited.append(invitee.email)
        elif mailings.is_unsubscribed(drive, invitee.email):
            outcome.unsubscribed.append(invitee.email)
        elif allowance <= 0:
            outcome.over_daily_cap.append(invitee.email)
        else:
            allowance -= 1
            invitation = Invitation(drive_id=drive.id, email=invitee.email, name=invitee.name,
                                    message=message, token_hash="", times_sent=0)
            db.session.add(invitation)
            _send(invitation, organiser)
            outcome.sent.append(invitee.email)
    return outcome


def _send(invitation: Invitation, organiser: User) -> None:
    """(Re)send with a fresh personal link: into the outbox, which marks the invitation "failed"
    if the message cannot be delivered in the end (outreach/outbox.py)."""
    token = new_invitation_token()
    invitation.token_hash = token_hash(token)
    invitation.times_sent += 1
    db.session.flush()
    mailings.queue_about_drive(
        mailings.AboutDrive(
            invitation.drive, invitation.email, _l("%(name)s invites you to give blood", name=organiser.name),
            "invitation",
            key=f"invitation:{invitation.id}:{invitation.times_sent}", kind="invitation",
            to_name=invitation.name, invitation=invitation,
        ),
        invitation=invitation, organiser=organiser,
        personal_link=absolute_url("outreach.personal_invitation", token=token),
    )
    invitation.status = InvitationStatus.SENT
    invitation.failure = ""
    invitation.sent_at = datetime.now(UTC)
    db.session.flush()


def invitation_of_drive(drive: Drive, invitation_id: int) -> Invitation | None:
    return db.session.scalar(
        db.select(Invitation).where(Invitation.id == invitation_id, Invitation.drive_id == drive.id)
    )


def resend(invitation: Invitation, organiser: User) -> None:
    """Send again with a new link (the old one stops working); also retries a failed send."""
    if invitation.status is InvitationStatus.JOINED:
        raise RuleBroken(_("%(email)s has already joined.", email=invitation.email))
    if not invitation.drive.is_open:
        raise RuleBroken(_("This drive is closed, so it can't take new sign-ups."))
    if mailings.is_unsubscribed(invitation.drive, invitation.email):
        raise RuleBroken(_("%(email)s asked not to get email about this drive.", email=invitation.email))
    if left_today(invitation.drive) <= 0:
        raise RuleBroken(_("This drive has sent its %(per_day)s invitations for today. Please try again tomorrow.",
                           per_day=INVITATIONS_PER_DAY))
    _send(invitation, organiser)


def revoke(invitation: Invitation) -> None:
    """The personal link stops working; people already signed up stay signed up."""
    if invitation.status is InvitationStatus.JOINED:
        raise RuleBroken(_("%(email)s has already joined; their pledge stays.", email=invitation.email))
    invitation.status = InvitationStatus.REVOKED
    db.session.flush()


def invitation_by_token(token: str) -> Invitation | None:
    return db.session.scalar(db.select(Invitation).where(Invitation.token_hash == token_hash(token)))


def mark_opened(invitation: Invitation) -> None:
    if invitation.status is InvitationStatus.SENT:
        invitation.status = InvitationStatus.OPENED
        invitation.opened_at = datetime.now(UTC)
        db.session.flush()


def mark_joined(invitation: Invitation, participant: Participant) -> None:
    """Whoever signed up through the link; the organiser sees their name, not an assumption."""
    if invitation.status in (InvitationStatus.SENT, InvitationStatus.OPENED):
        invitation.status = InvitationStatus.JOINED
        invitation.joined_at = datetime.now(UTC)
        invitation.opened_at = invitation.opened_at or invitation.joined_at
        invitation.participant_id = participant.id
        db.session.flush()
