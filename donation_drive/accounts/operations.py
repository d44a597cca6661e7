"""Organiser accounts: registering, confirming the address, checking a password."""

import hmac
import secrets
from datetime import UTC, datetime

from flask import current_app
from werkzeug.security import check_password_hash

from ..core.database import add_unique
from ..core.extensions import db
from .models import User
from .passwords import check_password, dummy_hash, hash_password


class _AlreadyRegistered(Exception):
    """Raised inside `register` only; callers get None and must not tell the visitor."""


def register(name: str, email: str, password: str) -> User | None:
    """An account waiting for its address to be confirmed; None when the address has an account.

    Nobody may learn from the registration form which addresses have accounts, so the
    caller answers both cases alike and only the address's owner hears, by email, which it was.
    Registering an address that was never confirmed again starts over with the new name and
    password: the first try may have been someone else's.
    """
    check_password(password, email=email, name=name)
    # Hashed before the look-up, so both answers take the same time.
    password_hash = hash_password(password)
    user = user_by_email(email)
    if user is not None:
        if user.email_confirmed_at is not None:
            return None
        user.name, user.password_hash = name, password_hash
        db.session.flush()
        return user
    user = User(name=name, email=email, password_hash=password_hash)
    try:
        add_unique(user, _AlreadyRegistered)
    except _AlreadyRegistered:  # the same address registered at the same moment
        return None
    return user


def confirm_email(user: User) -> None:
    """The owner of the address opened the emailed link (or a password-reset link)."""
    if user.email_confirmed_at is None:
        user.email_confirmed_at = datetime.now(UTC)
        db.session.flush()


def confirm_with_password(user: User, password: str) -> bool:
    """Confirm the address only for whoever knows the password chosen when registering.

    The emailed link proves the address, not who registered it: someone may have registered
    another person's address and be waiting for its owner to click.
    """
    if not check_password_hash(user.password_hash, password):
        return False
    confirm_email(user)
    return True


def confirm_with_new_password(user: User, new_password: str) -> None:
    """The address's owner confirms with a password of their own; the registrant's stops working.

    Sessions end too, so whoever registered the address keeps no way in.
    """
    check_password(new_password, email=user.email, name=user.name)
    user.password_hash = hash_password(new_password)
    end_sessions(user)
    confirm_email(user)


def user_by_email(email: str) -> User | None:
    return db.session.scalar(db.select(User).where(User.email == email))


def authenticate(email: str, password: str) -> User | None:
    user = db.session.scalar(db.select(User).where(User.email == email))
    if user is None:
        check_password_hash(dummy_hash(current_app.config["PASSWORD_HASH_METHOD"]), password)
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
