"""Emails that bring people back: confirmation, reminders, follow-ups and organisers' notes.

`queue_due` is what the worker runs every few minutes (donation_drive/worker.py) and
`flask send-reminders` from cron. Each message goes into the outbox under a unique key: a
second run, even one at the same moment, fails on the unique constraint and skips it. The
outbox delivers them, with retries (outreach/outbox.py).

"The day before" is the day before in the drive's time zone, from SEND_FROM there: a friend in
Sydney hears at breakfast, not when it is morning in London.
"""

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

import click
from flask import current_app
from flask.cli import with_appcontext
from flask_babel import LazyString
from itsdangerous import BadSignature, URLSafeSerializer

from ..accounts.models import User
from ..core.database import writing
from ..core.extensions import db
from ..core.i18n import lazy_gettext as _l
from ..core.rules import zone_of
from ..core.secret_key import current_secret_key
from ..core.templating import absolute_url, link_host
from ..core.wording import quantity
from ..counting.rule import standing, stands
from ..counting.tallies import progress_of_drives
from ..donations.models import Donation, DonationStatus, LoggedBy
from ..drives.models import Drive, DriveOrganiser, DriveStatus
from ..participation.calendars import pledge_calendar
from ..participation.models import Participant
from . import mailings, outbox
from .eligibility import next_donation_dates, region_of

#: How far back the cron looks for sign-ups and donations to tell people about: enough to
#: survive a day of downtime, short enough that a first run does not mail old news.
LOOKBACK = timedelta(days=3)
_REPORT_LINK_SALT = "report-from-email"
#: Reminders and follow-ups go out from this time of day where the drive is, not at 3 a.m.
SEND_FROM = time(9)


@dataclass
class DueMessage:
    """One email that should go out, and the key that makes sure it goes out once."""

    key: str
    kind: str
    drive: Drive
    to_email: str
    to_name: str
    subject: str | LazyString
    template: str
    context: dict = field(default_factory=dict)
    #: The recipient's language when known (a participant's), else the drive's is used.
    language: str | None = None


def confirm_sign_up(participant: Participant, private_token: str) -> bool:
    """Queue the new participant's private link and a calendar file; False if they gave no address.

    Called while signing up, because only then is the private link's secret known.
    """
    if not participant.email:
        return False
    drive = participant.drive
    drive_url = absolute_url("public.progress_page", slug=drive.slug)
    attachments = [("blood-donation.ics", "text/calendar", pledge_calendar(participant, drive_url, link_host()))]
    return mailings.queue_about_drive(
        mailings.AboutDrive(drive, participant.email, _l("You're signed up"), "confirmation",
                            key=f"confirmation:{participant.id}", kind="confirmation",
                            to_name=participant.name, attachments=attachments, language=participant.language),
        participant=participant, private_link=absolute_url("participant.private_page", token=private_token),
    )


def _report_serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_secret_key(), salt=_REPORT_LINK_SALT)


def report_link(participant: Participant) -> str:
    """A link from an email to the report form. The private link's secret is stored only as a
    hash, so the email carries a signed id instead, tied to that hash: if the private link
    ever changes, old emailed links stop working too."""
    token = _report_serializer().dumps([participant.id, participant.private_link_hash[:16]])
    return absolute_url("outreach.report_from_email", token=token)


def participant_of_report_link(token: str) -> Participant | None:
    try:
        participant_id, hash_prefix = _report_serializer().loads(token)
    except (BadSignature, ValueError, TypeError):
        return None
    participant = db.session.get(Participant, participant_id) if isinstance(participant_id, int) else None
    if participant is None or participant.private_link_hash[:16] != hash_prefix:
        return None
    return participant


def _participants_planned(first_day: date, last_day: date) -> list[tuple[Participant, str, date]]:
    """Open drives' participants planning to donate between the two days: each with their address and date."""
    participants = db.session.scalars(
        db.select(Participant).join(Drive)
        .where(Participant.email.is_not(None), Participant.withdrawn_at.is_(None),
               Participant.planned_on.between(first_day, last_day), Drive.status == DriveStatus.OPEN)
    )
    # The query already left out anyone without either; the check says so to the type checker.
    return [(participant, participant.email, participant.planned_on) for participant in participants
            if participant.email is not None and participant.planned_on is not None]


def _planned_around(now: datetime, first: int, last: int) -> Iterator[tuple[Participant, str, date]]:
    """Participants planning to donate `first` to `last` days from today where their drive is,
    once it is SEND_FROM or later there."""
    utc_day = now.astimezone(UTC).date()
    # Each drive's today is within a day of UTC's: ask the database a day wider, then each drive.
    planned = _participants_planned(utc_day + timedelta(days=first - 1), utc_day + timedelta(days=last + 1))
    for participant, email, planned_on in planned:
        there = now.astimezone(zone_of(participant.drive.timezone))
        if there.time() >= SEND_FROM and first <= (planned_on - there.date()).days <= last:
            yield participant, email, planned_on


def _reminders(now: datetime) -> Iterator[DueMessage]:
    """The day before the planned date (or on the day, if the cron missed the day before)."""
    for participant, email, planned_on in _planned_around(now, 0, 1):
        yield DueMessage(
            f"reminder:{participant.id}:{planned_on}", "reminder", participant.drive,
            email, participant.name, _l("Your donation is coming up"), "reminder",
            {"participant": participant, "report_link": report_link(participant)},
            language=participant.language,
        )


