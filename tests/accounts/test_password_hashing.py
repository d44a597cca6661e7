"""Passwords are hashed with scrypt at full strength, unless a test config asks for a cheap hash."""

import sqlalchemy as sa

from donation_drive import create_app
from donation_drive.models import User
from support import FAST_PASSWORD_HASH


def test_a_production_app_hashes_passwords_with_scrypt_at_full_strength(app, browser, db, tmp_path):
    production = create_app({"INSTANCE_PATH": str(tmp_path / "production"), "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    app.config["PASSWORD_HASH_METHOD"] = production.config["PASSWORD_HASH_METHOD"]
    browser.register(email="sam@example.org")
    stored = db.session.scalar(sa.select(User.password_hash).where(User.email == "sam@example.org"))
    assert stored.startswith("scrypt:32768:8:1$")  # werkzeug's default cost: n=2**15, r=8, p=1
    assert browser.login().status_code == 302


def test_the_tests_hash_cheaply_and_the_cheap_hash_still_checks_the_password(app, browser, db):
    assert app.config["PASSWORD_HASH_METHOD"] == FAST_PASSWORD_HASH
    browser.register(email="sam@example.org")
    stored = db.session.scalar(sa.select(User.password_hash).where(User.email == "sam@example.org"))
    assert stored.startswith("pbkdf2:sha256:1$")
    assert browser.login(password="not the password at all").status_code == 422
    assert browser.login().status_code == 302
