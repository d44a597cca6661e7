"""Memorials that repeat: "run again every year on this date", each year its own drive.

Dates come from a yearly dateutil rrule anchored on the first round's start date. A drive
that started on 29 February comes back on the last day of February: the 29th in leap
years, the 28th otherwise (a plain yearly rule would skip three years out of four).
"""

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from dateutil.rrule import YEARLY, rrule
from flask_babel import format_date, gettext as _

from ..accounts.models import User
from ..core import limits
from ..core.extensions import db
from ..core.i18n import lazy_gettext as _l
from ..core.rules import RuleBroken, drive_today, today_in
from ..counting.progress import Progress
from ..counting.tallies import progress_of_drives
from . import activity, operations as drives
from .models import Drive, DriveOrganiser, DriveSettings, Memorial, MemorialRound, OrganiserRole

_YEAR_SUFFIX = re.compile(r" — \d{4}$")


def yearly_rule(first_starts_on: date) -> rrule:
    start = datetime(first_starts_on.year, first_starts_on.month, first_starts_on.day)
    if (first_starts_on.month, first_starts_on.day) == (2, 29):
        return rrule(YEARLY, dtstart=start, bymonth=2, bymonthday=-1)
    return rrule(YEARLY, dtstart=start)


def next_round_start(first_starts_on: date, after: date) -> date:
    """The first anniversary of `first_starts_on` strictly after `after`."""
    found = yearly_rule(first_starts_on).after(datetime(after.year, after.month, after.day), inc=False)
    return found.date()


@dataclass(frozen=True)
class RoundDates:
    starts_on: date
    ends_on: date


def next_round_dates(memorial: Memorial, latest_start: date) -> RoundDates:
    starts_on = next_round_start(memorial.first_starts_on, latest_start)
    return RoundDates(starts_on, starts_on + timedelta(days=memorial.round_days))


def _upcoming(memorial: Memorial, latest_start: date, today: date) -> RoundDates:
    """The next round after the latest one, skipping anniversaries already past by `today`."""
    return next_round_dates(memorial, max(latest_start, today - timedelta(days=1)))


def memorial_of(drive: Drive) -> Memorial | None:
    round_ = db.session.get(MemorialRound, drive.id)
    return round_.memorial if round_ else None


def memorial_by_slug(slug: str) -> Memorial | None:
    return db.session.scalar(db.select(Memorial).where(Memorial.slug == slug))


def repeat_yearly(drive: Drive, actor: User) -> Memorial:
    """Make `drive` the first round of a memorial that comes back every year on its start date."""
    existing = memorial_of(drive)
    if existing is not None:
        if not existing.repeats_yearly:
            existing.repeats_yearly = True
            db.session.flush()
            activity.record(drive, _l("set the drive to run again every year"), actor)
        return existing
    memorial = Memorial(
        slug=drive.slug,
        first_starts_on=drive.starts_on,
        round_days=(drive.ends_on - drive.starts_on).days,
        repeats_yearly=True,
    )
    db.session.add(memorial)
    db.session.flush()
    db.session.add(MemorialRound(drive_id=drive.id, memorial_id=memorial.id, number=1))
    db.session.flush()
    activity.record(drive, _l("set the drive to run again every year on this date"), actor)
    return memorial


def stop_repeating(drive: Drive, actor: User) -> None:
    memorial = memorial_of(drive)
    if memorial is None or not memorial.repeats_yearly:
        raise RuleBroken(_("This drive doesn't repeat every year."))
    memorial.repeats_yearly = False
    db.session.flush()
    activity.record(drive, _l("stopped the yearly rounds"), actor)


def _latest_round(memorial: Memorial) -> MemorialRound:
    return max(memorial.rounds, key=lambda round_: round_.number)


