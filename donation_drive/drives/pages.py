"""What each organiser page shows, built in one place and handed to its template.

A drive's organiser side is an overview (the count, sharing the invite, what is waiting) and
the pages beside it: donations, people, updates, settings and an advanced page. Each has one
builder here. Templates only lay the data out: nothing they call reads the database (the
tests in tests/test_pages_handed_their_data.py keep it so).
"""

from collections import Counter
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from ..accounts.models import User
from ..core.rules import drive_today
from ..counting import milestones
from ..counting.progress import Progress
from ..counting.tallies import progress_of
from ..donations import operations as donations
from ..donations.models import Donation, DonationStatus
from ..outreach import eligibility, invitations
from ..outreach.forms import InvitationForm, RegionForm
from ..outreach.models import Invitation, InvitationStatus
from ..participation import visits
from ..participation.visits import VisitView
from ..public import photos
from ..public.embed_snippets import Snippets, snippets_for
from ..words import operations as words
from . import activity, anniversaries, checking, coorganisers, funnel, people, updates
from .anniversaries import MemorialSummary
from .forms import ActionForm
from .funnel import Funnel
from .models import ActivityEntry, CoOrganiserInvitation, Drive, DriveOrganiser, DriveSettings, Memorial, Update
from .people import PersonRow
from .tools_forms import InviteCoOrganiserForm, UpdateForm

#: The order an invitation moves through its states, for the counts above the list.
INVITATION_STATES = ["sent", "opened", "joined", "failed", "revoked"]

#: Which organiser page shows each part of a drive, by the part's anchor: where a form sends the
#: organiser back to, so they land where they were.
PAGE_OF_PART = {
    "invite": "organiser.drive_page",
    "to-do": "organiser.drive_page",
    "donations": "organiser.donations_page",
    "log": "organiser.donations_page",
    "counting": "organiser.donations_page",
    "participants": "organiser.people_page",
    "invitations": "organiser.people_page",
    "visits": "organiser.people_page",
    "updates": "organiser.updates_page",
    "details": "organiser.settings_page",
    "photo": "organiser.settings_page",
    "status": "organiser.settings_page",
    "lifecycle": "organiser.settings_page",
    "activity": "organiser.settings_page",
    "share-elsewhere": "organiser.advanced_page",
    "qr-codes": "organiser.advanced_page",
    "embed": "organiser.advanced_page",
    "new-invite-link": "organiser.advanced_page",
    "funnel": "organiser.advanced_page",
    "anniversary": "organiser.advanced_page",
    "co-organisers": "organiser.advanced_page",
    "blood-service": "organiser.advanced_page",
}


# ---- The overview -----------------------------------------------------------------------


class Task(StrEnum):
    """Something waiting for the organiser; the overview words each one and links to where it is done."""

    SHARE_INVITE = "share_invite"
    CHECK_DONATIONS = "check_donations"
    INVITATIONS_NOT_OPENED = "invitations_not_opened"
    THANK_EVERYONE = "thank_everyone"
    READ_WORDS = "read_words"
    END_DATE_PASSED = "end_date_passed"
    WRITE_CLOSING_MESSAGE = "write_closing_message"


@dataclass(frozen=True)
class ToDo:
    task: Task
    count: int = 0
    #: Of the donations to check, how many look like one donation reported twice.
    repeats: int = 0


def to_do(*, is_open: bool, people: int, to_check: int, repeats: int, words_to_read: int, not_opened: int,
          target_reached_on: date | None, last_update_on: date | None, ends_on: date, on: date,
          closing_message_written: bool) -> list[ToDo]:
    """What is waiting for the organiser of a drive, most pressing first."""
    tasks = []
    if to_check:
        tasks.append(ToDo(Task.CHECK_DONATIONS, to_check, repeats))
    if words_to_read:
        tasks.append(ToDo(Task.READ_WORDS, words_to_read))
    if is_open and people == 0:
        tasks.append(ToDo(Task.SHARE_INVITE))
    if target_reached_on is not None and (last_update_on is None or last_update_on < target_reached_on):
        tasks.append(ToDo(Task.THANK_EVERYONE))
    if not_opened:
        tasks.append(ToDo(Task.INVITATIONS_NOT_OPENED, not_opened))
    if is_open and ends_on < on:
        tasks.append(ToDo(Task.END_DATE_PASSED))
    # A drive the worker closed on its end date has no closing message: the memorial waits for one.
    if not is_open and not closing_message_written:
        tasks.append(ToDo(Task.WRITE_CLOSING_MESSAGE))
    return tasks


@dataclass(frozen=True)
class OverviewPage:
    """The organiser's home for a drive: the count, the invite to share, and what is waiting."""

    drive: Drive
    progress: Progress
    to_do: list[ToDo]
    funnel: Funnel


def overview_page(drive: Drive, viewer: User) -> OverviewPage:
    """The overview of `drive` as `viewer` (its owner or a co-organiser) sees it."""
    progress = progress_of(drive)
    all_donations = donations.donations_of(drive)
    waiting = [donation for donation in all_donations if donation.status is DonationStatus.REPORTED]
    latest_update = updates.updates_of(drive, limit=1)
    return OverviewPage(
        drive=drive,
        progress=progress,
        to_do=to_do(
            is_open=drive.is_open,
            people=progress.participant_count,
            to_check=len(waiting),
            repeats=len(checking.suspected_repeats(all_donations, drive.region)),
            words_to_read=words.waiting_count(drive),
            not_opened=sum(invitation.status is InvitationStatus.SENT
                           for invitation in invitations.invitations_of(drive)),
            target_reached_on=_target_reached_on(drive) if progress.target_reached else None,
            last_update_on=latest_update[0].created_at.date() if latest_update else None,
            ends_on=drive.ends_on,
            on=drive_today(drive),
            closing_message_written=bool(drive.closing_message),
        ),
        funnel=funnel.funnel_of(drive),
    )


