"""What each organiser page shows, built in one place and handed to its template.

Templates only lay the data out: nothing they call reads the database (the query-count tests
in tests/test_query_counts.py keep it so).
"""

from collections import Counter
from dataclasses import dataclass

from ..accounts.models import User
from ..counting.progress import Progress
from ..counting.tallies import progress_of
from ..donations import operations as donations
from ..donations.models import Donation
from ..outreach import eligibility, invitations
from ..outreach.forms import InvitationForm, RegionForm
from ..outreach.models import Invitation
from ..participation import visits
from ..participation.visits import VisitView
from ..public import photos
from ..public.embed_snippets import Snippets, snippets_for
from . import activity, anniversaries, coorganisers, funnel, people, updates
from .anniversaries import MemorialSummary
from .forms import ActionForm
from .funnel import Funnel
from .models import ActivityEntry, CoOrganiserInvitation, Drive, DriveOrganiser, DriveSettings, Memorial, Update
from .people import PersonRow
from .tools_forms import InviteCoOrganiserForm, UpdateForm

#: The order an invitation moves through its states, for the counts above the list.
INVITATION_STATES = ["sent", "opened", "joined", "failed", "revoked"]


@dataclass(frozen=True)
class YearlyRounds:
    """The memorial a drive is a round of, what the rounds add up to, and whether a next may start."""

    memorial: Memorial
    summary: MemorialSummary
    can_start_next_round: bool


@dataclass(frozen=True)
class EmailInvitations:
    sent: list[Invitation]
    counts: list[tuple[str, int]]
    per_day: int
    left_today: int
    form: InvitationForm


@dataclass(frozen=True)
class OrganiserPage:
    """Everything the organiser page shows of a drive, for one organiser looking at it."""

    drive: Drive
    progress: Progress
    is_owner: bool
    people: list[PersonRow]
    #: Oldest first; the page lists them newest first.
    donations: list[Donation]
    visits: list[VisitView]
    updates: list[Update]
    activity: list[ActivityEntry]
    organisers: list[DriveOrganiser]
    co_organiser_invitations: list[CoOrganiserInvitation]
    invitations: EmailInvitations
    cover: DriveSettings | None
    yearly_rounds: YearlyRounds | None
    funnel: Funnel
    region: eligibility.Region
    snippets: Snippets
    update_form: UpdateForm
    invite_form: InviteCoOrganiserForm
    region_form: RegionForm
    action_form: ActionForm


def organiser_page(drive: Drive, viewer: User) -> OrganiserPage:
    """The organiser page of `drive` as `viewer` (its owner or a co-organiser) sees it."""
    return OrganiserPage(
        drive=drive,
        progress=progress_of(drive),
        is_owner=coorganisers.is_owner(drive, viewer),
        people=people.people_of(drive),
        donations=donations.donations_of(drive),
        visits=visits.visits_of(drive),
        updates=updates.updates_of(drive),
        activity=activity.recent(drive),
        organisers=coorganisers.organisers_of(drive),
        co_organiser_invitations=coorganisers.pending_invitations(drive),
        invitations=_email_invitations(drive),
        cover=photos.cover_of(drive),
        yearly_rounds=_yearly_rounds(drive),
        funnel=funnel.funnel_of(drive),
        region=eligibility.region_of(drive.region),
        snippets=snippets_for(drive),
        update_form=UpdateForm(formdata=None, prefix="update"),
        invite_form=InviteCoOrganiserForm(formdata=None, prefix="invite"),
        region_form=RegionForm(formdata=None, region=drive.region),
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


def _yearly_rounds(drive: Drive) -> YearlyRounds | None:
    memorial = anniversaries.memorial_of(drive)
    if memorial is None:
        return None
    return YearlyRounds(memorial, anniversaries.summary(memorial), anniversaries.can_start_next_round(memorial))
