"""Milestones: the day a drive's count first reached 25, 50, 75 and 100 % and passed its target."""

from dataclasses import dataclass
from datetime import date

from ..core.extensions import db
from ..core.i18n import LazyText, lazy_gettext as _l
from ..core.rules import drive_today
from ..drives.models import Drive, Milestone
from .progress import Progress
from .tallies import progress_of

#: The milestone thresholds in percent; EXCEEDED stands for "more than the target".
QUARTERS = (25, 50, 75, 100)
EXCEEDED = 101


def held(progress: Progress) -> set[int]:
    """The milestones a count stands at now (pure, so it's easy to test)."""
    reached = {
        percent for percent in QUARTERS
        # units/target >= percent/100, in whole numbers so 3 of 12 is exactly 25 %.
        if progress.units_donated * 100 >= percent * progress.target_units
    }
    if progress.target_exceeded:
        reached.add(EXCEEDED)
    return reached


#: Milestones in words: "25% of the target" means little when the target is seven bags.
LABELS = {25: _l("A quarter of the way"), 50: _l("Halfway"), 75: _l("Three quarters of the way"),
          100: _l("Target reached"), EXCEEDED: _l("Target exceeded")}


def label(percent: int) -> LazyText:
    return LABELS[percent]


def record_milestones(drive: Drive) -> None:
    """After a change to the count or the target: note milestones newly crossed, with today's
    date, and forget those the count fell back below (a rejected report), so the timeline
    never claims more than the bar shows."""
    now_held = held(progress_of(drive))
    existing = {
        row.percent: row
        for row in db.session.scalars(db.select(Milestone).where(Milestone.drive_id == drive.id))
    }
    for percent in now_held - existing.keys():
        db.session.add(Milestone(drive_id=drive.id, percent=percent, reached_on=drive_today(drive)))
    for percent in existing.keys() - now_held:
        db.session.delete(existing[percent])
    db.session.flush()


@dataclass(frozen=True)
class TimelineEntry:
    percent: int
    label: LazyText
    reached_on: date


def timeline(drive: Drive) -> list[TimelineEntry]:
    rows = db.session.scalars(
        db.select(Milestone).where(Milestone.drive_id == drive.id).order_by(Milestone.percent)
    )
    return [TimelineEntry(row.percent, label(row.percent), row.reached_on) for row in rows]
