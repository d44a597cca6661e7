"""Operations an organiser performs on a drive. They flush; the request commits."""

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, timedelta

from flask_babel import gettext as _

from ..accounts.models import User
from ..core.database import add_unique
from ..core.extensions import db
from ..core.i18n import lazy_gettext as _l
from ..core.languages import DEFAULT_LANGUAGE, offered
from ..core.limits import DRIVE_DAYS_MAX
from ..core.rules import RuleBroken, is_time_zone, today_in
from ..core.tokens import new_invite_code
from ..counting import milestones
from ..outreach.eligibility import DEFAULT_REGION, region_of
from . import activity
from .models import (
    Dedication,
    Drive,
    DriveOrganiser,
    MemorialRound,
    OrganiserRole,
    RetiredInviteCode,
    UnitNoun,
    Visibility,
)
from .slugs import ADDRESS_MAX, NUMBER_ROOM, RESERVED_SLUGS, address_problem, numbered, slugify

#: How many slugs a new drive tries before giving up: one more each time a drive with the
#: same title was created at the same moment.
SLUG_TRIES = 20

#: A new drive's form suggests it runs this long; its organiser may change it.
SUGGESTED_LENGTH = timedelta(weeks=4)


#: A new drive's time zone until its organiser chooses: that of the region every drive starts in.
DEFAULT_TIME_ZONE = region_of(DEFAULT_REGION).timezone


def suggested_end(starts_on: date) -> date:
    return starts_on + SUGGESTED_LENGTH


@dataclass(frozen=True)
class DriveDetails:
    """What an organiser writes about a drive, on creation and on every edit."""

    title: str
    dedication: Dedication
    honoree: str
    story: str
    target_units: int
    starts_on: date
    ends_on: date
    place: str
    visibility: Visibility
    #: What the drive counts in, in its own words ("bags"); "units" unless the organiser chooses.
    unit_noun: UnitNoun = UnitNoun.UNITS
    #: The IANA time zone its dates are days in (Drive.timezone).
    timezone: str = DEFAULT_TIME_ZONE
    #: The language of its mail to friends whose own is unknown (Drive.language): an offered code.
    language: str = DEFAULT_LANGUAGE


def check_time_zone(name: str) -> None:
    if not is_time_zone(name):
        raise RuleBroken(_("We don't know the time zone “%(name)s”. Please choose one from the list.", name=name),
                         "timezone")


def checked_language(details: DriveDetails) -> DriveDetails:
    """`details` with its language as offered ("pt-br" is "pt_BR"); RuleBroken for one not offered."""
    code = offered(details.language)
    if code is None:
        raise RuleBroken(_("We don't offer that language. Please choose one from the list."), "language")
    return replace(details, language=code)


def check_dates(starts_on: date, ends_on: date) -> None:
    if ends_on < starts_on:
        raise RuleBroken(_("The end date must be on or after the start date."), "ends_on")
    if (ends_on - starts_on).days > DRIVE_DAYS_MAX:
        raise RuleBroken(_("A drive can run for at most three years."), "ends_on")


def _free_slug(wanted: str) -> str:
    """`wanted` if no drive has it, else the first of wanted-2, wanted-3… that is free."""
    taken = set(
        db.session.scalars(
            db.select(Drive.slug).where((Drive.slug == wanted) | Drive.slug.like(f"{wanted}-%"))
        )
    )
    number = 1
    while numbered(wanted, number) in taken or numbered(wanted, number) in RESERVED_SLUGS:
        number += 1
    return numbered(wanted, number)


def create_drive(owner: User, details: DriveDetails, slug: str = "") -> Drive:
    """A new drive that `owner` owns, at the address `slug` they chose, or, left empty, at a free
    address made from its title."""
    check_time_zone(details.timezone)
    details = checked_language(details)
    check_dates(details.starts_on, details.ends_on)
    if details.ends_on < today_in(details.timezone):
        # Announced as ready, it would already refuse every sign-up.
        raise RuleBroken(_("The end date has already passed. Pick today or a later day."), "ends_on")
    drive = _insert_at_chosen_slug(owner, details, slug) if slug else _insert_with_free_slug(owner, details)
    activity.record(drive, _l("created the drive"), owner)
    return drive


class _SlugTaken(Exception):
    """Another drive got the slug between our look and our insert."""


def _insert_with_free_slug(owner: User, details: DriveDetails) -> Drive:
    """Insert the drive under the first free slug, trying the next one when another request
    took it between our look and our insert (PostgreSQL: drives with one title created at once).

    Every failed try means some other request's drive got in, so SLUG_TRIES concurrent creations
    of one title all succeed.
    """
    for _attempt in range(SLUG_TRIES):
        try:
            return _insert(owner, details, _free_slug(slugify(details.title)), _SlugTaken)
        except _SlugTaken:
            continue
    raise RuleBroken(_("Many drives with this title are being created right now. Please try again."), "title")


