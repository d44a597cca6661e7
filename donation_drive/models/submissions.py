"""Forms already sent, so a form sent twice (Back and submit, a double click) makes its row once."""

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from ..core.extensions import Model
from .core import Moment, utcnow


class FormSubmission(Model):
    """One form that created something, and the id of what it created.

    Every creating form carries a random one-time key; (kind, hash of the key) is the primary key
    here, so a second POST of the same rendered form cannot create twice even when both arrive at
    once. No foreign key: the row only remembers an id, and a repeat whose row is gone is refused.
    """

    #: Which form: "sign up", "report", "log units"... (see core/submissions.py).
    kind: Mapped[str] = mapped_column(String(40), primary_key=True)
    #: SHA-256 of the key rendered in the form.
    key_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    #: Who sent it and where ("user:7 drive:3"): the same key from anyone else is refused.
    sender: Mapped[str] = mapped_column(String(80))
    #: The id of the row the form created (a participant, a donation, a drive...).
    created_id: Mapped[int]
    created_at: Mapped[Moment] = mapped_column(default=utcnow)
