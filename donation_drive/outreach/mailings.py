"""The app's emails about drives: rendering them into the outbox, and the one-click unsubscribe.

Every message about a drive goes through `queue_about_drive`, which skips addresses that
unsubscribed from that drive and adds the unsubscribe link to the body and the headers.
"""

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass

from flask import render_template
from flask_babel import LazyString
from itsdangerous import BadSignature, URLSafeSerializer

from ..core.database import insert_unless_exists
from ..core.extensions import db
from ..core.i18n import in_language
from ..core.secret_key import current_secret_key
from ..core.templating import absolute_url
from ..drives.models import Drive
from . import outbox
from .mail import build_message, format_recipient
from .models import Invitation, Unsubscribe

_UNSUBSCRIBE_SALT = "unsubscribe-from-drive"


def email_hash(email: str) -> str:
    """SHA-256 of the normalised address: what the unsubscribe list keeps."""
    return hashlib.sha256(email.strip().lower().encode()).hexdigest()


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_secret_key(), salt=_UNSUBSCRIBE_SALT)


def unsubscribe_token(drive: Drive, email: str) -> str:
    """A signed (drive, address hash) pair: it works without login and reveals no address."""
    return _serializer().dumps([drive.id, email_hash(email)])


def read_unsubscribe_token(token: str) -> tuple[int, str] | None:
    try:
        drive_id, hashed = _serializer().loads(token)
    except (BadSignature, ValueError, TypeError):
        return None
    if not isinstance(drive_id, int) or not isinstance(hashed, str) or len(hashed) != 64:
        return None
    return drive_id, hashed


def unsubscribe_url(drive: Drive, email: str) -> str:
    return absolute_url("outreach.unsubscribe", token=unsubscribe_token(drive, email))


def is_unsubscribed(drive: Drive, email: str) -> bool:
    return db.session.scalar(
        db.select(Unsubscribe.id).where(
            Unsubscribe.drive_id == drive.id, Unsubscribe.email_hash == email_hash(email)
        )
    ) is not None


def unsubscribe(drive_id: int, hashed_email: str) -> None:
    """Stop all further mail about the drive to that address; doing it twice is harmless."""
    exists = db.session.scalar(
        db.select(Unsubscribe.id).where(
            Unsubscribe.drive_id == drive_id, Unsubscribe.email_hash == hashed_email
        )
    )
    if exists is None:
        insert_unless_exists(Unsubscribe(drive_id=drive_id, email_hash=hashed_email))


@dataclass(frozen=True)
class AboutDrive:
    """One message about a drive: to whom, under which key and kind, from which template.

    `subject` is a lazy string (flask_babel.lazy_gettext), so that it is written in the language of
    the message: the recipient's `language` (an offered code) when it is known, else the drive's.
    """

    drive: Drive
    to_email: str
    subject: str | LazyString
    template: str
    key: str
    kind: str
    to_name: str = ""
    invitation: Invitation | None = None
    attachments: Sequence[tuple[str, str, bytes]] = ()
    language: str | None = None


def queue_about_drive(about: AboutDrive, **context: object) -> bool:
    """Render `outreach/email/<template>.txt` and `.html` into the outbox; False if the address
    unsubscribed from the drive or the key was queued before.

    Raises mail.MailError when the message cannot be built (a bad address).
    """
    if is_unsubscribed(about.drive, about.to_email):
        return False
    link = unsubscribe_url(about.drive, about.to_email)
    context.update(drive=about.drive, unsubscribe_link=link)
    with in_language(about.language or about.drive.language):
        message = build_message(
            format_recipient(about.to_name, about.to_email), f"{about.subject} — {about.drive.title}",
            render_template(f"outreach/email/{about.template}.txt", **context),
            render_template(f"outreach/email/{about.template}.html", **context),
            unsubscribe_url=link, attachments=about.attachments,
        )
    return outbox.put(about.key, about.kind, message, about.drive, about.invitation)