def _follow_ups(now: datetime) -> Iterator[DueMessage]:
    """A day after the planned date (up to three, if the cron missed it), to those who have not
    reported a donation since."""
    for participant, email, planned_on in _planned_around(now, -3, -1):
        window_start = planned_on - timedelta(days=14)
        # A report waiting for an organiser's check still answers "did you donate?".
        if any(d.donated_on >= window_start and stands(d.status)
               for d in participant.donations):
            continue
        yield DueMessage(
            f"follow-up:{participant.id}:{planned_on}", "follow-up", participant.drive,
            email, participant.name, _l("Did you manage to donate?"), "follow_up",
            {"participant": participant, "report_link": report_link(participant)},
            language=participant.language,
        )


def _recent_donations(since: datetime) -> list[Donation]:
    return list(db.session.scalars(
        db.select(Donation).where(Donation.created_at >= since, standing())
        .order_by(Donation.id)
    ))


def _donate_again_notes(donations: list[Donation]) -> Iterator[DueMessage]:
    """After a donation, the date the donor may give again by the drive's region."""
    for donation in donations:
        participant = donation.participant
        if participant is None or not participant.email:
            continue
        drive = donation.drive
        yield DueMessage(
            f"donate-again:{donation.id}", "donate-again", drive, participant.email, participant.name,
            _l("Thank you for donating"), "donate_again",
            {"participant": participant, "donation": donation, "region": region_of(drive.region),
             "dates": next_donation_dates(drive.region, donation.donation_type, donation.donated_on)},
            language=participant.language,
        )


def _organisers(drive: Drive) -> list[User]:
    return list(db.session.scalars(
        db.select(User).join(DriveOrganiser).where(DriveOrganiser.drive_id == drive.id).order_by(User.id)
    ))


def _to_organisers(drive: Drive, key: str, kind: str, subject: str | LazyString, template: str,
                   context: dict) -> Iterator[DueMessage]:
    for organiser in _organisers(drive):
        yield DueMessage(f"{key}:{organiser.id}", kind, drive, organiser.email, organiser.name,
                         subject, template, {"organiser": organiser, **context})


def _organiser_notes(since: datetime, donations: list[Donation]) -> Iterator[DueMessage]:
    new_participants = db.session.scalars(
        db.select(Participant).where(Participant.created_at >= since).order_by(Participant.id)
    )
    for participant in new_participants:
        yield from _to_organisers(participant.drive, f"new-sign-up:{participant.id}", "new-sign-up",
                                  _l("%(name)s signed up", name=participant.name), "organiser_sign_up",
                                  {"participant": participant})
    for donation in donations:
        if donation.logged_by is LoggedBy.PARTICIPANT and donation.status is DonationStatus.REPORTED:
            yield from _to_organisers(donation.drive, f"reported:{donation.id}", "reported",
                                      _l("A donation is waiting for your check"), "organiser_reported",
                                      {"donation": donation})
    drives = {donation.drive_id: donation.drive for donation in donations}
    for drive_id, progress in progress_of_drives(drives.values()).items():
        if progress.target_reached:
            yield from _to_organisers(drives[drive_id], f"target-reached:{drive_id}", "target-reached",
                                      _l("Target reached"), "organiser_target", {"progress": progress})


def due_messages() -> Iterator[DueMessage]:
    """Everything that should have gone out by now, whether or not it already has."""
    now = datetime.now(UTC)
    since = now - LOOKBACK
    donations = _recent_donations(since)
    yield from _reminders(now)
    yield from _follow_ups(now)
    yield from _donate_again_notes(donations)
    yield from _organiser_notes(since, donations)


def _queue_one(message: DueMessage) -> bool:
    """Into the outbox, once: False when an earlier run queued it or the address opted out."""
    with writing():
        queued = mailings.queue_about_drive(
            mailings.AboutDrive(message.drive, message.to_email, message.subject, message.template,
                                key=message.key, kind=message.kind, to_name=message.to_name,
                                language=message.language),
            **message.context,
        )
        db.session.commit()
    return queued


def queue_due() -> int:
    """Queue every due message not queued before, and say how many that was. Two runs at once
    (workers, cron) each take the write lock per message in turn; the keys keep each message single."""
    due = list(due_messages())
    db.session.commit()  # ends the reading transaction: each message takes the write lock itself
    return sum(_queue_one(message) for message in due)


@click.command("send-reminders")
@click.option("--base-url", default=None,
              help="Where the app is served, for links in emails (default: from SERVER_NAME).")
@with_appcontext
def send_reminders_command(base_url: str | None) -> None:
    """Queue the reminders and notes that are due, and deliver the outbox. The worker does this
    on its own (flask worker); safe to run from cron as well, even twice at once."""
    if base_url is None and not current_app.config.get("SERVER_NAME"):
        raise click.UsageError("Set SERVER_NAME or pass --base-url, so emailed links point at your site.")
    with current_app.test_request_context(base_url=base_url) if base_url else current_app.app_context():
        queued = queue_due()
    outbox.deliver_due()
    found = outbox.state()
    # For the operator: English, like the logs.
    click.echo(f"Queued {quantity(queued, 'message', 'messages')}; {found.waiting} waiting in the outbox.")
    if found.retrying:
        # A non-zero exit makes cron report it; nothing is lost, the outbox tries again.
        raise click.ClickException(f"{quantity(found.retrying, 'message', 'messages')} could not be delivered "
                                   "yet (is the mail server available?); the outbox will try again.")

