"""Resetting a forgotten password with an emailed, single-use, expiring link. Operations flush."""

from datetime import UTC, datetime, timedelta

from ..core.extensions import db
from ..core.tokens import new_private_link_token, token_hash
from . import operations as accounts
from .models import PasswordReset, User
from .passwords import check_password, hash_password

#: How long an emailed link works: long enough to find the message, short enough to be safe.
LIFETIME = timedelta(hours=1)


def _now() -> datetime:
    return datetime.now(UTC)


def _aware(moment: datetime) -> datetime:
    """SQLite hands back naive datetimes; every moment here is stored in UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def start_reset(email: str) -> tuple[User, str] | None:
    """A new reset link for the account with this email, or None when there is none."""
    user = accounts.user_by_email(email)
    if user is None:
        return None
    token = new_private_link_token()
    db.session.add(PasswordReset(user=user, token_hash=token_hash(token), expires_at=_now() + LIFETIME))
    db.session.flush()
    return user, token


def usable_reset(token: str) -> PasswordReset | None:
    """The reset a link's secret belongs to, if it is unused and not expired."""
    reset = db.session.scalar(db.select(PasswordReset).where(PasswordReset.token_hash == token_hash(token)))
    if reset is None or reset.used_at is not None or _aware(reset.expires_at) <= _now():
        return None
    return reset


def finish_reset(reset: PasswordReset, new_password: str) -> User:
    """Set the new password, void every reset link of the account, and end all its sessions.

    The link came by email, so it also confirms the address of an account not yet confirmed.
    """
    user = reset.user
    check_password(new_password, email=user.email, name=user.name)
    user.password_hash = hash_password(new_password)
    now = _now()
    for pending in db.session.scalars(
        db.select(PasswordReset).where(PasswordReset.user_id == user.id, PasswordReset.used_at.is_(None))
    ):
        pending.used_at = now
    accounts.end_sessions(user)
    accounts.confirm_email(user)
    return user
