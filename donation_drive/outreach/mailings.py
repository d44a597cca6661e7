"""The app's emails: rendering them, the one-click unsubscribe, and sending each one once.

Every message about a drive goes through `send_about_drive`, which skips addresses that
unsubscribed from that drive and adds the unsubscribe link to the body and the headers.
"""

import hashlib
from collections.abc import Sequence

from flask import render_template
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy.exc import IntegrityError

from ..core.database import is_unique_violation
from ..core.extensions import db
from ..core.secret_key import current_secret_key
from ..core.templating import absolute_url
from ..drives.models import Drive
from .mail import format_recipient, send_mail
from .models import SentMessage, Unsubscribe

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
        claimed_row(Unsubscribe(drive_id=drive_id, email_hash=hashed_email))


def claimed_row(row: object) -> bool:
    """Insert `row` in a savepoint; False when a unique constraint says it already exists."""
    try:
        with db.session.begin_nested():
            db.session.add(row)
    except IntegrityError as error:
        if is_unique_violation(error):
            return False
        raise
    return True


def claim(key: str, drive: Drive | None, kind: str) -> bool:
    """Record the message under `key` before sending it; False if it was already recorded."""
    return claimed_row(SentMessage(key=key, drive_id=drive.id if drive else None, kind=kind))


def release(key: str) -> None:
    """Forget a claim whose message could not be sent, so a later attempt may send it."""
    db.session.execute(db.delete(SentMessage).where(SentMessage.key == key))


def send_about_drive(
    drive: Drive,
    to_email: str,
    subject: str,
    template: str,
    *,
    to_name: str = "",
    attachments: Sequence[tuple[str, str, bytes]] = (),
    **context: object,
) -> bool:
    """Render `emails/<template>.txt` and `.html` and send them; False if unsubscribed.

    Raises mail.MailError when the message cannot be sent.
    """
    if is_unsubscribed(drive, to_email):
        return False
    link = unsubscribe_url(drive, to_email)
    context.update(drive=drive, unsubscribe_link=link)
    text = render_template(f"outreach/email/{template}.txt", **context)
    html = render_template(f"outreach/email/{template}.html", **context)
    send_mail(format_recipient(to_name, to_email), f"{subject} — {drive.title}", text, html,
              unsubscribe_url=link, attachments=attachments)
    return True
