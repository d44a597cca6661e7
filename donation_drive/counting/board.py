"""The units board: the target drawn as one mark per unit, each filled by a donation that counts
and labelled with its donor's name as they chose ("7 bags for the 7 used", seen at a glance).

`board` is a pure function over plain rows; `given_units` is the one query that reads them.
"""

from dataclasses import dataclass

from ..core.extensions import db
from ..core.i18n import LazyText, lazy_gettext as _l
from ..donations.models import Donation, LoggedBy
from ..drives.models import Drive
from ..participation.models import NameShownAs, Participant
from ..privacy.names import public_name
from .rule import counted

#: The largest target drawn as marks: beyond it a page would scroll through rows of drops, so a
#: compact bar stands in. Units given past the target are drawn up to this many marks in all.
BOARD_MARKS_MAX = 40

#: A donor who did not agree to be shown, or whose participant was erased.
A_FRIEND = _l("a friend")
#: Units an organiser logged for the group rather than for one participant.
GIVEN_TOGETHER = _l("given together")


@dataclass(frozen=True)
class GivenRow:
    """One donation that counts, as the board needs it: no more of the donor than their choice allows."""

    units: int
    #: The participant's name, or None when nobody in particular gave (logged for the group, erased).
    name: str | None
    show_name: bool
    shown_as: NameShownAs | None
    logged_by: LoggedBy


@dataclass(frozen=True)
class Mark:
    """One unit of the board: filled with whose it is, or still to give (`given_by` None)."""

    given_by: str | LazyText | None
    #: Given past the target.
    beyond_target: bool = False

    @property
    def filled(self) -> bool:
        return self.given_by is not None


@dataclass(frozen=True)
class Board:
    target_units: int
    units_donated: int
    #: One per unit, earliest donation first; empty when the target is too large to draw.
    marks: tuple[Mark, ...]

    @property
    def drawn(self) -> bool:
        return bool(self.marks)

    @property
    def bar_value(self) -> int:
        """What the compact bar of an undrawn board shows: a <progress> cannot draw past its max."""
        return min(self.units_donated, self.target_units)

    @property
    def units_not_drawn(self) -> int:
        """Units given beyond the last mark a drawn board has room for."""
        return max(self.units_donated - len(self.marks), 0) if self.drawn else 0


def drawn_as_marks(target_units: int) -> bool:
    """Whether a target is small enough to draw one mark per unit."""
    return target_units <= BOARD_MARKS_MAX


def given_by(row: GivenRow) -> str | LazyText:
    """The label of the marks a donation fills: the donor's name only if they agreed to show it."""
    if row.name is None:
        return GIVEN_TOGETHER if row.logged_by is LoggedBy.ORGANISER else A_FRIEND
    return public_name(row.name, row.show_name, row.shown_as) or A_FRIEND


def board(target_units: int, units_donated: int, rows: list[GivenRow]) -> Board:
    """The board of a drive with `target_units` and `units_donated`, filled from `rows` in order."""
    if not drawn_as_marks(target_units):
        return Board(target_units, units_donated, ())
    size = min(max(target_units, units_donated), BOARD_MARKS_MAX)
    names = [given_by(row) for row in rows for _ in range(row.units)][:units_donated]
    marks = tuple(
        Mark(names[index] if index < len(names) else None, beyond_target=index >= target_units)
        for index in range(size)
    )
    return Board(target_units, units_donated, marks)


def given_units(drive: Drive) -> list[GivenRow]:
    """The donations that count on `drive`, earliest first, as many as a board can show: one query."""
    rows = db.session.execute(
        db.select(Donation.units, Participant.name, Participant.show_name, Participant.name_shown_as,
                  Donation.logged_by)
        .outerjoin(Participant, Participant.id == Donation.participant_id)
        .where(Donation.drive_id == drive.id, counted())
        .order_by(Donation.donated_on, Donation.id)
        # Every donation is at least one unit: this many rows fill every mark there is.
        .limit(BOARD_MARKS_MAX)
    )
    return [GivenRow(units, name, bool(show), shown_as, logged_by) for units, name, show, shown_as, logged_by in rows]


def board_of(drive: Drive, units_donated: int) -> Board:
    """The board of `drive`; a target too large to draw costs no query."""
    rows = given_units(drive) if drawn_as_marks(drive.target_units) else []
    return board(drive.target_units, units_donated, rows)
