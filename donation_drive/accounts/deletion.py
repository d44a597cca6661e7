"""An organiser deletes their account: what becomes of each of their drives, then doing it.

A drive they own passes to a co-organiser when it has one, and is deleted with everything in
it when it has none; a drive they only co-organise simply loses them. Their API tokens and
password-reset links go with the account row (ON DELETE CASCADE); what they did on drives
that live on (units logged, updates, the activity log, invitations sent) stays, without the
link to them (ON DELETE SET NULL). The functions flush; the request commits.
"""

import enum
import hashlib
import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from sqlalchemy.orm import joinedload
from werkzeug.security import check_password_hash

from ..core.extensions import db
from ..core.i18n import lazy_gettext as _l
from ..core.rules import RuleBroken
from ..drives import activity, lifecycle
from ..drives.models import Drive, DriveOrganiser, OrganiserRole
from ..outreach.mail import MailError
from .models import User

log = logging.getLogger(__name__)

# Lazy, so each is said in the reader's language; made a str (which pages escape) where it is used.
WRONG_PASSWORD = _l("That isn't your password, so nothing was deleted. Please type it again.")
PLAN_CHANGED = _l(
    "Your drives changed since you opened this page (someone joined or left as co-organiser), "
    "so nothing was deleted. Check what will happen now and confirm again."
)
NOT_A_CO_ORGANISER = _l("Please choose one of this drive's co-organisers.")
#: The form field that picks a drive's new owner is named this, then the drive's id.
SUCCESSOR_FIELD_PREFIX = "new_owner_"


class Fate(enum.Enum):
    """What account deletion does to one drive."""

    #: Owned, with co-organisers: one of them becomes the owner.
    HAND_OVER = "hand_over"
    #: Owned alone: deleted with its participants, donations and everything else.
    DELETE = "delete"
    #: Co-organised: the account leaves it; the drive is untouched.
    LEAVE = "leave"


@dataclass(frozen=True)
class DriveFate:
    drive: Drive
    fate: Fate
    #: Who may take the drive over (HAND_OVER only), longest-serving co-organiser first.
    successors: tuple[User, ...] = ()

    @property
    def successor(self) -> User | None:
        """Who takes over unless the owner chooses another."""
        return self.successors[0] if self.successors else None


@dataclass(frozen=True)
class HandOver:
    """A drive that now belongs to someone else, and who deleted their account to give it."""

    drive: Drive
    new_owner: User
    former_owner_name: str


def plan_for(user: User) -> list[DriveFate]:
    """What deleting `user`'s account would do to each drive they organise, oldest drive first."""
    their_drives = db.select(DriveOrganiser.drive_id).where(DriveOrganiser.user_id == user.id)
    rows = db.session.scalars(
        db.select(DriveOrganiser)
        .where(DriveOrganiser.drive_id.in_(their_drives))
        .options(joinedload(DriveOrganiser.drive), joinedload(DriveOrganiser.user))
        .order_by(DriveOrganiser.drive_id, DriveOrganiser.id)
    )
    by_drive: dict[int, list[DriveOrganiser]] = {}
    for row in rows:
        by_drive.setdefault(row.drive_id, []).append(row)
    plan = []
    for organisers in by_drive.values():
        mine = next(row for row in organisers if row.user_id == user.id)
        if mine.role is not OrganiserRole.OWNER:
            plan.append(DriveFate(mine.drive, Fate.LEAVE))
            continue
        # Rows are numbered as people joined, so the lowest id has helped longest.
        successors = tuple(row.user for row in organisers if row.role is OrganiserRole.CO_ORGANISER)
        plan.append(DriveFate(mine.drive, Fate.HAND_OVER if successors else Fate.DELETE, successors))
    return plan


def by_fate(plan: list[DriveFate]) -> dict[str, list[DriveFate]]:
    """The plan grouped by what happens to each drive, keyed by the fate's value."""
    return {fate.value: [item for item in plan if item.fate is fate] for fate in Fate}


