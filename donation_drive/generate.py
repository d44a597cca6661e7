"""Generated data for scale checks: one organiser with many drives, each with many friends.

    flask --app donation_drive generate --drives 500 --participants 20

Rows go in through the models (so every default and hook applies), one drive per
transaction, so a running app is never locked out for long.
"""

import json
import secrets
from datetime import timedelta

import click
from flask.cli import with_appcontext

from .accounts import operations as accounts
from .accounts.models import User
from .core.extensions import db
from .core.rules import today
from .core.tokens import new_private_link_token, token_hash
from .donations.models import Donation, DonationStatus, DonationType, LoggedBy
from .drives import operations as drives
from .drives.models import Dedication, Visibility
from .participation.models import Participant

DEFAULT_EMAIL = "generated-organiser@example.org"


def generated_organiser(email: str) -> tuple[User, str | None]:
    """The organiser with `email`, created with a fresh password (returned) if new."""
    existing = accounts.user_by_email(email)
    if existing is not None:
        return existing, None
    password = secrets.token_urlsafe(18)
    user = accounts.register("Generated Organiser", email, password)
    if user is None:  # registered by someone else between the look-up and now
        raise click.ClickException(f"{email} was registered meanwhile; run the command again to use that account.")
    accounts.confirm_email(user)
    db.session.commit()
    return user, password


def generate_drive(owner: User, number: int, participants: int, donated_share: float) -> str:
    """One open drive with `participants` friends, the first `donated_share` of them donated; its slug."""
    start = today()
    drive = drives.create_drive(owner, drives.DriveDetails(
        title=f"Generated drive {number:05d}",
        dedication=Dedication.CAUSE,
        honoree="blood stocks",
        story="Generated for a scale check.",
        target_units=max(1, participants),
        starts_on=start,
        ends_on=start + timedelta(days=60),
        place="Leeds",
        visibility=Visibility.PUBLIC,
    ))
    friends = [
        Participant(drive_id=drive.id, name=f"Friend {n}", email=None, show_name=n % 2 == 0,
                    units_pledged=1, donation_type=DonationType.WHOLE_BLOOD,
                    private_link_hash=token_hash(new_private_link_token()))
        for n in range(participants)
    ]
    db.session.add_all(friends)
    db.session.flush()
    db.session.add_all(
        Donation(drive_id=drive.id, participant_id=friend.id, units=1, donation_type=DonationType.WHOLE_BLOOD,
                 donated_on=start, logged_by=LoggedBy.PARTICIPANT, status=DonationStatus.REPORTED)
        for friend in friends[: int(len(friends) * donated_share)]
    )
    db.session.commit()
    return drive.slug


@click.command("generate")
@click.option("--drives", "drive_count", type=click.IntRange(1, 100_000), default=10, show_default=True,
              help="How many drives the organiser gets.")
@click.option("--participants", type=click.IntRange(0, 100_000), default=20, show_default=True,
              help="Participants in each drive.")
@click.option("--donated", "donated_share", type=click.FloatRange(0, 1), default=0.5, show_default=True,
              help="Share of participants who reported a donation.")
@click.option("--email", default=DEFAULT_EMAIL, show_default=True, help="The organiser's email.")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON summary (for bench/run.py).")
@with_appcontext
def generate_command(drive_count: int, participants: int, donated_share: float, email: str, as_json: bool) -> None:
    """Create generated drives, participants and donations for a scale check."""
    owner, password = generated_organiser(email)
    slugs = [generate_drive(owner, number, participants, donated_share) for number in range(1, drive_count + 1)]
    first = drives.public_drive(slugs[0])
    summary = {"email": email, "password": password, "drives": len(slugs), "participants_each": participants,
               "first_slug": slugs[0], "first_invite_code": first.invite_code if first else None}
    if as_json:
        click.echo(json.dumps(summary))
        return
    click.echo(f"Created {len(slugs)} drives with {participants} participants each for {email}.")
    if password:
        click.echo(f"Password for {email}: {password}")
    click.echo(f"First drive: /d/{slugs[0]}")
