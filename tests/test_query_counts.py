"""A shared page costs the same whoever has joined: SQL statements do not grow with participants."""

import secrets

import pytest
from sqlalchemy import insert, select

from donation_drive.core.extensions import db as _db
from donation_drive.core.rules import today
from donation_drive.models import Donation, DonationStatus, DonationType, Drive, LoggedBy, Participant
from donation_drive.public.caching import clear_caches
from test_api_public import seed_drive, seed_organiser
from test_caching import Spy

VIEWS = ["/d/big-drive", "/api/v1/drives/big-drive", "/api/drives/big-drive",
         "/api/v1/drives/big-drive/participants", "/d/big-drive/badge.svg", "/d/big-drive/embed",
         "/d/big-drive/preview.png", "/d/big-drive/live", "/d/big-drive/embed/live"]


def insert_donors(session, drive_id: int, count: int, name: str) -> None:
    """`count` friends (every other one shown, named `name` with {n} filled in) and one reported
    donation each, inserted in bulk."""
    salt = secrets.token_hex(4)
    session.execute(insert(Participant), [
        {"drive_id": drive_id, "name": name.format(n=n), "show_name": n % 2 == 0, "units_pledged": 1,
         "donation_type": DonationType.WHOLE_BLOOD, "private_link_hash": f"{salt}{n:056d}"}
        for n in range(count)
    ])
    ids = session.scalars(select(Participant.id).where(Participant.drive_id == drive_id)).all()
    session.execute(insert(Donation), [
        {"drive_id": drive_id, "participant_id": pid, "units": 1, "donation_type": DonationType.WHOLE_BLOOD,
         "donated_on": today(), "logged_by": LoggedBy.PARTICIPANT, "status": DonationStatus.REPORTED}
        for pid in ids
    ])


def seed_crowd(app, participants: int) -> None:
    """A drive with `participants` friends (every other one shown) and one donation each, in bulk."""
    with app.test_request_context():
        drive = seed_drive(seed_organiser(), "Big drive", target=10_000)
        _db.session.commit()
        drive_id = drive.id
        insert_donors(_db.session, drive_id, participants, "Friend {n} Surname")
        _db.session.commit()
        _db.session.remove()


def statements_per_view(app) -> dict[str, int]:
    client = app.test_client()
    counts = {}
    for path in VIEWS:
        clear_caches(app)  # the cold path: nothing remembered, everything read and rendered
        with Spy(app) as spy:
            response = client.get(path)
        assert response.status_code == 200, path
        counts[path] = len(spy.statements)
    return counts


@pytest.fixture
def counts_for(app):
    def count(participants: int) -> dict[str, int]:
        seed_crowd(app, participants)
        return statements_per_view(app)
    return count


def test_views_take_as_many_queries_for_10_as_for_10000_participants(app, counts_for, db):
    small = counts_for(10)
    # Same app, same drive: add 9,990 more and count again.
    drive_id = db.session.scalar(db.select(Drive.id).where(Drive.slug == "big-drive"))
    salt = secrets.token_hex(4)
    db.session.execute(insert(Participant), [
        {"drive_id": drive_id, "name": f"Crowd {n}", "show_name": n % 3 == 0, "units_pledged": 1,
         "donation_type": DonationType.WHOLE_BLOOD, "private_link_hash": f"{salt}{n:056d}"}
        for n in range(9_990)
    ])
    db.session.commit()
    large = statements_per_view(app)
    assert db.session.scalar(db.select(db.func.count(Participant.id))) == 10_000
    assert large == small, (small, large)
    # The progress page is the most: one query per part it shows (count, names, milestones, ripple,
    # cover, memorial, updates, words of support…), each independent of how many take part.
    assert max(small.values()) <= 13, small
    page = app.test_client().get("/d/big-drive").get_data(as_text=True)
    assert "10 of 10,000 units" in page


def test_the_units_board_takes_one_query_for_3_or_300_donors(app, db):
    """Seven drops, however many friends gave: the board reads only the donations it can draw."""
    def statements_with(donors: int) -> dict[str, int]:
        db.session.execute(db.delete(Donation))
        db.session.execute(db.delete(Participant))
        db.session.commit()
        drive_id = db.session.scalar(db.select(Drive.id).where(Drive.slug == "big-drive"))
        insert_donors(db.session, drive_id, donors, "Donor {n}")
        db.session.commit()
        return statements_per_view(app)

    seed_crowd(app, 1)
    db.session.execute(db.update(Drive).where(Drive.slug == "big-drive").values(target_units=7))
    db.session.commit()
    few, many = statements_with(3), statements_with(300)
    assert few == many, (few, many)
    assert max(few.values()) <= 14, few
    page = app.test_client().get("/d/big-drive").get_data(as_text=True)
    assert "300 of 7 units" in page and page.count("board__mark--filled") == 40