def start_next_round(drive: Drive, actor: User) -> Drive:
    """Create next year's round as its own drive, with the same story, target and organisers."""
    memorial = memorial_of(drive)
    if memorial is None or not memorial.repeats_yearly:
        raise RuleBroken(_("This drive doesn't repeat every year."))
    latest = _latest_round(memorial)
    source = latest.drive
    if source.starts_on > drive_today(source):
        raise RuleBroken(
            _("The next round is already set up: it starts on %(date)s.", date=format_date(source.starts_on, "long"))
        )
    dates = _upcoming(memorial, source.starts_on, drive_today(source))
    suffix = f" — {dates.starts_on.year}"
    title = _YEAR_SUFFIX.sub("", source.title)[: limits.TITLE_MAX - len(suffix)] + suffix
    owner_row = next(row for row in source.organisers if row.role is OrganiserRole.OWNER)
    new_drive = drives.create_drive(
        owner_row.user,
        drives.DriveDetails(
            title=title,
            dedication=source.dedication,
            honoree=source.honoree,
            story=source.story,
            target_units=source.target_units,
            starts_on=dates.starts_on,
            ends_on=dates.ends_on,
            place=source.place,
            visibility=source.visibility,
            unit_noun=source.unit_noun,  # "bags" stays "bags" every year
            timezone=source.timezone,
            language=source.language,
        ),
    )
    for row in source.organisers:
        if row.role is OrganiserRole.CO_ORGANISER:
            db.session.add(DriveOrganiser(drive_id=new_drive.id, user_id=row.user_id, role=row.role))
    _copy_settings(source, new_drive)
    # Through the collection, so a second look in the same transaction sees this round as the latest.
    memorial.rounds.append(MemorialRound(drive_id=new_drive.id, number=latest.number + 1))
    db.session.flush()
    activity.record(source, _l("started the %(year)s round", year=dates.starts_on.year), actor)
    activity.record(new_drive, _l("started this round, number %(number)s for %(name)s",
                                  number=latest.number + 1, name=memorial.honoree), actor)
    return new_drive


def _copy_settings(source: Drive, target: Drive) -> None:
    settings = db.session.get(DriveSettings, source.id)
    if settings is not None:
        db.session.add(DriveSettings(
            drive_id=target.id,
            counts_reported=settings.counts_reported,
            cover_photo=settings.cover_photo,
            cover_photo_alt=settings.cover_photo_alt,
        ))


@dataclass(frozen=True)
class MemorialSummary:
    memorial: Memorial
    rounds: list[tuple[MemorialRound, Progress]]
    total_units: int
    next_round: RoundDates | None


def summary(memorial: Memorial) -> MemorialSummary:
    """Every round with its count, the units given in the person's name, and the next dates."""
    rounds = sorted(memorial.rounds, key=lambda round_: round_.number)
    progress = progress_of_drives([round_.drive for round_ in rounds])
    next_round = None
    if memorial.repeats_yearly and rounds:
        next_round = _upcoming(memorial, rounds[-1].drive.starts_on, drive_today(rounds[-1].drive))
    return MemorialSummary(
        memorial=memorial,
        rounds=[(round_, progress[round_.drive_id]) for round_ in rounds],
        total_units=sum(p.units_donated for p in progress.values()),
        next_round=next_round,
    )


def can_start_next_round(memorial: Memorial) -> bool:
    """Whether the latest round has started where it runs: only then may the next be set up."""
    if not (memorial.repeats_yearly and memorial.rounds):
        return False
    latest = _latest_round(memorial).drive
    return latest.starts_on <= drive_today(latest)


#: How long before the anniversary the worker sets up the next round, so friends can be invited.
ROUND_LEAD = timedelta(days=28)


def start_due_rounds(now: datetime) -> int:
    """Set up each yearly memorial's next round once it is ROUND_LEAD away at `now`, in the days of
    its latest round's zone, as its owner would (the worker runs this daily); a round already set
    up is never made twice."""
    started = 0
    for memorial in db.session.scalars(db.select(Memorial).where(Memorial.repeats_yearly.is_(True))):
        if not can_start_next_round(memorial):
            continue
        latest = _latest_round(memorial)
        on = today_in(latest.drive.timezone, now)
        if _upcoming(memorial, latest.drive.starts_on, on).starts_on - ROUND_LEAD > on:
            continue
        owner = next(row.user for row in latest.drive.organisers if row.role is OrganiserRole.OWNER)
        start_next_round(latest.drive, owner)
        started += 1
    return started
