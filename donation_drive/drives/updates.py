"""Short updates organisers post on a drive's progress page."""

from datetime import UTC, datetime

from flask_babel import gettext as _

from ..accounts.models import User
from ..core.extensions import db
from ..core.i18n import lazy_gettext as _l, ngettext
from ..core.rules import RuleBroken
from . import activity
from .models import UPDATE_MAX, Drive, Update

#: Updates shown on the progress page, newest first.
SHOWN_MAX = 50


def _check_body(body: str) -> str:
    body = (body or "").strip()
    if not body:
        raise RuleBroken(_("Please write something for the update."), "body")
    if len(body) > UPDATE_MAX:
        raise RuleBroken(ngettext("Please keep an update under %(num)s character.",
                                  "Please keep an update under %(num)s characters.", UPDATE_MAX), "body")
    return body


def _excerpt(body: str) -> str:
    first_line = body.splitlines()[0] if body else ""
    return first_line if len(first_line) <= 60 else first_line[:57] + "…"


def post_update(drive: Drive, author: User, body: str) -> Update:
    update = Update(drive_id=drive.id, author_id=author.id, body=_check_body(body))
    db.session.add(update)
    db.session.flush()
    activity.record(drive, _l("posted an update: “%(excerpt)s”", excerpt=_excerpt(update.body)), author)
    return update


def edit_update(drive: Drive, actor: User, update: Update, body: str) -> None:
    update.body = _check_body(body)
    update.edited_at = datetime.now(UTC)
    db.session.flush()
    activity.record(drive, _l("edited an update: “%(excerpt)s”", excerpt=_excerpt(update.body)), actor)


def delete_update(drive: Drive, actor: User, update: Update) -> None:
    excerpt = _excerpt(update.body)
    db.session.delete(update)
    db.session.flush()
    activity.record(drive, _l("deleted an update: “%(excerpt)s”", excerpt=excerpt), actor)


def update_of_drive(drive: Drive, update_id: int) -> Update | None:
    return db.session.scalar(
        db.select(Update).where(Update.id == update_id, Update.drive_id == drive.id)
    )


def updates_of(drive: Drive, limit: int = SHOWN_MAX) -> list[Update]:
    """Newest first."""
    return list(
        db.session.scalars(
            db.select(Update)
            .where(Update.drive_id == drive.id)
            .order_by(Update.created_at.desc(), Update.id.desc())
            .limit(limit)
        )
    )
