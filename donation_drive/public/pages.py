"""What a drive's public progress page shows, built in one place and handed to its template."""

from dataclasses import dataclass

from ..core.rules import today
from ..counting import milestones, ripple
from ..counting.milestones import TimelineEntry
from ..counting.progress import Progress, days_left
from ..counting.ripple import Ripple
from ..counting.tallies import progress_of
from ..drives import anniversaries, updates
from ..drives.models import Drive, DriveSettings, Memorial, Update
from ..participation import operations as participation
from . import photos


@dataclass(frozen=True)
class ProgressPage:
    """Everything anyone sees of a drive on its progress page."""

    drive: Drive
    progress: Progress
    shown_names: list[str]
    days_left: str
    accepting: bool
    cover: DriveSettings | None
    memorial: Memorial | None
    milestones: list[TimelineEntry]
    updates: list[Update]
    inspired_by: Drive | None
    ripple: Ripple


def progress_page(drive: Drive) -> ProgressPage:
    return ProgressPage(
        drive=drive,
        progress=progress_of(drive),
        shown_names=participation.shown_names(drive),
        days_left=days_left(drive.starts_on, drive.ends_on, today()),
        accepting=participation.accepting_sign_ups(drive),
        cover=photos.cover_of(drive),
        memorial=anniversaries.memorial_of(drive),
        milestones=milestones.timeline(drive),
        updates=updates.updates_of(drive),
        inspired_by=ripple.inspired_by(drive),
        ripple=ripple.ripple_of(drive),
    )
