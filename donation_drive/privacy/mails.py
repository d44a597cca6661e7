"""The message that carries a participant's sign-in link, queued in the outbox.

A message that cannot be built is logged, never shown: what the visitor sees must not depend on whether the
address signed up, and so not on whether a message went out either.
"""

import logging

from flask import render_template, url_for
from flask_babel import gettext as _

from ..outreach import mail, outbox
from ..participation.models import Participant
from .sign_in import sign_in_token

log = logging.getLogger(__name__)


def send_sign_in_link(participant: Participant, signed_up_again: bool = False) -> None:
    """`signed_up_again`: sent because someone signed up to the drive again with this address."""
    context = {
        "signed_up_again": signed_up_again,
        "participant": participant,
        "drive": participant.drive,
        "sign_in_url": url_for("privacy.sign_in", token=sign_in_token(participant), _external=True),
    }
    try:
        outbox.put_new("sign-in-link", mail.build_message(
            participant.email or "",
            _("Your sign-in link for %(title)s", title=participant.drive.title),
            render_template("privacy/email/sign_in_link.txt", **context),
            render_template("privacy/email/sign_in_link.html", **context),
        ), participant.drive)
    except mail.MailError:
        # No address or link in the log: logs must hold no personal data or secrets.
        log.warning("Could not send a sign-in link")
