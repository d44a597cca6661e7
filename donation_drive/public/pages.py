"""What a drive's public progress page shows, built in one place and handed to its template."""

from dataclasses import dataclass

from ..core.rules import drive_today
from ..counting import milestones, ripple
from ..counting.board import Board, board_of
from ..counting.milestones import TimelineEntry
from ..counting.progress import Progress, days_left
from ..counting.ripple import Ripple
from ..counting.tallies import progress_of
from ..drives import anniversaries, updates
from ..drives.models import Drive, DriveSettings, Memorial, Update
from ..participation import operations as participation
from ..words.operations import ShownMessage, shown_messages
from . import photos


@dataclass(frozen=True)
class LiveParts:
    """What moves on a progress page as people take part: the parts its live fragment carries."""

    drive: Drive
    progress: Progress
    #: The target drawn as one mark per unit, with whose each filled one is.
    board: Board
    shown_names: list[str]
    milestones: list[TimelineEntry]
    inspired_by: Drive | None
    ripple: Ripple


@dataclass(frozen=True)
class ProgressPage(LiveParts):
    """Everything anyone sees of a drive on its progress page: the live parts and the rest."""

    days_left: str
    accepting: bool
    cover: DriveSettings | None
    memorial: Memorial | None
    updates: list[Update]
    #: Approved words of support, newest first.
    words: list[ShownMessage]


def live_parts(drive: Drive) -> LiveParts:
    progress = progress_of(drive)
    return LiveParts(
        drive=drive,
        progress=progress,
        board=board_of(drive, progress.units_donated),
        shown_names=participation.shown_names(drive),
        milestones=milestones.timeline(drive),
        inspired_by=ripple.inspired_by(drive),
        ripple=ripple.ripple_of(drive),
    )


def progress_page(drive: Drive) -> ProgressPage:
    return ProgressPage(
        **vars(live_parts(drive)),
        days_left=days_left(drive.starts_on, drive.ends_on, drive_today(drive)),
        accepting=participation.accepting_sign_ups(drive),
        cover=photos.cover_of(drive),
        memorial=anniversaries.memorial_of(drive),
        updates=updates.updates_of(drive),
        words=shown_messages(drive),
    )
