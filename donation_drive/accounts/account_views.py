"""The organiser's account: personal API tokens (create one, see it once, revoke it), and
deleting the account."""

from flask import flash, make_response, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..core import ratelimits
from ..core.rules import RuleBroken
from ..core.web import INVALID_FORM_STATUS, or_404, show_rule_broken
from ..drives.forms import ActionForm
from . import api_tokens, deletion as account_deletion
from .account_forms import NewTokenForm, delete_account_form
from .deletion_mails import send_new_owner
from .sessions import end_session


@login_required
def require_login() -> None:
    """Every page here is about the logged-in organiser's own account."""


def _render(form: NewTokenForm, new_secret: str | None = None, status: int = 200):
    response = make_response(render_template(
        "api/tokens.html",
        form=form,
        tokens=api_tokens.active_tokens_of(current_user),
        new_secret=new_secret,
        action_form=ActionForm(),
    ), status)
    # The page may hold a secret shown once: no cache may keep it.
    response.headers["Cache-Control"] = "no-store"
    return response


def tokens():
    return _render(NewTokenForm(formdata=None))


def create_token():
    form = NewTokenForm()
    if form.validate_on_submit():
        try:
            _token, secret = api_tokens.create_token(current_user, form.name.data)
        except RuleBroken as error:
            show_rule_broken(form, error)
        else:
            # Shown in this response only (never put in the session cookie, which is not secret).
            return _render(NewTokenForm(formdata=None), new_secret=secret, status=201)
    return _render(form, status=INVALID_FORM_STATUS)


def revoke_token(token_id: int):
    form = ActionForm()
    token = or_404(api_tokens.token_of(current_user, token_id))
    if form.validate_on_submit():
        api_tokens.revoke_token(token)
        flash(_('The token "%(name)s" is revoked. Scripts using it now get "401 Unauthorized".', name=token.name),
              "success")
    return redirect(url_for("account.tokens"))


@ratelimits.login  # the password typed here must not become a way to guess it
def delete_account():
    plan = account_deletion.plan_for(current_user)
    form = delete_account_form(plan)
    if form.validate_on_submit():
        try:
            handovers = account_deletion.delete_account(
                current_user._get_current_object(), form.password.data, form.plan.data,
                form.chosen_successors(), send_new_owner,
            )
        except RuleBroken as error:
            show_rule_broken(form, error)
        else:
            end_session()
            sentences = [_("Your account is deleted and you are logged out.")]
            sentences += [_("“%(title)s” now belongs to %(name)s.", title=h.drive.title, name=h.new_owner.name)
                          for h in handovers]
            flash(" ".join(sentences), "success")
            return redirect(url_for("public.home"))
    # Always the plan this page shows, so a confirmation applies to nothing else.
    form.plan.data = account_deletion.plan_fingerprint(plan)
    status = INVALID_FORM_STATUS if form.errors else 200
    return render_template(
        "accounts/delete.html", form=form, plan=account_deletion.by_fate(plan), drive_count=len(plan)
    ), status

