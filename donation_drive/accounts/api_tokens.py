"""Personal API tokens: created and revoked by an organiser, stored only as a SHA-256 hash."""

import secrets
from datetime import UTC, datetime, timedelta

from ..core.extensions import db
from ..core.i18n import ngettext
from ..core.rules import RuleBroken
from ..core.tokens import token_hash
from .models import ApiToken, User

#: Every token starts with this, so a leaked one is easy to recognise in code or logs.
TOKEN_PREFIX = "dd_"  # noqa: S105 (a public prefix, not a secret)
#: 32 random bytes, as for a private link.
TOKEN_BYTES = 32
#: Characters of the secret shown on the account page to tell tokens apart.
SHOWN_PREFIX_LENGTH = 10
#: A token's last use is written at most this often.
LAST_USED_RESOLUTION = timedelta(minutes=1)
#: Enough for several scripts; a cap keeps a hijacked account from minting thousands.
ACTIVE_TOKENS_MAX = 20


def create_token(user: User, name: str) -> tuple[ApiToken, str]:
    """A new token for `user`; returns the row and the secret, which is shown only once."""
    if len(active_tokens_of(user)) >= ACTIVE_TOKENS_MAX:
        raise RuleBroken(ngettext("You have %(num)s active token; revoke it first.",
                                  "You have %(num)s active tokens; revoke one first.", ACTIVE_TOKENS_MAX), "name")
    secret = TOKEN_PREFIX + secrets.token_urlsafe(TOKEN_BYTES)
    token = ApiToken(
        user_id=user.id, name=name, token_hash=token_hash(secret), prefix=secret[:SHOWN_PREFIX_LENGTH]
    )
    db.session.add(token)
    db.session.flush()
    return token, secret


def active_tokens_of(user: User) -> list[ApiToken]:
    return list(
        db.session.scalars(
            db.select(ApiToken)
            .where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))
            .order_by(ApiToken.created_at.desc(), ApiToken.id.desc())
        )
    )


def token_of(user: User, token_id: int) -> ApiToken | None:
    """The user's own token, or None, so a view can say 404 for anyone else's."""
    return db.session.scalar(
        db.select(ApiToken).where(ApiToken.id == token_id, ApiToken.user_id == user.id)
    )


def revoke_token(token: ApiToken) -> None:
    if token.revoked_at is None:
        token.revoked_at = datetime.now(UTC)
        db.session.flush()


def user_for_token(secret: str) -> User | None:
    """The organiser a presented secret belongs to; None when unknown or revoked."""
    if not secret.startswith(TOKEN_PREFIX):
        return None
    token = db.session.scalar(db.select(ApiToken).where(ApiToken.token_hash == token_hash(secret)))
    if token is None or not token.is_active:
        return None
    now = datetime.now(UTC)
    last = token.last_used_at
    if last is None or (last if last.tzinfo else last.replace(tzinfo=UTC)) < now - LAST_USED_RESOLUTION:
        token.last_used_at = now
        db.session.flush()
    return token.user
