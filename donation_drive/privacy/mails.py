"""The message that carries a participant's new private link."""

from flask import render_template, url_for

from .. import mail
from ..models import Participant


def send_private_link(participant: Participant, token: str) -> None:
    """Raise mail.MailError if it could not be sent."""
    context = {
        "participant": participant,
        "drive": participant.drive,
        "private_url": url_for("participant.private_page", token=token, _external=True),
    }
    mail.send_mail(
        participant.email or "",
        f"Your new private link for {participant.drive.title}",
        render_template("privacy/email/new_private_link.txt", **context),
        render_template("privacy/email/new_private_link.html", **context),
    )
