"""Organiser accounts: register, log in, log out."""

from urllib.parse import urlsplit

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from ..core import ratelimits
from ..core.extensions import db, login_manager
from ..core.rules import RuleBroken
from ..core.security import referrer_policy
from ..core.web import INVALID_FORM_STATUS, refuse, show_rule_broken
from . import confirmations as email_confirmations, mails, operations as accounts
from .forms import ConfirmEmailForm, ConfirmWithNewPasswordForm, LoginForm, RegisterForm
from .models import User
from .sessions import end_session, start_session

login_manager.user_loader(accounts.load_user)

CONFIRMATION_NOT_VALID = (
    "This link has expired, was already used, or a newer one replaced it. If your account "
    "isn't open yet, log in with your email and password and we'll send you a new link."
)
WRONG_CONFIRMATION_PASSWORD = (
    "That isn't the password chosen for this account. If you didn't create it, or forgot "  # noqa: S105 (a message)
    "the password, choose a new one below."
)
CONFIRM_FIRST = "Please confirm your email address first: we've just sent a new link to it."


def _safe_next(target: str | None) -> str:
    """Follow ?next= only to a path on this site, never off it."""
    if target:
        parts = urlsplit(target)
        # Browsers read a backslash as "/", so "/\\evil.example" would leave the site.
        local = target.startswith("/") and not target.startswith("//") and "\\" not in target
        # Browsers drop tabs and line breaks inside URLs, so "/\t/evil.example" is off-site too.
        local = local and target.isprintable()
        if local and not parts.scheme and not parts.netloc:
            return target
    return url_for("organiser.dashboard")


def _send_confirmation_link(user: User) -> None:
    token = email_confirmations.confirmation_token(user, request.args.get("next"))
    mails.send_confirmation_link(user, token)


@ratelimits.registration
def register():
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
                _send_confirmation_link(user)
            return redirect(url_for("auth.check_email"))
    status = INVALID_FORM_STATUS if form.errors else 200
    return render_template("accounts/register.html", form=form), status


def check_email():
    return render_template("accounts/check_email.html")


@referrer_policy("no-referrer")
@ratelimits.login
def confirm_email(token: str):
    # Opening the link only shows the form: mail scanners that fetch links open no account.
    confirmation = email_confirmations.pending_confirmation(token)
    if confirmation is None:
        refuse(410, CONFIRMATION_NOT_VALID)
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
        form.password.errors.append(WRONG_CONFIRMATION_PASSWORD)
    status = INVALID_FORM_STATUS if form.errors or new_form.errors else 200
    return render_template("accounts/confirm_email.html", form=form, new_form=new_form, user=user), status


def _open_account(user: User, next_path: str | None):
    start_session(user)
    flash(f"Welcome, {user.name}. Your account is ready.", "success")
    return redirect(_safe_next(next_path))


@ratelimits.login
def login():
    form = LoginForm()
    if form.validate_on_submit():
        user = accounts.authenticate(form.email.data, form.password.data)
        if user is None:
            form.form_errors.append("That email and password don't match an account.")
        elif user.email_confirmed_at is None:
            # Only someone who knows the password learns the account waits for confirmation.
            _send_confirmation_link(user)
            # The answer is a refusal, which would roll the request back: the fresh link is kept.
            db.session.commit()
            form.form_errors.append(CONFIRM_FIRST)
        else:
            start_session(user)
            return redirect(_safe_next(request.args.get("next")))
    status = INVALID_FORM_STATUS if form.errors else 200
    return render_template("accounts/login.html", form=form), status


@login_required
def logout():
    accounts.end_sessions(current_user)
    end_session()
    flash("You have logged out.", "info")
    return redirect(url_for("public.home"))