def _insert_at_chosen_slug(owner: User, details: DriveDetails, slug: str) -> Drive:
    """Insert the drive at the address its organiser chose, or say why not and which is free."""
    problem = address_problem(slug)
    if problem:
        raise RuleBroken(problem, "slug")
    if _free_slug(slug) != slug:
        raise _slug_taken(slug)
    # The unique slug decides when another request chose the same address a moment before us.
    return _insert(owner, details, slug, lambda: _slug_taken(slug))


def _slug_taken(slug: str) -> RuleBroken:
    free = _free_slug(slug)
    if len(free) > ADDRESS_MAX:  # offer only what the form takes: a shorter stem, numbered
        free = _free_slug(slug[: ADDRESS_MAX - NUMBER_ROOM].rstrip("-"))
    return RuleBroken(_("The address %(address)s is taken; %(free)s is free. Please use that one or choose another.",
                        address=slug, free=free), "slug")


def _insert(owner: User, details: DriveDetails, slug: str, on_taken: Callable[[], Exception]) -> Drive:
    """Insert the drive with its owner; `on_taken()` is raised when another drive has the slug.

    The insert is a savepoint (add_unique), so a clash undoes only that insert. Drive and owner go
    in together, as one new drive, not a change to it (drives/versioning.py). The owner is named by
    id: `user=owner` would also add the new DriveOrganiser to the owner's list of drives, which the
    savepoint's opening flush meets before the drive is in the session (SQLAlchemy warns of it).
    """
    drive = Drive(slug=slug, invite_code=new_invite_code(), **vars(details))
    drive.organisers.append(DriveOrganiser(user_id=owner.id, role=OrganiserRole.OWNER))
    add_unique(drive, on_taken)
    return drive


def update_drive(drive: Drive, actor: User, details: DriveDetails) -> None:
    """Change what the drive says; its slug stays so shared links keep working.

    An open drive's end can't move into the past (that would silently stop sign-ups); an ended
    or closed drive keeps whatever dates it ran on.
    """
    check_time_zone(details.timezone)
    details = checked_language(details)
    check_dates(details.starts_on, details.ends_on)
    if drive.is_open and details.ends_on < today_in(details.timezone) and details.ends_on != drive.ends_on:
        raise RuleBroken(_("The end date can't move into the past while the drive is open. "
                           "To stop it now, close the drive."), "ends_on")
    for name, value in vars(details).items():
        setattr(drive, name, value)
    _same_honoree_in_every_round(drive)
    db.session.flush()
    activity.record(drive, _l("edited the drive's details"), actor)
    milestones.record_milestones(drive)  # a new target moves every percentage


def _same_honoree_in_every_round(drive: Drive) -> None:
    """A yearly memorial's rounds name one person: an edited name (say, shortened to "J.")
    replaces the old one on every round, so no page keeps the name the family took back."""
    memorial_id = db.select(MemorialRound.memorial_id).where(MemorialRound.drive_id == drive.id).scalar_subquery()
    rounds = db.session.scalars(
        db.select(Drive).join(MemorialRound, MemorialRound.drive_id == Drive.id)
        .where(MemorialRound.memorial_id == memorial_id, Drive.id != drive.id)
    )
    for other in rounds:
        other.honoree = drive.honoree


def rotate_invite_code(drive: Drive, actor: User) -> None:
    """Give the drive a new invite link; the old one then joins nobody."""
    db.session.add(RetiredInviteCode(code=drive.invite_code, drive=drive))
    drive.invite_code = new_invite_code()
    db.session.flush()
    activity.record(drive, _l("made a new invite link"), actor)


def drive_for_organiser(slug: str, user: User) -> Drive | None:
    """The drive if `user` organises it; None for anyone else, so the view can say 404."""
    return db.session.scalar(
        db.select(Drive)
        .join(DriveOrganiser)
        .where(Drive.slug == slug, DriveOrganiser.user_id == user.id)
    )


def drives_of(user: User) -> list[Drive]:
    return list(
        db.session.scalars(
            db.select(Drive)
            .join(DriveOrganiser)
            .where(DriveOrganiser.user_id == user.id)
            .order_by(Drive.created_at.desc(), Drive.id.desc())
        )
    )


def public_drive(slug: str) -> Drive | None:
    """Any drive by its slug: public and unlisted drives both have a progress page."""
    return db.session.scalar(db.select(Drive).where(Drive.slug == slug))


def listed_drives(limit: int = 12) -> list[Drive]:
    """Recent public drives for the home page; unlisted ones never appear."""
    return list(
        db.session.scalars(
            db.select(Drive)
            .where(Drive.visibility == Visibility.PUBLIC)
            .order_by(Drive.created_at.desc(), Drive.id.desc())
            .limit(limit)
        )
    )
