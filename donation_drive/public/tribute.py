"""What a closed drive's memorial shows, and the page that gathers a yearly memorial's rounds.

A memorial says what was given, never against what was hoped for: "5 bags of blood given in memory
of Jack" is a tribute, "5 of 7" reads as a shortfall. So no percentage, target, count of days or
call to join appears here; the board (public/_board.html) shows who gave.
"""

from dataclasses import dataclass, replace
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import inspect

from ..core.i18n import ngettext
from ..drives import anniversaries
from ..drives.anniversaries import MemorialSummary, RoundDates
from ..drives.models import Dedication, Drive, DriveSettings, DriveStatus, Memorial, UnitNoun
from ..outreach.eligibility import Region, region_of
from . import photos
from .pages import ProgressPage, progress_page


def given_in_words(units: int, noun: UnitNoun) -> str:
    """What a drive gave, in its own noun: "7 bags of blood", "1 donation of blood"."""
    if noun is UnitNoun.BAGS:
        return ngettext("%(num)s bag of blood", "%(num)s bags of blood", units)
    if noun is UnitNoun.DONATIONS:
        return ngettext("%(num)s donation of blood", "%(num)s donations of blood", units)
    return ngettext("%(num)s unit of blood", "%(num)s units of blood", units)


def given_in_round(units: int, noun: UnitNoun) -> str:
    """What one round of a yearly memorial gave: "7 bags of blood given"."""
    if noun is UnitNoun.BAGS:
        return ngettext("%(num)s bag of blood given", "%(num)s bags of blood given", units)
    if noun is UnitNoun.DONATIONS:
        return ngettext("%(num)s donation of blood given", "%(num)s donations of blood given", units)
    return ngettext("%(num)s unit of blood given", "%(num)s units of blood given", units)


def given_for(drive: Drive, units: int) -> str:
    """The memorial's first line: "5 bags of blood given in memory of Jack", or with nothing
    counted, what the drive was, with no zero in it. One whole sentence for each dedication."""
    name = drive.honoree
    if units == 0:
        if drive.dedication is Dedication.IN_MEMORY:
            return _("A blood-donation drive in memory of %(name)s", name=name)
        if drive.dedication is Dedication.IN_HONOUR:
            return _("A blood-donation drive in honour of %(name)s", name=name)
        return _("A blood-donation drive for %(name)s", name=name)
    given = given_in_words(units, drive.unit_noun)
    if drive.dedication is Dedication.IN_MEMORY:
        return _("%(given)s given in memory of %(name)s", given=given, name=name)
    if drive.dedication is Dedication.IN_HONOUR:
        return _("%(given)s given in honour of %(name)s", given=given, name=name)
    return _("%(given)s given for %(name)s", given=given, name=name)


@dataclass(frozen=True)
class RoundGiven:
    """One year's round of a yearly memorial, as the memorial pages list it."""

    slug: str
    title: str
    starts_on: date
    ends_on: date
    is_open: bool
    #: "7 bags of blood given", or "" for a round nothing is counted in yet.
    given: str
    #: The round whose page lists it.
    is_this: bool = False


def rounds_given(summary: MemorialSummary, this: Drive | None = None) -> list[RoundGiven]:
    """Every round, first to latest, with what it gave in words."""
    return [
        RoundGiven(
            slug=round_.drive.slug,
            title=round_.drive.title,
            starts_on=round_.drive.starts_on,
            ends_on=round_.drive.ends_on,
            is_open=round_.drive.is_open,
            given=given_in_round(progress.units_donated, round_.drive.unit_noun) if progress.units_donated else "",
            is_this=this is not None and round_.drive_id == this.id,
        )
        for round_, progress in summary.rounds
    ]


@dataclass(frozen=True)
class TributePage(ProgressPage):
    """Everything a closed drive's memorial shows: the progress page's parts, and what it was."""

    #: "5 bags of blood given in memory of Jack".
    given: str
    #: What the family said on closing; a preview shows one not saved yet.
    closing_message: str
    #: Every round when the drive is a round of a yearly memorial; else empty.
    rounds: list[RoundGiven]
    #: Where a reader moved by the page can give blood themselves.
    blood_service: Region


def tribute_page(drive: Drive) -> TributePage:
    """The memorial of a closed `drive`."""
    page = progress_page(drive)
    return TributePage(
        **vars(page),
        given=given_for(drive, page.progress.units_donated),
        closing_message=drive.closing_message,
        rounds=rounds_given(anniversaries.summary(page.memorial), drive) if page.memorial else [],
        blood_service=region_of(drive.region),
    )


def preview_tribute_page(drive: Drive, closing_message: str) -> TributePage:
    """The memorial as it will read once `drive` is closed with `closing_message`: the closing
    form's preview. Its `drive` is an unsaved copy that reads as closed; the drive itself is
    left as it is."""
    columns = {column.key: getattr(drive, column.key) for column in inspect(Drive).column_attrs}
    closed = Drive(**{**columns, "status": DriveStatus.CLOSED, "closing_message": closing_message})
    return replace(tribute_page(drive), drive=closed, closing_message=closing_message)


@dataclass(frozen=True)
class YearlyMemorialPage:
    """A yearly memorial: the person, the latest round's story and photo, and every round."""

    memorial: Memorial
    #: The latest round: its dedication, story and cover photo stand for the memorial.
    latest: Drive
    cover: DriveSettings | None
    #: What every round gave together: "12 bags of blood".
    given: str
    rounds: list[RoundGiven]
    next_round: RoundDates | None
    blood_service: Region


def yearly_memorial_page(memorial: Memorial) -> YearlyMemorialPage:
    summary = anniversaries.summary(memorial)
    latest = summary.rounds[-1][0].drive
    return YearlyMemorialPage(
        memorial=memorial,
        latest=latest,
        cover=photos.cover_of(latest),
        given=given_in_words(summary.total_units, latest.unit_noun),
        rounds=rounds_given(summary),
        next_round=summary.next_round,
        blood_service=region_of(latest.region),
    )
