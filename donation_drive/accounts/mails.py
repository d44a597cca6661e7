"""Messages about an organiser's account, queued in the outbox (outreach/outbox.py).

A message that cannot even be built is logged, never shown: what the visitor sees must not
depend on whether an account exists, and so not on whether a message went out either.
"""

import logging

from flask import render_template, url_for
from flask_babel import gettext as _

from ..outreach import mail, outbox
from .models import User

log = logging.getLogger(__name__)


def _send(to: str, subject: str, template: str, **context: object) -> None:
    text = render_template(f"accounts/email/{template}.txt", **context)
    html = render_template(f"accounts/email/{template}.html", **context)
    try:
        outbox.put_new(template, mail.build_message(to, subject, text, html))
    except mail.MailError:
        # No address or link in the log: logs must hold no personal data or secrets.
        log.warning("Could not send the %s message", template)


def send_already_registered(email: str) -> None:
    """Someone tried to register an address that has an account: tell its owner, nobody else."""
    _send(
        email,
        _("Someone tried to create a Donation Drive account with your address"),
        "already_registered",
        login_url=url_for("auth.login", _external=True),
        reset_url=url_for("auth.request_reset", _external=True),
    )


def send_confirmation_link(user: User, token: str) -> None:
    """The link that confirms a new account's address and opens the account."""
    _send(
        user.email,
        _("Confirm your email to open your Donation Drive account"),
        "confirm_email",
        name=user.name,
        confirm_url=url_for("auth.confirm_email", token=token, _external=True),
    )


def send_reset_link(user: User, token: str) -> None:
    """The single-use link to choose a new password."""
    _send(
        user.email,
        _("Choose a new Donation Drive password"),
        "reset_link",
        name=user.name,
        reset_url=url_for("auth.choose_password", token=token, _external=True),
        request_url=url_for("auth.request_reset", _external=True),
    )
