"""Leaving, showing, hiding and deleting words of support, and the ones a drive's pages show.

A message is kept as plain text: templates escape it and keep its line breaks, so no markup
anyone types is ever run or rendered (unlike the story, there is no Markdown to allow).
"""

from dataclasses import dataclass
from datetime import UTC, datetime

from flask_babel import gettext as _

from ..accounts.models import User
from ..core import limits
from ..core.extensions import db
from ..core.i18n import lazy_gettext as _l
from ..core.rules import RuleBroken
from ..core.text import CONTROL_CHARACTERS, has_control_characters, plain_text
from ..drives import activity
from ..drives.models import Drive
from ..participation.models import NameShownAs, Participant
from ..privacy.names import public_name
from .models import SUPPORT_MESSAGE_MAX, SupportMessage, SupportStatus

#: Most messages a public page shows, newest first.
SHOWN_MESSAGES_MAX = 50

#: What a message says of its author when they chose not to be named.
UNNAMED_AUTHOR = _l("A friend")

EMPTY_MESSAGE = _l("Please write a few words.")
LONG_MESSAGE = _l("Please keep your message under %(max)s characters.", max=SUPPORT_MESSAGE_MAX)
EMPTY_NAME = _l("Please enter a name.")


@dataclass(frozen=True)
class ShownMessage:
    """One approved message as the public pages show it: never more of the author than they chose."""

    author: str
    body: str
    left_at: datetime


@dataclass(frozen=True)
class Draft:
    """A message as its author wrote it, with how their name is to be shown."""

    body: str
    name: str
    show_name: bool
    name_shown_as: NameShownAs = NameShownAs.FIRST_NAME


def clean_body(text: str) -> str:
    """The message as it is kept: line breaks kept, spaces at line ends and extra blank lines dropped.

    Raises RuleBroken (on the body field) when it is empty, too long or holds control characters.
    """
    body = plain_text(text, "body", SUPPORT_MESSAGE_MAX, str(LONG_MESSAGE))
    if not body:
        raise RuleBroken(str(EMPTY_MESSAGE), "body")
    return body


def _clean_name(text: str) -> str:
    name = " ".join((text or "").split())
    if has_control_characters(name):
        raise RuleBroken(str(CONTROL_CHARACTERS), "name")
    if not name:
        raise RuleBroken(str(EMPTY_NAME), "name")
    if len(name) > limits.NAME_MAX:
        raise RuleBroken(_("Please keep this under %(max)s characters.", max=limits.NAME_MAX), "name")
    return name


def leave_message(drive: Drive, draft: Draft, participant: Participant | None = None) -> SupportMessage:
    """Keep a message for the organisers to read; nobody else sees it until one of them shows it.

    Open and closed drives alike take messages: a memorial gathers words too.
    """
    message = SupportMessage(
        drive_id=drive.id,
        participant_id=participant.id if participant else None,
        body=clean_body(draft.body),
        name=_clean_name(draft.name),
        show_name=draft.show_name,
        name_shown_as=draft.name_shown_as,
        status=SupportStatus.PENDING,
    )
    db.session.add(message)
    db.session.flush()
    return message


def author_as_shown(message: SupportMessage) -> str:
    """The author as the public pages name them: as they chose, or "A friend" (in the reader's language)."""
    return public_name(message.name, message.show_name, message.name_shown_as) or str(UNNAMED_AUTHOR)


def shown_messages(drive: Drive, limit: int = SHOWN_MESSAGES_MAX) -> list[ShownMessage]:
    """The drive's approved messages, newest first, in one query."""
    rows = db.session.scalars(
        db.select(SupportMessage)
        .where(SupportMessage.drive_id == drive.id, SupportMessage.status == SupportStatus.SHOWN)
        .order_by(SupportMessage.created_at.desc(), SupportMessage.id.desc())
        .limit(limit)
    )
    return [ShownMessage(author=author_as_shown(row), body=row.body, left_at=row.created_at) for row in rows]


def messages_of(drive: Drive) -> list[SupportMessage]:
    """Every message left on the drive, whatever its status, newest first: what its organisers read."""
    return list(db.session.scalars(
        db.select(SupportMessage)
        .where(SupportMessage.drive_id == drive.id)
        .order_by(SupportMessage.created_at.desc(), SupportMessage.id.desc())
    ))


def waiting_count(drive: Drive) -> int:
    """How many messages wait for an organiser to read them."""
    return db.session.scalar(
        db.select(db.func.count())
        .select_from(SupportMessage)
        .where(SupportMessage.drive_id == drive.id, SupportMessage.status == SupportStatus.PENDING)
    ) or 0


def message_of_drive(drive: Drive, message_id: int) -> SupportMessage | None:
    return db.session.scalar(
        db.select(SupportMessage).where(SupportMessage.id == message_id, SupportMessage.drive_id == drive.id)
    )


#: What the activity log says of each decision. It names neither the author nor the words, so
#: deleting a message leaves nothing of it behind.
_DECISIONS = {
    SupportStatus.SHOWN: _l("showed a message of support on the page"),
    SupportStatus.HIDDEN: _l("chose not to show a message of support"),
}


def decide(message: SupportMessage, actor: User, status: SupportStatus) -> None:
    """Show the message on the drive's pages, or hide it (again); PENDING is no decision."""
    if status is SupportStatus.PENDING:
        raise ValueError("a decision shows or hides a message")
    if message.status is status:
        return  # pressed twice, or by two organisers at once: the first decision stands
    message.status = status
    message.decided_at = datetime.now(UTC)
    message.decided_by_id = actor.id
    db.session.flush()
    activity.record(message.drive, _DECISIONS[status], actor)


def delete_message(message: SupportMessage, actor: User) -> None:
    """Delete a message for good, say when its author asks: only one that is not shown."""
    if message.status is SupportStatus.SHOWN:
        raise RuleBroken(_("Hide this message before deleting it."))
    drive = message.drive
    db.session.delete(message)
    db.session.flush()
    activity.record(drive, _l("deleted a message of support"), actor)
