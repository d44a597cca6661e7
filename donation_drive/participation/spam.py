"""Keeping robots off the public sign-up form without a third-party CAPTCHA.

Two checks a person never notices: a honeypot field hidden from people (and from screen
readers) that simple bots fill in, and a minimum time between showing the form and sending
it, measured with a timestamp the server signed so a bot cannot fake an old one.
"""

import time

from flask import current_app
from flask_wtf import FlaskForm
from itsdangerous import BadSignature, URLSafeSerializer
from wtforms import HiddenField, StringField

from ..core.i18n import lazy_gettext as _l
from ..core.secret_key import current_secret_key

SALT = "sign-up-form-shown-at"

HONEYPOT_MESSAGE = _l(
    "This form looked as if a computer filled it in, so nothing was saved. "
    "If you're a person, please check your details and press the button again."
)
TOO_FAST_MESSAGE = _l(
    "That was quicker than a person can fill in the form, so nothing was saved yet. "
    "Please check your details and press the button again."
)


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_secret_key(), salt=SALT)


def now() -> float:
    """Seconds since the epoch, with fractions (the tests replace this clock)."""
    return time.time()


def new_form_stamp() -> str:
    """A signed note of "the form was shown now", to the millisecond.

    Not itsdangerous's timed signature: it keeps whole seconds, so a form sent 3.5 s after it
    was shown could count as 3 s, or less, and a person was refused as a robot.
    """
    return _serializer().dumps({"shown_at": round(now(), 3)})


def _seconds_since_shown(stamp: str | None) -> float | None:
    """How long ago the signed stamp says the form was shown; None when it is missing or forged."""
    try:
        shown_at = _serializer().loads(stamp or "")["shown_at"]
    except (BadSignature, KeyError, TypeError):
        return None
    return now() - shown_at if isinstance(shown_at, (int, float)) else None


def filled_by_a_person(honeypot: str | None, stamp: str | None) -> str | None:
    """None when the sign-up looks human; otherwise the message to show."""
    if honeypot:
        return HONEYPOT_MESSAGE
    minimum = current_app.config["SIGN_UP_MIN_SECONDS"]
    if minimum <= 0:
        return None  # the time check is switched off (scripted test clients fill forms instantly)
    elapsed = _seconds_since_shown(stamp)
    # Missing or forged: no proof the form was shown long enough ago.
    if elapsed is None or elapsed < minimum:
        return TOO_FAST_MESSAGE
    return None


class SpamGuard(FlaskForm):
    """Mix into a public form; render it with templates/participation/_spam_guard.html."""

    #: The honeypot: named like a field bots love, hidden from people.
    website = StringField(_l("Leave this field empty"))
    form_shown = HiddenField()

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_submitted():
            self.form_shown.data = new_form_stamp()

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        problem = filled_by_a_person(self.website.data, self.form_shown.data)
        if problem:
            self.form_errors.append(problem)
            # A fresh stamp, so a person who waits and sends again gets through.
            self.form_shown.data = new_form_stamp()
            return False
        return valid
