"""The outbox: every email is written in the transaction of the change it is about, and
delivered after the commit, with retries, by whoever MAIL_DELIVERY names (outreach/delivery.py).

Nothing is sent if that transaction rolls back, and nothing is lost if a process dies after it
commits. A deliverer claims one message at a time (FOR UPDATE SKIP LOCKED on PostgreSQL; on
SQLite the claim takes the write lock, so there is one writer), hands it to the mail server,
then records it as sent. A deliverer that dies in between leaves the claim to expire and the
message is tried again: a duplicate is possible only if it died after the mail server accepted
the message and before the record was written.
"""

import logging
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.message import EmailMessage

from sqlalchemy import or_

from ..core.database import insert_unless_exists, writing
from ..core.extensions import db
from ..core.models import utcnow
from ..drives.models import Drive
from . import mail
from .models import Invitation, InvitationStatus, OutboxMessage, OutboxStatus

log = logging.getLogger(__name__)

#: How long a deliverer may take to hand one message over before another may take it up.
CLAIM_FOR = timedelta(minutes=5)
#: Waits between attempts: an outage of several hours loses nothing; then the message is given up.
RETRY_AFTER = [timedelta(seconds=s) for s in (30, 60, 120, 300, 600, 1200, 1800, 3600, 3600, 7200, 14400)]
#: Set on the session when a message was queued: delivery starts once that transaction commits.
QUEUED_IN_SESSION = "outbox_queued"


def put(key: str, kind: str, message: EmailMessage, drive: Drive | None = None,
        invitation: Invitation | None = None) -> bool:
    """Queue `message` under `key` in the current transaction; False if that key was queued before."""
    row = OutboxMessage(key=key, kind=kind, drive_id=drive.id if drive else None, message=message.as_bytes(),
                        invitation_id=invitation.id if invitation else None, next_attempt_at=utcnow())
    if not insert_unless_exists(row):
        return False
    db.session.info[QUEUED_IN_SESSION] = True
    return True


def put_new(kind: str, message: EmailMessage, drive: Drive | None = None) -> None:
    """Queue a message that has no natural key (each one a new event: a reset link, a sign-in link)."""
    put(f"{kind}:{uuid.uuid4().hex}", kind, message, drive)


@dataclass
class DeliveryReport:
    sent: int = 0
    retrying: int = 0
    failed: int = 0
    #: The mail server could not be reached: the rest waits for the next attempt.
    server_down: bool = False


def deliver_due(limit: int | None = None) -> DeliveryReport:
    """Hand every message that is due to the mail server, one claim at a time."""
    report = DeliveryReport()
    while limit is None or report.sent + report.retrying + report.failed < limit:
        claimed = _claim_next()
        if claimed is None:
            break
        _deliver(*claimed, report)
        if report.server_down:
            break
    return report


def _claim_next() -> tuple[int, bytes] | None:
    now = utcnow()
    with writing():
        due = or_(
            (OutboxMessage.status == OutboxStatus.QUEUED) & (OutboxMessage.next_attempt_at <= now),
            (OutboxMessage.status == OutboxStatus.SENDING) & (OutboxMessage.claimed_until < now),
        )
        row = db.session.execute(
            db.select(OutboxMessage.id, OutboxMessage.message).where(due).order_by(OutboxMessage.id)
            .limit(1).with_for_update(skip_locked=True)
        ).first()
        if row is not None:
            db.session.execute(
                db.update(OutboxMessage).where(OutboxMessage.id == row.id).values(
                    status=OutboxStatus.SENDING, claimed_until=now + CLAIM_FOR,
                    attempts=OutboxMessage.attempts + 1,
                )
            )
        db.session.commit()
    return (row.id, row.message) if row is not None else None


def _deliver(message_id: int, raw: bytes, report: DeliveryReport) -> None:
    try:
        mail.deliver(raw)
    except mail.MailRefused as error:
        if error.permanent:
            _given_up(message_id, str(error))
            report.failed += 1
            return
        _retry_later(message_id, str(error), report)
    except mail.MailError as error:
        report.server_down = isinstance(error, mail.MailServerUnavailable)
        _retry_later(message_id, str(error), report)
    else:
        _sent(message_id)
        report.sent += 1


def _retry_later(message_id: int, reason: str, report: DeliveryReport) -> None:
    with writing():
        message = db.session.get(OutboxMessage, message_id)
        if message is None:  # its drive was deleted meanwhile
            db.session.commit()
            return
        if message.attempts > len(RETRY_AFTER):
            _give_up(message, reason)
            report.failed += 1
        else:
            # The kind and id only: the server's words may hold the address, and logs hold no personal data.
            log.warning("Outbox message %s (%s) not delivered, attempt %s; retrying later",
                        message.id, message.kind, message.attempts)
            message.status = OutboxStatus.QUEUED
            message.next_attempt_at = utcnow() + RETRY_AFTER[message.attempts - 1]
            message.last_error = reason[:300]
            message.claimed_until = None
            report.retrying += 1
        db.session.commit()


def _give_up(message: OutboxMessage, reason: str) -> None:
    """Failed for good; where it carried an invitation, the organiser sees that invitation failed."""
    log.warning("Outbox message %s (%s) given up after %s attempt(s)", message.id, message.kind, message.attempts)
    message.status = OutboxStatus.FAILED
    message.message = None
    message.last_error = reason[:300]
    message.claimed_until = None
    if message.invitation_id is not None:
        invitation = db.session.get(Invitation, message.invitation_id)
        if invitation is not None and invitation.status is InvitationStatus.SENT:
            invitation.status = InvitationStatus.FAILED
            invitation.failure = reason[:300]


def _given_up(message_id: int, reason: str) -> None:
    with writing():
        message = db.session.get(OutboxMessage, message_id)
        if message is not None:
            _give_up(message, reason)
        db.session.commit()


def _sent(message_id: int) -> None:
    """Recorded as sent, and the message dropped: the private links in it are not kept."""
    with writing():
        db.session.execute(
            db.update(OutboxMessage).where(OutboxMessage.id == message_id)
            .values(status=OutboxStatus.SENT, sent_at=utcnow(), message=None, claimed_until=None)
        )
        db.session.commit()


@dataclass(frozen=True)
class OutboxState:
    """What `flask outbox-status` and /readyz say about the queue."""

    waiting: int
    #: Of those waiting, how many were tried, failed, and will be tried again.
    retrying: int
    failed: int
    oldest_waiting_since: datetime | None


def state() -> OutboxState:
    waiting = OutboxMessage.status.in_([OutboxStatus.QUEUED, OutboxStatus.SENDING])
    count, retrying, oldest = db.session.execute(
        db.select(db.func.count(OutboxMessage.id),
                  db.func.count(OutboxMessage.id).filter(
                      (OutboxMessage.status == OutboxStatus.QUEUED) & (OutboxMessage.attempts > 0)),
                  db.func.min(OutboxMessage.created_at)).where(waiting)
    ).one()
    failed = db.session.scalar(
        db.select(db.func.count(OutboxMessage.id)).where(OutboxMessage.status == OutboxStatus.FAILED)
    ) or 0
    return OutboxState(count or 0, retrying or 0, failed, oldest)
