"""Leaving, approving and hiding words of support, and the ones a drive's pages show."""

from dataclasses import dataclass
from datetime import datetime

from ..core.extensions import db
from ..drives.models import Drive
from ..privacy.names import shown_name
from .models import SupportMessage, SupportStatus

#: Most messages a public page shows, newest first.
SHOWN_MESSAGES_MAX = 50

#: What a message says of its author when they chose not to be named.
UNNAMED_AUTHOR = "A friend"


@dataclass(frozen=True)
class ShownMessage:
    """One approved message as the public pages show it: never more of the author than they chose."""

    author: str
    body: str
    left_at: datetime


def shown_messages(drive: Drive, limit: int = SHOWN_MESSAGES_MAX) -> list[ShownMessage]:
    """The drive's approved messages, newest first, in one query."""
    rows = db.session.scalars(
        db.select(SupportMessage)
        .where(SupportMessage.drive_id == drive.id, SupportMessage.status == SupportStatus.SHOWN)
        .order_by(SupportMessage.created_at.desc(), SupportMessage.id.desc())
        .limit(limit)
    )
    return [
        ShownMessage(
            author=shown_name(row.name, row.name_shown_as) if row.show_name else UNNAMED_AUTHOR,
            body=row.body,
            left_at=row.created_at,
        )
        for row in rows
    ]
