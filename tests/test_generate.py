"""`flask generate` makes an organiser with many drives, for scale checks."""

import json

import sqlalchemy as sa

from donation_drive.models import Donation, DriveOrganiser, Participant, User


def test_generate_makes_drives_participants_and_donations_for_one_organiser(app, db):
    result = app.test_cli_runner().invoke(args=["generate", "--drives", "3", "--participants", "4", "--json"])
    assert result.exit_code == 0, result.output
    summary = json.loads(result.output)
    assert summary["drives"] == 3 and summary["password"]
    db.session.rollback()
    organiser = db.session.scalar(sa.select(User).where(User.email == summary["email"]))
    assert db.session.scalar(sa.select(sa.func.count()).select_from(DriveOrganiser)
                             .where(DriveOrganiser.user_id == organiser.id)) == 3
    assert db.session.scalar(sa.select(sa.func.count(Participant.id))) == 12
    assert db.session.scalar(sa.select(sa.func.count(Donation.id))) == 6

    again = app.test_cli_runner().invoke(args=["generate", "--drives", "1", "--participants", "0", "--json"])
    assert json.loads(again.output)["password"] is None  # the same organiser, more drives
    assert app.test_client().get(f"/d/{summary['first_slug']}").status_code == 200


def test_generate_refuses_nonsense_counts(app):
    result = app.test_cli_runner().invoke(args=["generate", "--drives", "0"])
    assert result.exit_code == 2
    assert "--drives" in result.output
