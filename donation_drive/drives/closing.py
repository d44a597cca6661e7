"""Closing a drive, with the family's closing message, and reopening it.

Closing turns the progress page into the drive's memorial (public/tribute.py); the message is what
the family says there, under the board. The worker's automatic close (lifecycle.close_ended_drives)
writes none, and the organisers may write or change it later.
"""

from datetime import UTC, datetime

from ..accounts.models import User
from ..core.extensions import db
from ..core.i18n import lazy_gettext as _l, lazy_ngettext
from ..core.text import plain_text
from . import activity
from .models import Drive, DriveStatus

#: The longest closing message: a few paragraphs, enough for thanks and what the drive meant.
CLOSING_MESSAGE_MAX = 2000
CLOSING_MESSAGE_FIELD = "closing_message"
TOO_LONG = lazy_ngettext("Please keep the closing message under %(num)s character.",
                         "Please keep the closing message under %(num)s characters.", CLOSING_MESSAGE_MAX)


def clean_closing_message(text: str | None) -> str:
    """The message as it is kept: plain text, line breaks kept, spaces at line ends and extra blank
    lines dropped; "" for none.

    It is always shown escaped, its line breaks kept, never as HTML (as words of support are), so
    what is refused is only what nobody types: control characters, and NUL, which PostgreSQL
    can't store. Raises RuleBroken on the closing_message field, also when it is too long.
    """
    return plain_text(text, CLOSING_MESSAGE_FIELD, CLOSING_MESSAGE_MAX, TOO_LONG)


def close_drive(drive: Drive, actor: User, closing_message: str = "") -> None:
    """Close the drive with the family's closing message; its page becomes its memorial.

    A drive already closed keeps its closing time and only takes the new message, so a form
    sent twice closes once.
    """
    message = clean_closing_message(closing_message)
    if not drive.is_open:
        set_closing_message(drive, actor, message)
        return
    drive.status = DriveStatus.CLOSED
    drive.closed_at = datetime.now(UTC)
    drive.closing_message = message
    db.session.flush()
    activity.record(drive, _l("closed the drive with a closing message") if message else _l("closed the drive"), actor)


def set_closing_message(drive: Drive, actor: User, closing_message: str) -> None:
    """Write, change or remove the message a closed drive's memorial shows."""
    message = clean_closing_message(closing_message)
    if message == drive.closing_message:
        return
    if not message:
        summary = _l("removed the closing message")
    else:
        summary = _l("changed the closing message") if drive.closing_message else _l("wrote the closing message")
    drive.closing_message = message
    db.session.flush()
    activity.record(drive, summary, actor)


def reopen_drive(drive: Drive, actor: User) -> None:
    """Open the drive again; its closing message is kept for when it closes again."""
    drive.status = DriveStatus.OPEN
    drive.closed_at = None
    db.session.flush()
    activity.record(drive, _l("reopened the drive"), actor)
