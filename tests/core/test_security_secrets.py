"""Secrets are stored only as hashes: a test that reads the database directly."""

import hashlib
import re

import sqlalchemy as sa

from support import outbox
from test_journeys import create_drive, invite_path, sign_up


def all_stored_text(db) -> str:
    """Every value of every row of every table, as one string."""
    with db.engine.connect() as connection:
        return "\n".join(
            repr(tuple(row)) for table in db.metadata.sorted_tables for row in connection.execute(sa.select(table))
        )


def test_private_links_and_reset_links_are_stored_only_as_sha256_hashes(app, browser, db):
    browser.register(password="a long enough password")
    invite = invite_path(browser, create_drive(browser))
    browser.logout()
    private = sign_up(browser, invite, "Ann", email="ann@example.org")
    token = private.rsplit("/", 1)[1]
    browser.submit("/auth/reset/", {"email": "sam@example.org"})
    [reset_mail] = [m for m in outbox(app) if "password" in m["Subject"]]
    reset_token = re.search(r"/auth/reset/([\w-]+)", reset_mail.get_body(("plain",)).get_content()).group(1)

    with db.engine.connect() as connection:
        stored_link_hash = connection.execute(sa.text("SELECT private_link_hash FROM participant")).scalar_one()
        stored_reset_hash = connection.execute(sa.text("SELECT token_hash FROM password_reset")).scalar_one()
        password_hash = connection.execute(sa.text('SELECT password_hash FROM "user"')).scalar_one()
    assert stored_link_hash == hashlib.sha256(token.encode()).hexdigest()
    assert stored_reset_hash == hashlib.sha256(reset_token.encode()).hexdigest()
    assert password_hash.startswith(("scrypt:", "pbkdf2:"))

    everything = all_stored_text(db)
    assert token not in everything
    assert reset_token not in everything
    assert "a long enough password" not in everything
    # At least 128 bits of randomness: 32 bytes, URL-safe base64.
    assert len(token) >= 43 and len(reset_token) >= 43
