"""Confirming an organiser's email address: the emailed link that opens a new account.

The link carries a signed, timed token rather than a stored secret: it names the account and
a fingerprint of its password hash. Registering the address again (which sets a new password)
or confirming it makes older links stop working, so a link confirms only the registration it
was sent for — nobody can register someone else's address and have its owner confirm the
stranger's password.
"""

import hashlib
import hmac
from dataclasses import dataclass

from itsdangerous import BadSignature, URLSafeTimedSerializer

from ..core.extensions import db
from ..core.secret_key import current_secret_key
from .models import User
from .operations import user_by_email

#: Long enough to find the message after a weekend away, short enough that old mail is harmless.
LIFETIME_SECONDS = 3 * 24 * 60 * 60
_SALT = "donation-drive confirm email"


@dataclass(frozen=True)
class Confirmation:
    """What a valid link stands for: the account to open and where to go afterwards."""

    user: User
    next_path: str | None


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_secret_key(), salt=_SALT)


def _fingerprint(user: User) -> str:
    return hashlib.sha256(user.password_hash.encode()).hexdigest()[:32]


def confirmation_token(user: User, next_path: str | None = None) -> str:
    """The secret part of the link that confirms `user`'s address, then goes to `next_path`."""
    return _serializer().dumps({"user": user.id, "password": _fingerprint(user), "next": next_path})


def _claims(token: str, max_age: int | None) -> dict | None:
    """What a link we signed says; None if forged, or older than `max_age` seconds."""
    try:
        claims = _serializer().loads(token, max_age=max_age)
    except BadSignature:  # also raised, as its subclass, when the link has expired
        return None
    return claims if isinstance(claims, dict) else None


def _next_path(claims: dict) -> str | None:
    next_path = claims.get("next")
    return next_path if isinstance(next_path, str) else None


def pending_confirmation(token: str) -> Confirmation | None:
    """The unconfirmed account a link belongs to; None if forged, expired, stale or used."""
    claims = _claims(token, LIFETIME_SECONDS)
    if claims is None or not isinstance(claims.get("user"), int):
        return None
    user = db.session.get(User, claims["user"])
    if user is None or user.email_confirmed_at is not None:
        return None
    if not hmac.compare_digest(_fingerprint(user), str(claims.get("password"))):
        return None
    return Confirmation(user, _next_path(claims))


def intended_path(token: str) -> str | None:
    """Where a link we sent was leading, even once it has expired or been used; None if forged.

    Someone opening an old link still gets to carry on where they meant to go, after logging in.
    """
    claims = _claims(token, max_age=None)
    return _next_path(claims) if claims is not None else None


def awaiting_account(email: str) -> User | None:
    """The account registered with `email` that still waits for its address to be confirmed."""
    user = user_by_email(email)
    return user if user is not None and user.email_confirmed_at is None else None
