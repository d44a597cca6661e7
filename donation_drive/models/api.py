"""Personal API tokens: how a script or a blood service's system acts for an organiser."""

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..core.extensions import Model
from .core import Moment, User, utcnow

#: Longest label an organiser may give a token ("Spreadsheet script").
TOKEN_NAME_MAX = 80


class ApiToken(Model):
    """One personal API token; only its SHA-256 is stored, the secret is shown once."""

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    #: What the organiser called it, so they know which one to revoke.
    name: Mapped[str] = mapped_column(String(TOKEN_NAME_MAX))
    #: SHA-256 hex of the secret (tokens.token_hash).
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    #: The first characters of the secret, shown to tell tokens apart; too short to guess the rest.
    prefix: Mapped[str] = mapped_column(String(12))
    created_at: Mapped[Moment] = mapped_column(default=utcnow)
    #: Updated at most once a minute, so a busy script does not write on every call.
    last_used_at: Mapped[Moment | None]
    #: Set when revoked; a revoked token authenticates nobody.
    revoked_at: Mapped[Moment | None]

    user: Mapped[User] = relationship()

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None
