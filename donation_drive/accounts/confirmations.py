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


def pending_confirmation(token: str) -> Confirmation | None:
    """The unconfirmed account a link belongs to; None if forged, expired, stale or used."""
    try:
        claims = _serializer().loads(token, max_age=LIFETIME_SECONDS)
    except BadSignature:  # also raised, as its subclass, when the link has expired
        return None
    if not isinstance(claims, dict) or not isinstance(claims.get("user"), int):
        return None
    user = db.session.get(User, claims["user"])
    if user is None or user.email_confirmed_at is not None:
        return None
    if not hmac.compare_digest(_fingerprint(user), str(claims.get("password"))):
        return None
    next_path = claims.get("next")
    return Confirmation(user, next_path if isinstance(next_path, str) else None)
