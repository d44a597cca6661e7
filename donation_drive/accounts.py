"""Organiser accounts: registering and checking a password."""

import hmac
import secrets

from werkzeug.security import check_password_hash, generate_password_hash

from .database import add_unique
from .extensions import db
from .models import User
from .passwords import check_password

# Checked when no account matches, so a wrong email takes as long as a wrong password.
_DUMMY_HASH = generate_password_hash("not a real password")


class _AlreadyRegistered(Exception):
    """Raised inside `register` only; callers get None and must not tell the visitor."""


def register(name: str, email: str, password: str) -> User | None:
    """Create an account; None when the email already has one.

    Nobody may learn from the registration form which addresses have accounts, so the
    caller treats None like success and tells the address's owner by email instead.
    """
    check_password(password, email=email, name=name)
    # Hashed before the look-up, so both answers take the same time.
    password_hash = generate_password_hash(password)
    if db.session.scalar(db.select(User.id).where(User.email == email)) is not None:
        return None
    user = User(name=name, email=email, password_hash=password_hash)
    try:
        add_unique(user, _AlreadyRegistered)
    except _AlreadyRegistered:  # the same address registered at the same moment
        return None
    return user


def user_by_email(email: str) -> User | None:
    return db.session.scalar(db.select(User).where(User.email == email))


def authenticate(email: str, password: str) -> User | None:
    user = db.session.scalar(db.select(User).where(User.email == email))
    if user is None:
        check_password_hash(_DUMMY_HASH, password)
        return None
    return user if check_password_hash(user.password_hash, password) else None


def load_user(user_id: str) -> User | None:
    """The user a session names as "<id>.<nonce>", only while that nonce is still theirs."""
    number, _, nonce = user_id.partition(".")
    if not number.isdigit() or not nonce:
        return None
    user = db.session.get(User, int(number))
    if user is None or not hmac.compare_digest(user.session_nonce, nonce):
        return None
    return user


def end_sessions(user: User) -> None:
    """Log the user out everywhere: every session cookie issued so far stops working.

    Session cookies are signed, not stored, so a copy would outlive a plain logout; changing
    the nonce they carry is what really ends them.
    """
    user.session_nonce = secrets.token_hex(16)
    db.session.flush()
