"""Organiser accounts: register, log in, log out."""

from urllib.parse import urlsplit

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import login_required, login_user, logout_user

from .. import accounts
from ..extensions import login_manager
from ..rules import RuleBroken
from ..web import INVALID_FORM_STATUS, show_rule_broken
from .forms import LoginForm, RegisterForm

bp = Blueprint("auth", __name__, url_prefix="/auth")
login_manager.user_loader(accounts.load_user)


def _safe_next(target: str | None) -> str:
    """Follow ?next= only to a path on this site, never off it."""
    if target:
        parts = urlsplit(target)
        # Browsers read a backslash as "/", so "/\\evil.example" would leave the site.
        local = target.startswith("/") and not target.startswith("//") and "\\" not in target
        if local and not parts.scheme and not parts.netloc:
            return target
    return url_for("organiser.dashboard")


@bp.route("/register", methods=["GET", "POST"])
def register():
    form = RegisterForm()
    if form.validate_on_submit():
        try:
            user = accounts.register(form.name.data, form.email.data, form.password.data)
        except RuleBroken as error:
            show_rule_broken(form, error)
        else:
            login_user(user)
            flash(f"Welcome, {user.name}. Your account is ready.", "success")
            return redirect(_safe_next(request.args.get("next")))
    status = INVALID_FORM_STATUS if form.errors else 200
    return render_template("auth/register.html", form=form), status


@bp.route("/login", methods=["GET", "POST"])
def login():
    form = LoginForm()
    if form.validate_on_submit():
        user = accounts.authenticate(form.email.data, form.password.data)
        if user is not None:
            login_user(user)
            return redirect(_safe_next(request.args.get("next")))
        form.form_errors.append("That email and password don't match an account.")
    status = INVALID_FORM_STATUS if form.errors else 200
    return render_template("auth/login.html", form=form), status


@bp.post("/logout")
@login_required
def logout():
    logout_user()
    flash("You have logged out.", "info")
    return redirect(url_for("public.home"))
