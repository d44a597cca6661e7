"""Column types every feature's models share, and the forms already sent (core/submissions.py)."""

import enum
from datetime import UTC, datetime
from typing import Annotated

from sqlalchemy import DateTime, Enum, String
from sqlalchemy.orm import Mapped, mapped_column

from .extensions import Model

#: A moment stored with its zone, so SQLite and PostgreSQL agree.
Moment = Annotated[datetime, mapped_column(DateTime(timezone=True))]

def utcnow() -> datetime:
    return datetime.now(UTC)

def enum_column(enum_class: type[enum.Enum], name: str) -> Enum:
    # Stored as the readable value, checked by a named constraint rather than a PostgreSQL type.
    return Enum(
        enum_class,
        name=name,
        native_enum=False,
        create_constraint=True,
        length=20,
        values_callable=lambda members: [member.value for member in members],
    )

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
