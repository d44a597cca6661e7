"""Organiser accounts: register, confirm the address, log in, log out.

Where a visitor was going when asked for an account (`?next=`, say the new-drive form) travels
with them: through registering, the emailed link and logging in, and lands them there.
"""

from urllib.parse import urlsplit

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..core import ratelimits
from ..core.extensions import db, login_manager
from ..core.i18n import lazy_gettext as _l
from ..core.rules import RuleBroken
from ..core.security import referrer_policy
from ..core.web import INVALID_FORM_STATUS, refuse, show_rule_broken
from . import confirmations as email_confirmations, mails, operations as accounts
from .forms import ConfirmEmailForm, ConfirmWithNewPasswordForm, LoginForm, RegisterForm
from .models import User
from .sessions import awaiting_confirmation, end_session, remember_awaiting_confirmation, start_session

login_manager.user_loader(accounts.load_user)

NOTHING_TO_RESEND = _l(
    "We don't know which address to send the link to: this browser hasn't registered one, or has "
    "logged in since. Register again, or log in: if your account isn't open yet, that sends a new link."
)
WRONG_CONFIRMATION_PASSWORD = _l(
    "That isn't the password chosen for this account. If you didn't create it, or forgot "
    "the password, choose a new one below."
)
CONFIRM_FIRST = _l("Please confirm your email address first: we've just sent a new link to it.")


def _local_path(target: str | None) -> str | None:
    """`target` when it is a path on this site, else None: ?next= never leads off it."""
    if not target:
        return None
    parts = urlsplit(target)
    # Browsers read a backslash as "/", so "/\\evil.example" would leave the site.
    local = target.startswith("/") and not target.startswith("//") and "\\" not in target
    # Browsers drop tabs and line breaks inside URLs, so "/\t/evil.example" is off-site too.
    local = local and target.isprintable()
    return target if local and not parts.scheme and not parts.netloc else None


def _safe_next(target: str | None) -> str:
    """Follow ?next= only to a path on this site, never off it; else to the organiser's drives."""
    return _local_path(target) or url_for("organiser.dashboard")


def _send_confirmation_link(user: User, next_path: str | None) -> None:
    token = email_confirmations.confirmation_token(user, next_path)
    mails.send_confirmation_link(user, token)


@ratelimits.registration
def register():
    # Checked before it goes into a link or the session, and again before it is followed.
    next_path = _local_path(request.args.get("next"))
    form = RegisterForm()
    if form.validate_on_submit():
        try:
            user = accounts.register(form.name.data, form.email.data, form.password.data)
        except RuleBroken as error:
            show_rule_broken(form, error)
        else:
            # One answer for a new address and a taken one; only the owner's inbox tells which.
            if user is None:
                mails.send_already_registered(form.email.data)
            else:
                _send_confirmation_link(user, next_path)
            remember_awaiting_confirmation(form.email.data, next_path)
            return redirect(url_for("auth.check_email"))
    status = INVALID_FORM_STATUS if form.errors else 200
    return render_template("accounts/register.html", form=form, next_path=next_path), status


def check_email():
    return render_template("accounts/check_email.html", awaiting=awaiting_confirmation())


@ratelimits.confirmation_resend
def resend_confirmation():
    awaiting = awaiting_confirmation()
    if awaiting is None:
        refuse(400, NOTHING_TO_RESEND)
    # As when registering, a taken address gets the same answer; its owner needs no new link.
    user = email_confirmations.awaiting_account(awaiting.email)
    if user is not None:
        _send_confirmation_link(user, awaiting.next_path)
    flash(_("We've sent the link again to %(email)s.", email=awaiting.email), "success")
    return redirect(url_for("auth.check_email"))


@referrer_policy("no-referrer")
@ratelimits.login
def confirm_email(token: str):
    # Opening the link only shows the form: mail scanners that fetch links open no account.
    confirmation = email_confirmations.pending_confirmation(token)
    if confirmation is None:
        next_path = _local_path(email_confirmations.intended_path(token))
        return render_template("accounts/confirmation_not_valid.html", next_path=next_path), 410
    user = confirmation.user
    form, new_form = ConfirmEmailForm(), ConfirmWithNewPasswordForm(prefix="new")
    if "new-password" in request.form:
        if new_form.validate_on_submit():
            try:
                accounts.confirm_with_new_password(user, new_form.password.data)
            except RuleBroken as error:
                show_rule_broken(new_form, error)
            else:
                return _open_account(user, confirmation.next_path)
    elif form.validate_on_submit():
        if accounts.confirm_with_password(user, form.password.data):
            return _open_account(user, confirmation.next_path)
        form.password.errors.append(str(WRONG_CONFIRMATION_PASSWORD))
    status = INVALID_FORM_STATUS if form.errors or new_form.errors else 200
    return render_template("accounts/confirm_email.html", form=form, new_form=new_form, user=user), status


def _open_account(user: User, next_path: str | None):
    start_session(user)
    flash(_("Welcome, %(name)s. Your account is ready.", name=user.name), "success")
    return redirect(_safe_next(next_path))


@ratelimits.login
def login():
    next_path = _local_path(request.args.get("next"))
    form = LoginForm()
    if form.validate_on_submit():
        user = accounts.authenticate(form.email.data, form.password.data)
        if user is None:
            form.form_errors.append(_("That email and password don't match an account."))
        elif user.email_confirmed_at is None:
            # Only someone who knows the password learns the account waits for confirmation.
            _send_confirmation_link(user, next_path)
            # The answer is a refusal, which would roll the request back: the fresh link is kept.
            db.session.commit()
            form.form_errors.append(str(CONFIRM_FIRST))
        else:
            start_session(user)
            return redirect(_safe_next(next_path))
    status = INVALID_FORM_STATUS if form.errors else 200
    return render_template("accounts/login.html", form=form, next_path=next_path), status


@login_required
def logout():
    accounts.end_sessions(current_user)
    end_session()
    flash(_("You have logged out."), "info")
    return redirect(url_for("public.home"))
