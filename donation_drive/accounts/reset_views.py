"""Forgotten passwords: ask for an emailed link, then choose a new password with it."""

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _

from ..core import ratelimits
from ..core.i18n import lazy_gettext as _l
from ..core.rules import RuleBroken
from ..core.security import referrer_policy
from ..core.web import INVALID_FORM_STATUS, refuse, show_rule_broken
from . import mails, password_resets
from .forms import NewPasswordForm, RequestResetForm
from .sessions import forget_awaiting_confirmation

LINK_NOT_VALID = _l(
    "This password-reset link has expired or was already used. "
    "Links work once, for an hour. Please ask for a new one."
)


@ratelimits.password_reset
def request_reset():
    form = RequestResetForm()
    if form.validate_on_submit():
        started = password_resets.start_reset(form.email.data)
        if started is not None:
            mails.send_reset_link(*started)
        # The check-email page then speaks of this message, not of an earlier registration's.
        forget_awaiting_confirmation()
        # The same answer whether or not the address has an account.
        return redirect(url_for("auth.check_email"))
    status = INVALID_FORM_STATUS if form.errors else 200
    return render_template("accounts/reset_request.html", form=form), status


@referrer_policy("no-referrer")
@ratelimits.password_reset
def choose_password(token: str):
    reset = password_resets.usable_reset(token)
    if reset is None:
        refuse(410, LINK_NOT_VALID)
    form = NewPasswordForm()
    if form.validate_on_submit():
        try:
            password_resets.finish_reset(reset, form.password.data)
        except RuleBroken as error:
            show_rule_broken(form, error)
        else:
            flash(_("Your password is changed, and you're logged out everywhere. Log in with the new one."), "success")
            return redirect(url_for("auth.login"))
    status = INVALID_FORM_STATUS if form.errors else 200
    response = render_template("accounts/reset_choose.html", form=form, email=reset.user.email), status
    return response
