"""What the pages of words of support show, built in one place and handed to their templates."""

from dataclasses import dataclass

from ..drives.forms import ActionForm
from ..drives.models import Drive
from . import operations as words
from .forms import SupportMessageForm
from .models import SupportMessage, SupportStatus


@dataclass(frozen=True)
class LeavePage:
    """The form to leave a message on a drive."""

    drive: Drive
    form: SupportMessageForm


@dataclass(frozen=True)
class MessageCard:
    """One message as its drive's organisers read it: the name as given, and as the page shows it."""

    message: SupportMessage
    shown_as: str


@dataclass(frozen=True)
class ModerationPage:
    """The organisers' "Words" tab: messages waiting to be read, those on the page, those not shown."""

    drive: Drive
    waiting: list[MessageCard]
    shown: list[MessageCard]
    hidden: list[MessageCard]
    action_form: ActionForm


def moderation_page(drive: Drive) -> ModerationPage:
    """Every message of the drive, newest first, by what became of it."""
    cards: dict[SupportStatus, list[MessageCard]] = {status: [] for status in SupportStatus}
    for message in words.messages_of(drive):
        cards[message.status].append(MessageCard(message, words.author_as_shown(message)))
    return ModerationPage(
        drive=drive,
        waiting=cards[SupportStatus.PENDING],
        shown=cards[SupportStatus.SHOWN],
        hidden=cards[SupportStatus.HIDDEN],
        action_form=ActionForm(),
    )
