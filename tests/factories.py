"""Test data made through the domain operations, as the app itself makes it, minus the pages.

Use them inside an app context (the `db` fixture, or `with app.app_context():`). Like the
operations they call, they only flush: commit before a request is to see the rows. Each returns
the objects it made, and the secret a person would hold (a private link, an invitation link's
token, a confirmation token), so a test can then act through HTTP as that person would.

    with app.app_context():
        sam = factories.organiser()
        jack = factories.drive(sam)
        ben, ben_link = factories.participant(jack, "Ben")
        factories.logged_donation(jack, sam, units=2)
        db.session.commit()

The browser tests' seeded site (tests/e2e/livesite.py) is built with these too.
"""

import io
import re
from datetime import date, time, timedelta
from pathlib import Path

from flask import current_app

from donation_drive.accounts import (
    api_tokens,
    confirmations as email_confirmations,
    operations as accounts,
    password_resets,
)
from donation_drive.core.extensions import db
from donation_drive.core.rules import today
from donation_drive.donations import operations as donations
from donation_drive.drives import coorganisers, operations as drives, updates
from donation_drive.models import (
    ApiToken,
    CoOrganiserInvitation,
    Dedication,
    Donation,
    DonationType,
    Drive,
    GroupVisit,
    Invitation,
    NameShownAs,
    Participant,
    Update,
    User,
    Visibility,
)
from donation_drive.outreach import invitations, reminders
from donation_drive.participation import operations as participation, visits
from donation_drive.participation.operations import Pledge
from donation_drive.public import photos
from support import read_outbox, text_of

PASSWORD = "a long enough password"
STORY = (
    "Jack was born too early and lived for nine days. His mum needed seven bags of blood.\n"
    "Seven of us will give seven bags back, one for each. Will you give one more?"
)
PERSONAL_LINK = re.compile(r"/i/([\w-]+)")


def organiser(name: str = "Sam Organiser", email: str = "sam@example.org", password: str = PASSWORD) -> User:
    """An account whose address is confirmed: it can log in with `password`."""
    user = accounts.register(name, email, password)
    assert user is not None, f"{email} already has an account"
    accounts.confirm_email(user)
    return user


def pending_account(name: str, email: str, password: str = PASSWORD) -> tuple[User, str]:
    """An account not yet confirmed, with the token of the link its confirmation email carries."""
    user = accounts.register(name, email, password)
    assert user is not None, f"{email} already has an account"
    return user, email_confirmations.confirmation_token(user)


def drive(owner: User, title: str = "7 for Jack", target: int = 7, *, honoree: str = "Jack",
          dedication: Dedication = Dedication.IN_MEMORY, visibility: Visibility = Visibility.PUBLIC,
          starts_on: date | None = None, days: int = 30, place: str = "Leeds", story: str = STORY) -> Drive:
    """An open drive; by default it started three days ago, so donations can be dated today."""
    start = starts_on or today() - timedelta(days=3)
    return drives.create_drive(owner, drives.DriveDetails(
        title=title, dedication=dedication, honoree=honoree, story=story, target_units=target,
        starts_on=start, ends_on=start + timedelta(days=days), place=place, visibility=visibility,
    ))


def participant(drive: Drive, name: str, *, email: str | None = None, units: int = 1,
                kind: DonationType = DonationType.WHOLE_BLOOD, planned_on: date | None = None,
                shown: bool = True, shown_as: NameShownAs = NameShownAs.FIRST_NAME) -> tuple[Participant, str]:
    """Someone signed up from the invite link, with the token of their private link (/p/<token>)."""
    pledge = Pledge(units, kind, planned_on or today() + timedelta(days=5), shown, shown_as)
    return participation.sign_up(drive, name, email, pledge)


