"""A friend's side of a drive: signing up by invite link, changing or withdrawing a pledge."""

from dataclasses import dataclass
from datetime import date, datetime, timezone

from .database import add_unique
from .extensions import db
from .models import DonationType, Drive, Participant, RetiredInviteCode
from .rules import RuleBroken, today
from .tokens import new_private_link_token, token_hash


@dataclass(frozen=True)
class Pledge:
    """What a participant says they will do."""

    units: int
    donation_type: DonationType
    planned_on: date | None
    show_name: bool


def accepting_sign_ups(drive: Drive) -> bool:
    return drive.is_open and today() <= drive.ends_on


def check_pledge(drive: Drive, pledge: Pledge) -> None:
    if pledge.planned_on is not None and pledge.planned_on < today():
        raise RuleBroken("The planned date can't be in the past.", "planned_on")
    if pledge.planned_on is not None and pledge.planned_on > drive.ends_on:
        raise RuleBroken(
            f"This drive ends on {drive.ends_on:%d %B %Y}; pick a date before then "
            "or leave it empty.",
            "planned_on",
        )


def drive_by_invite_code(code: str) -> Drive | None:
    return db.session.scalar(db.select(Drive).where(Drive.invite_code == code))


def drive_of_retired_code(code: str) -> Drive | None:
    retired = db.session.get(RetiredInviteCode, code)
    return retired.drive if retired else None


def sign_up(drive: Drive, name: str, email: str | None, pledge: Pledge) -> tuple[Participant, str]:
    """Add a participant; return them with their private-link secret, shown once."""
    if not accepting_sign_ups(drive):
        raise RuleBroken("This drive is no longer taking sign-ups.")
    check_pledge(drive, pledge)
    if email and _already_signed_up(drive, email):
        raise _duplicate_email()
    token = new_private_link_token()
    participant = Participant(
        drive_id=drive.id,
        name=name,
        email=email,
        private_link_hash=token_hash(token),
        units_pledged=pledge.units,
        donation_type=pledge.donation_type,
        planned_on=pledge.planned_on,
        show_name=pledge.show_name,
    )
    add_unique(participant, _duplicate_email)
    return participant, token


def _already_signed_up(drive: Drive, email: str) -> bool:
    return db.session.scalar(
        db.select(Participant.id).where(Participant.drive_id == drive.id, Participant.email == email)
    ) is not None


def _duplicate_email() -> RuleBroken:
    return RuleBroken(
        "This email is already signed up to this drive. "
        "Use your private link to change your pledge.",
        "email",
    )


def participant_by_private_link(token: str) -> Participant | None:
    return db.session.scalar(
        db.select(Participant).where(Participant.private_link_hash == token_hash(token))
    )


def change_pledge(participant: Participant, pledge: Pledge) -> None:
    check_pledge(participant.drive, pledge)
    participant.units_pledged = pledge.units
    participant.donation_type = pledge.donation_type
    participant.planned_on = pledge.planned_on
    participant.show_name = pledge.show_name
    participant.withdrawn_at = None
    db.session.flush()


def withdraw_pledge(participant: Participant) -> None:
    """Stop counting the pledge; units already donated still count."""
    participant.withdrawn_at = datetime.now(timezone.utc)
    db.session.flush()


def shown_names(drive: Drive, limit: int) -> list[str]:
    """First names of the participants who agreed to be shown, earliest first, at most `limit`."""
    names = db.session.scalars(
        db.select(Participant.name)
        .where(Participant.drive_id == drive.id, Participant.show_name.is_(True))
        .order_by(Participant.id)
        .limit(limit)
    )
    return [first_name(name) for name in names]


def first_name(name: str) -> str:
    words = name.split()
    return words[0] if words else name
