"""A friend's side of a drive: signing up by invite link, changing or withdrawing a pledge."""

import base64
import hashlib
import hmac
from dataclasses import dataclass
from datetime import UTC, date, datetime

from flask_babel import format_date, gettext as _

from ..core.database import add_unique
from ..core.extensions import db
from ..core.rules import RuleBroken, drive_today
from ..core.secret_key import current_secret_key
from ..core.submissions import SentBefore, SentForm, create_once
from ..core.tokens import new_private_link_token, token_hash
from ..donations.models import DonationType
from ..drives.models import Drive, RetiredInviteCode
from ..privacy.names import shown_name
from .models import NameShownAs, Participant, PrivateLink

#: Names listed on a progress page and in its JSON; beyond this the page counts the rest.
SHOWN_NAMES_MAX = 100


@dataclass(frozen=True)
class Pledge:
    """What a participant says they will do."""

    units: int
    donation_type: DonationType
    planned_on: date | None
    show_name: bool
    #: How much of the name is shown when show_name is on.
    name_shown_as: NameShownAs = NameShownAs.FIRST_NAME


@dataclass(frozen=True)
class Submission:
    """A sign-up form's one-time key, with a secret of the browser session that was shown it."""

    key: str
    browser_secret: str

    def sent_to(self, drive: Drive) -> SentForm:
        """The form as create_once knows it; which browser sent it is checked by its private link."""
        return SentForm("sign up", self.key, f"drive:{drive.id}")

    def private_link_token(self) -> str:
        """The private link this form gives: the same each time this browser sends it.

        Derived with the app's secret key, so neither the form's key nor the database alone
        leads to it, and sending the key from another browser gives another token.
        """
        message = f"sign-up:{self.key}:{self.browser_secret}".encode()
        digest = hmac.new(current_secret_key().encode(), message, hashlib.sha256).digest()
        return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


class AlreadySignedUp(Exception):
    """This very form was sent before (a double click): who it signed up, and their private link."""

    def __init__(self, participant: Participant, token: str) -> None:
        super().__init__("this sign-up form was already sent")
        self.participant = participant
        self.token = token


def accepting_sign_ups(drive: Drive) -> bool:
    """Open, and its end date not yet over where the drive is."""
    return drive.is_open and drive_today(drive) <= drive.ends_on


def check_pledge(drive: Drive, pledge: Pledge) -> None:
    if pledge.planned_on is not None and pledge.planned_on < drive_today(drive):
        raise RuleBroken(_("The planned date can't be in the past."), "planned_on")
    if pledge.planned_on is not None and pledge.planned_on > drive.ends_on:
        raise RuleBroken(
            _("This drive ends on %(date)s; pick a date before then or leave it empty.",
              date=format_date(drive.ends_on, "long")),
            "planned_on",
        )


def drive_by_invite_code(code: str) -> Drive | None:
    return db.session.scalar(db.select(Drive).where(Drive.invite_code == code))


def drive_of_retired_code(code: str) -> Drive | None:
    retired = db.session.get(RetiredInviteCode, code)
    return retired.drive if retired else None


def sign_up(
    drive: Drive, name: str, email: str | None, pledge: Pledge, submission: Submission | None = None,
    language: str | None = None,
) -> tuple[Participant, str]:
    """Add a participant; return them with their private-link secret, shown once.

    `language` is the offered language they signed up in (their mail is written in it); None for
    someone added otherwise, whose mail takes the drive's language.
    Raises AlreadySignedUp when `submission` was sent before, so a form sent twice adds one participant.
    """
    if submission is None:
        token = new_private_link_token()
        return _add_participant(drive, name, email, pledge, token, language), token
    token = submission.private_link_token()
    try:
        participant = create_once(submission.sent_to(drive), Participant,
                                  lambda: _add_participant(drive, name, email, pledge, token, language))
    except SentBefore as earlier:
        if earlier.created.private_link_hash == token_hash(token):
            raise AlreadySignedUp(earlier.created, token) from None
        raise RuleBroken(_(
            "This form was already sent. Use the private link you were given when you signed up, "
            "or reload the page to sign up someone else."
        )) from None
    return participant, token


def _add_participant(
    drive: Drive, name: str, email: str | None, pledge: Pledge, token: str, language: str | None = None
) -> Participant:
    if not accepting_sign_ups(drive):
        raise RuleBroken(_("This drive is no longer taking sign-ups."))
    check_pledge(drive, pledge)
    if email and _already_signed_up(drive, email):
        raise _duplicate_email()
    participant = Participant(
        drive_id=drive.id,
        name=name,
        email=email,
        private_link_hash=token_hash(token),
        units_pledged=pledge.units,
        donation_type=pledge.donation_type,
        planned_on=pledge.planned_on,
        show_name=pledge.show_name,
        name_shown_as=pledge.name_shown_as,
        language=language,
    )
    add_unique(participant, _duplicate_email)
    return participant


def signed_up_with(drive: Drive, email: str | None) -> Participant | None:
    """Who already signed up to `drive` with `email`, if anyone."""
    if not email:
        return None
    return db.session.scalar(
        db.select(Participant).where(Participant.drive_id == drive.id, Participant.email == email)
    )


def _already_signed_up(drive: Drive, email: str) -> bool:
    return db.session.scalar(
        db.select(Participant.id).where(Participant.drive_id == drive.id, Participant.email == email)
    ) is not None


def _duplicate_email() -> RuleBroken:
    return RuleBroken(
        _("This email is already signed up to this drive. "
          "Use your private link to change your pledge."),
        "email",
    )


def participant_by_private_link(token: str) -> Participant | None:
    """The participant whose first private link, or a further one (see PrivateLink), this is."""
    hashed = token_hash(token)
    further = db.select(PrivateLink.participant_id).where(PrivateLink.token_hash == hashed)
    return db.session.scalar(
        db.select(Participant).where(
            db.or_(Participant.private_link_hash == hashed, Participant.id.in_(further))
        )
    )


def change_pledge(participant: Participant, pledge: Pledge) -> None:
    check_pledge(participant.drive, pledge)
    participant.units_pledged = pledge.units
    participant.donation_type = pledge.donation_type
    participant.planned_on = pledge.planned_on
    participant.show_name = pledge.show_name
    participant.name_shown_as = pledge.name_shown_as
    participant.withdrawn_at = None
    db.session.flush()


def withdraw_pledge(participant: Participant) -> None:
    """Stop counting the pledge; units already donated still count."""
    participant.withdrawn_at = datetime.now(UTC)
    db.session.flush()


def shown_names(drive: Drive, limit: int = SHOWN_NAMES_MAX) -> list[str]:
    """Names of the participants who agreed to be shown, as each chose, earliest first, at most `limit`.

    The progress page (and its live parts) and the JSON both list these, so they agree.
    """
    rows = db.session.execute(
        db.select(Participant.name, Participant.name_shown_as)
        .where(Participant.drive_id == drive.id, Participant.show_name.is_(True))
        .order_by(Participant.id)
        .limit(limit)
    )
    return [shown_name(name, shown_as) for name, shown_as in rows]