def logged_donation(drive: Drive, organiser: User, units: int = 1, *,
                    kind: DonationType = DonationType.WHOLE_BLOOD, donated_on: date | None = None,
                    participant: Participant | None = None) -> Donation:
    """Units an organiser logged (confirmed at once), for the group or for one participant.

    Set up on purpose, so the second look a hurried entry gets (units far past the target) is answered.
    """
    return donations.log_donation(drive, organiser, units, kind, donated_on or today(), participant, confirmed=True)


def reported_donation(participant: Participant, units: int = 1, *,
                      kind: DonationType = DonationType.WHOLE_BLOOD, donated_on: date | None = None) -> Donation:
    """Units a participant reported from their private page, waiting for an organiser's check.

    Set up on purpose, so "is this another donation?" (a second report too soon) is answered yes.
    """
    return donations.report_donation(participant, units, kind, donated_on or today(), confirmed=True)


def co_organiser(drive: Drive, owner: User, helper: User) -> User:
    """`helper` (an account) invited by the owner to co-organise `drive`, having accepted."""
    invitation, _token = coorganisers.invite(drive, owner, helper.email)
    coorganisers.accept(invitation, helper)
    return helper


def co_organiser_invitation(drive: Drive, owner: User, email: str) -> tuple[CoOrganiserInvitation, str]:
    """An invitation to co-organise, not yet accepted, with the token of its acceptance link."""
    return coorganisers.invite(drive, owner, email)


def invitation(drive: Drive, organiser: User, email: str, name: str = "", message: str = "") -> tuple[Invitation, str]:
    """An invitation emailed to `email`, with the token of its personal link (/i/<token>).

    The token exists only in the email, so it is read from the outbox: use an app without
    MAIL_SERVER (the tests' default).
    """
    assert not current_app.config.get("MAIL_SERVER"), "invitation() reads the outbox; this app mails a server"
    outcome = invitations.invite(drive, organiser, f"{name} <{email}>" if name else email, message)
    assert outcome.sent == [email.lower()], f"{email} was not invited: {outcome}"
    db.session.commit()  # the outbox delivers (tests deliver as they commit) and the link can be read
    sent = next(i for i in invitations.invitations_of(drive) if i.email == email.lower())
    return sent, _personal_link_token(email)


def _personal_link_token(email: str) -> str:
    for message in reversed(read_outbox(Path(current_app.instance_path))):
        if email.lower() in message["To"].lower():
            found = PERSONAL_LINK.search(text_of(message))
            assert found, f"no personal link in the invitation to {email}"
            return found.group(1)
    raise AssertionError(f"no invitation was emailed to {email}")


def update(drive: Drive, author: User, body: str = "Three of us booked.") -> Update:
    """An update an organiser posted on the drive's page."""
    return updates.post_update(drive, author, body)


def group_visit(drive: Drive, organiser: User, *, visit_on: date | None = None, starts_at: time = time(9, 30),
                centre: str = "Leeds Donor Centre", places: int = 2) -> GroupVisit:
    """A group visit to a donation centre the organiser proposed, five days from today unless told."""
    return visits.propose_visit(drive, organiser, visit_on or today() + timedelta(days=5), starts_at, centre, places)


def cover_photo(drive: Drive, organiser: User, jpeg: bytes, alt: str = "Jack on the beach") -> None:
    """The drive's cover photo, uploaded and re-encoded as the photo form does."""
    photos.set_cover_photo(drive, organiser, io.BytesIO(jpeg), alt)


def api_token(user: User, name: str = "Spreadsheet script") -> tuple[ApiToken, str]:
    """A personal API token, with the secret its owner copied from the account page."""
    return api_tokens.create_token(user, name)


def password_reset(user: User) -> str:
    """The token of the link in the "choose a new password" email `user` asked for."""
    started = password_resets.start_reset(user.email)
    assert started is not None, f"{user.email} has no account"
    return started[1]


def report_link_token(participant: Participant) -> str:
    """The token of the "did you manage to donate?" link a reminder email carries (/r/<token>)."""
    return reminders.report_link(participant).rsplit("/", 1)[1]
