"""The message telling a co-organiser that a drive is now theirs, queued in the outbox."""

from flask import render_template, url_for
from flask_babel import gettext as _

from ..outreach import mail, outbox
from .deletion import HandOver


def send_new_owner(handover: HandOver) -> None:
    """Queued in the outbox; raises mail.MailError if it cannot be built."""
    context = {
        "handover": handover,
        "drive": handover.drive,
        "drive_url": url_for("organiser.drive_page", slug=handover.drive.slug, _external=True),
    }
    outbox.put_new("new-owner", mail.build_message(
        mail.format_recipient(handover.new_owner.name, handover.new_owner.email),
        _("You now own the drive “%(title)s”", title=handover.drive.title),
        render_template("accounts/email/new_owner.txt", **context),
        render_template("accounts/email/new_owner.html", **context),
    ), handover.drive)
