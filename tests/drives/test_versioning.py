"""A drive's version: a domain rule of its own (drives/versioning.py), kept by the app's session.

What its pages cache on is tested in test_caching.py; here, what bumps the version and who hears of it.
"""

import pytest
from sqlalchemy.orm import Session

import factories
from donation_drive.core.rules import RuleBroken
from donation_drive.drives import versioning
from donation_drive.models import Drive


def version_of(db, slug: str) -> int:
    return db.session.execute(db.select(Drive.version).where(Drive.slug == slug)).scalar_one()


def test_a_change_to_what_the_public_sees_bumps_the_version_and_is_announced_after_the_commit(db):
    jack = factories.drive(factories.organiser())
    db.session.commit()
    before = version_of(db, jack.slug)
    heard: list[set[str]] = []

    def hear(_session, slugs):
        heard.append(slugs)

    with versioning.drives_changed.connected_to(hear):
        factories.participant(jack, "Ben")
        db.session.flush()
        assert heard == [], "announced before the commit"
        db.session.commit()
    assert version_of(db, jack.slug) == before + 1
    assert heard == [{jack.slug}]


def test_a_rolled_back_change_is_never_announced(db):
    jack = factories.drive(factories.organiser())
    db.session.commit()
    heard: list[set[str]] = []

    def hear(_session, slugs):
        heard.append(slugs)

    with versioning.drives_changed.connected_to(hear):
        factories.participant(jack, "Ben")
        db.session.flush()
        db.session.rollback()
        db.session.commit()
    assert heard == []


def test_a_session_other_than_the_apps_is_left_alone(db):
    """The listener is bound to the app's session, not to every SQLAlchemy session in the process."""
    jack = factories.drive(factories.organiser())
    db.session.commit()
    before = version_of(db, jack.slug)
    with Session(db.engine) as other:
        other.get(Drive, jack.id).title = "Seven for Jack"
        other.commit()
    db.session.expire_all()
    assert version_of(db, jack.slug) == before


def test_a_savepoint_rolled_back_keeps_the_changes_made_before_it(db):
    """As when add_unique's savepoint meets a clash: what the transaction did before still commits."""
    jack = factories.drive(factories.organiser())
    db.session.commit()
    heard: list[set[str]] = []

    def hear(_session, slugs):
        heard.append(slugs)

    with versioning.drives_changed.connected_to(hear):
        factories.participant(jack, "Ben")
        with pytest.raises(RuleBroken), db.session.begin_nested():
            factories.participant(jack, "Amira")
            raise RuleBroken("a clash, as add_unique raises it")
        assert heard == []
        db.session.commit()
    assert heard == [{jack.slug}]