def _target_reached_on(drive: Drive) -> date | None:
    return next((entry.reached_on for entry in milestones.timeline(drive) if entry.percent == 100), None)


# ---- Donations --------------------------------------------------------------------------


@dataclass(frozen=True)
class DonationCard:
    donation: Donation
    #: The earlier donation of the same participant this report looks like a repeat of.
    repeat_of: Donation | None


@dataclass(frozen=True)
class DonationsPage:
    """Reported donations to check, every donation logged, and logging units."""

    drive: Drive
    progress: Progress
    #: Reported donations waiting for a decision, newest first.
    to_check: list[DonationCard]
    #: Confirmed and rejected donations, newest first.
    checked: list[DonationCard]
    action_form: ActionForm

    @property
    def repeats(self) -> int:
        """Reports to check that look like a donation reported twice: "confirm all" leaves them."""
        return sum(card.repeat_of is not None for card in self.to_check)


def donations_page(drive: Drive, viewer: User) -> DonationsPage:
    all_donations = donations.donations_of(drive)
    repeats = checking.suspected_repeats(all_donations, drive.region)
    cards = [DonationCard(donation, repeats.get(donation.id)) for donation in reversed(all_donations)]
    return DonationsPage(
        drive=drive,
        progress=progress_of(drive),
        to_check=[card for card in cards if card.donation.status is DonationStatus.REPORTED],
        checked=[card for card in cards if card.donation.status is not DonationStatus.REPORTED],
        action_form=ActionForm(),
    )


# ---- People -----------------------------------------------------------------------------


@dataclass(frozen=True)
class EmailInvitations:
    sent: list[Invitation]
    counts: list[tuple[str, int]]
    per_day: int
    left_today: int
    form: InvitationForm


@dataclass(frozen=True)
class PeoplePage:
    """Participants, email invitations and group visits."""

    drive: Drive
    people: list[PersonRow]
    invitations: EmailInvitations
    visits: list[VisitView]
    action_form: ActionForm


def people_page(drive: Drive, viewer: User) -> PeoplePage:
    return PeoplePage(
        drive=drive,
        people=people.people_of(drive),
        invitations=_email_invitations(drive),
        visits=visits.visits_of(drive),
        action_form=ActionForm(),
    )


def _email_invitations(drive: Drive) -> EmailInvitations:
    sent = invitations.invitations_of(drive)
    counts = Counter(invitation.status.value for invitation in sent)
    return EmailInvitations(
        sent=sent,
        counts=[(state, counts[state]) for state in INVITATION_STATES if counts[state]],
        per_day=invitations.INVITATIONS_PER_DAY,
        left_today=invitations.left_today(drive),
        form=InvitationForm(formdata=None),
    )


# ---- Updates ----------------------------------------------------------------------------


@dataclass(frozen=True)
class UpdatesPage:
    drive: Drive
    updates: list[Update]
    update_form: UpdateForm


def updates_page(drive: Drive, viewer: User) -> UpdatesPage:
    return UpdatesPage(
        drive=drive,
        updates=updates.updates_of(drive),
        update_form=UpdateForm(formdata=None, prefix="update"),
    )


# ---- Settings ---------------------------------------------------------------------------


@dataclass(frozen=True)
class SettingsPage:
    """The drive's details, cover photo, open or closed, dates and deletion, and its activity."""

    drive: Drive
    is_owner: bool
    cover: DriveSettings | None
    activity: list[ActivityEntry]
    action_form: ActionForm


def settings_page(drive: Drive, viewer: User) -> SettingsPage:
    return SettingsPage(
        drive=drive,
        is_owner=coorganisers.is_owner(drive, viewer),
        cover=photos.cover_of(drive),
        activity=activity.recent(drive),
        action_form=ActionForm(),
    )


# ---- Advanced ---------------------------------------------------------------------------


@dataclass(frozen=True)
class YearlyRounds:
    """The memorial a drive is a round of, what the rounds add up to, and whether a next may start."""

    memorial: Memorial
    summary: MemorialSummary
    can_start_next_round: bool


@dataclass(frozen=True)
class AdvancedPage:
    """Sharing elsewhere (QR codes, badge, widget, API), statistics, yearly rounds, co-organisers
    and the blood service."""

    drive: Drive
    progress: Progress
    is_owner: bool
    snippets: Snippets
    funnel: Funnel
    yearly_rounds: YearlyRounds | None
    organisers: list[DriveOrganiser]
    co_organiser_invitations: list[CoOrganiserInvitation]
    region: eligibility.Region
    invite_form: InviteCoOrganiserForm
    region_form: RegionForm
    action_form: ActionForm


def advanced_page(drive: Drive, viewer: User) -> AdvancedPage:
    return AdvancedPage(
        drive=drive,
        progress=progress_of(drive),
        is_owner=coorganisers.is_owner(drive, viewer),
        snippets=snippets_for(drive),
        funnel=funnel.funnel_of(drive),
        yearly_rounds=_yearly_rounds(drive),
        organisers=coorganisers.organisers_of(drive),
        co_organiser_invitations=coorganisers.pending_invitations(drive),
        region=eligibility.region_of(drive.region),
        invite_form=InviteCoOrganiserForm(formdata=None, prefix="invite"),
        region_form=RegionForm(formdata=None, region=drive.region),
        action_form=ActionForm(),
    )


def _yearly_rounds(drive: Drive) -> YearlyRounds | None:
    memorial = anniversaries.memorial_of(drive)
    if memorial is None:
        return None
    return YearlyRounds(memorial, anniversaries.summary(memorial), anniversaries.can_start_next_round(memorial))