def plan_fingerprint(plan: list[DriveFate]) -> str:
    """A short digest of the plan, so a confirmation applies only to the plan that was shown."""
    described = ";".join(
        f"{item.drive.id}:{item.fate.value}:{','.join(str(user.id) for user in item.successors)}"
        for item in plan
    )
    return hashlib.sha256(described.encode()).hexdigest()[:32]


def password_matches(user: User, password: str | None) -> bool:
    if not password:
        return False
    return check_password_hash(user.password_hash, password)


def delete_account(
    user: User,
    password: str | None,
    confirmed_plan: str | None,
    chosen_successors: Mapping[int, int],
    tell_new_owner: Callable[[HandOver], None],
) -> list[HandOver]:
    """Delete `user` after checking their password and that the plan they saw still holds.

    `chosen_successors` maps a drive's id to the user id of the co-organiser the owner picked;
    drives not in it go to their longest-serving co-organiser. Each new owner is told through
    `tell_new_owner`; a message that can't be sent is logged and undoes nothing.
    """
    if not password_matches(user, password):
        raise RuleBroken(str(WRONG_PASSWORD), "password")
    plan = plan_for(user)
    if confirmed_plan != plan_fingerprint(plan):
        raise RuleBroken(str(PLAN_CHANGED))
    # Every choice is checked before anything changes.
    successors = {
        item.drive.id: _chosen(item, chosen_successors) for item in plan if item.fate is Fate.HAND_OVER
    }
    handovers = []
    for item in plan:
        if item.fate is Fate.HAND_OVER:
            handovers.append(_hand_over(item.drive, user, successors[item.drive.id]))
        elif item.fate is Fate.DELETE:
            lifecycle.erase_drive(item.drive)
        else:
            _leave(item.drive, user)
    # The rows linking the user to drives are gone; forget any stale copy before deleting.
    db.session.expire(user, ["organised"])
    db.session.delete(user)
    db.session.flush()
    for handover in handovers:
        _tell(handover, tell_new_owner)
    return handovers


def _chosen(item: DriveFate, chosen_successors: Mapping[int, int]) -> User:
    wanted = chosen_successors.get(item.drive.id)
    if wanted is None:
        return item.successors[0]
    for user in item.successors:
        if user.id == wanted:
            return user
    raise RuleBroken(str(NOT_A_CO_ORGANISER), successor_field(item.drive))


def successor_field(drive: Drive) -> str:
    """The name of the form field that picks `drive`'s new owner."""
    return f"{SUCCESSOR_FIELD_PREFIX}{drive.id}"


def _hand_over(drive: Drive, owner: User, new_owner: User) -> HandOver:
    """Make co-organiser `new_owner` the owner of `drive`; `owner` no longer organises it."""
    rows = {
        row.user_id: row
        for row in db.session.scalars(db.select(DriveOrganiser).where(DriveOrganiser.drive_id == drive.id))
    }
    db.session.delete(rows[owner.id])
    rows[new_owner.id].role = OrganiserRole.OWNER
    db.session.flush()
    activity.record(drive, _l("deleted their account and handed the drive to %(name)s", name=new_owner.name), owner)
    return HandOver(drive, new_owner, owner.name)


def _leave(drive: Drive, user: User) -> None:
    row = db.session.scalar(
        db.select(DriveOrganiser).where(DriveOrganiser.drive_id == drive.id, DriveOrganiser.user_id == user.id)
    )
    db.session.delete(row)
    db.session.flush()
    activity.record(drive, _l("deleted their account and no longer co-organises"), user)


def _tell(handover: HandOver, tell_new_owner: Callable[[HandOver], None]) -> None:
    try:
        tell_new_owner(handover)
    except MailError:
        # No address or name: logs must hold no personal data.
        log.warning("Could not tell the new owner of drive %s", handover.drive.id)
