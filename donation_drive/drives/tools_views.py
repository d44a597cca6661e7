"""Organiser views for updates, the advanced page and co-organisers."""


from flask import flash, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..core import ratelimits
from ..core.i18n import in_language, lazy_gettext as _l
from ..core.rules import RuleBroken
from ..core.submissions import REPEAT_NOTE, SentBefore, create_once, sent_form
from ..core.web import INVALID_FORM_STATUS, or_404, refuse, show_rule_broken
from ..outreach import mailings, outbox
from ..outreach.mail import build_message
from . import coorganisers, pages, updates
from .access import organised_drive, owned_drive
from .forms import ActionForm
from .models import CoOrganiserInvitation, Drive, Update
from .tools_forms import InviteCoOrganiserForm, UpdateForm
from .views import back_to

# ---- Updates ----------------------------------------------------------------------------


def updates_page(slug: str):
    drive = organised_drive(slug)
    return render_template("drives/updates.html", page=pages.updates_page(drive, current_user), drive=drive)


def post_update(slug: str):
    drive = organised_drive(slug)
    form = UpdateForm(prefix="update")
    if form.validate_on_submit():
        try:
            create_once(sent_form("post update", form, f"user:{current_user.id} drive:{drive.id}"), Update,
                        lambda: updates.post_update(drive, current_user, form.body.data))
        except SentBefore:
            flash(REPEAT_NOTE, "info")
            return back_to(drive, "updates")
        except RuleBroken as error:
            show_rule_broken(form, error)
        else:
            flash(_("Your update is on the progress page."), "success")
            return back_to(drive, "updates")
    return render_template("drives/update_form.html", drive=drive, form=form, update=None), INVALID_FORM_STATUS


def edit_update(slug: str, update_id: int):
    drive = organised_drive(slug)
    update = or_404(updates.update_of_drive(drive, update_id))
    form = UpdateForm(prefix="update", obj=update)
    if form.validate_on_submit():
        try:
            updates.edit_update(drive, current_user, update, form.body.data)
        except RuleBroken as error:
            show_rule_broken(form, error)
        else:
            flash(_("The update is saved."), "success")
            return back_to(drive, "updates")
    status = INVALID_FORM_STATUS if form.errors else 200
    return render_template(
        "drives/update_form.html", drive=drive, form=form, update=update, action_form=ActionForm()
    ), status


def delete_update(slug: str, update_id: int):
    drive = organised_drive(slug)
    update = or_404(updates.update_of_drive(drive, update_id))
    updates.delete_update(drive, current_user, update)
    flash(_("The update is deleted."), "success")
    return back_to(drive, "updates")


# ---- The advanced page ------------------------------------------------------------------


def advanced_page(slug: str):
    drive = organised_drive(slug)
    return render_template("drives/advanced.html", page=pages.advanced_page(drive, current_user), drive=drive)


# ---- Co-organisers ----------------------------------------------------------------------


@ratelimits.invitations
def invite_co_organiser(slug: str):
    drive = owned_drive(slug)
    form = InviteCoOrganiserForm(prefix="invite")
    if form.validate_on_submit():
        try:
            invitation, token = coorganisers.invite(drive, current_user, form.email.data)
        except RuleBroken as error:
            show_rule_broken(form, error)
        else:
            link = url_for("organiser.accept_co_organiser", token=token, _external=True)
            unsubscribed = mailings.is_unsubscribed(drive, invitation.email)
            return render_template(
                "drives/co_organiser_invited.html",
                drive=drive,
                invitation=invitation,
                link=link,
                unsubscribed=unsubscribed,
                mailed=not unsubscribed and _mail_invitation(drive, invitation, link),
            )
    return render_template("drives/co_organiser_form.html", drive=drive, form=form), INVALID_FORM_STATUS


#: Fixed: the owner's name and the drive's title are theirs to write, the subject line is not.
CO_ORGANISER_SUBJECT = _l("You're invited to co-organise a blood-donation drive")


def _mail_invitation(drive: Drive, invitation: CoOrganiserInvitation, link: str) -> bool:
    """Queue the acceptance link; the owner also sees the link to pass on themselves.

    Each email is recorded in the outbox, so coorganisers' hourly and daily limits count it. It is
    written in the drive's language: the invitee's own is not known.
    """
    unsubscribe_link = mailings.unsubscribe_url(drive, invitation.email)
    context = {"drive": drive, "link": link, "owner": current_user, "unsubscribe_link": unsubscribe_link}
    with in_language(drive.language):
        message = build_message(
            invitation.email,
            str(CO_ORGANISER_SUBJECT),
            render_template("drives/co_organiser_email.txt", **context),
            render_template("drives/co_organiser_email.html", **context),
            unsubscribe_url=unsubscribe_link,
        )
    return outbox.put(f"co-organiser:{invitation.id}:{invitation.token_hash[:16]}", coorganisers.MAIL_KIND,
                      message, drive)


def remove_co_organiser(slug: str, organiser_id: int):
    drive = owned_drive(slug)
    try:
        coorganisers.remove_co_organiser(drive, current_user, organiser_id)
    except RuleBroken as error:
        refuse(409, error.message)
    flash(_("They no longer organise this drive."), "success")
    return back_to(drive, "co-organisers")


def cancel_co_organiser_invitation(slug: str, invitation_id: int):
    drive = owned_drive(slug)
    try:
        coorganisers.cancel_invitation(drive, current_user, invitation_id)
    except RuleBroken as error:
        refuse(404, error.message)
    flash(_("The invitation is cancelled; its link no longer works."), "success")
    return back_to(drive, "co-organisers")


INVITATION_NOT_FOUND = _l(
    "This invitation link isn't valid. It may have been used already, cancelled, or replaced "
    "by a newer one: ask the drive's owner to invite you again."
)


def accept_co_organiser(token: str):
    invitation = or_404(coorganisers.invitation_by_token(token), INVITATION_NOT_FOUND)
    form = ActionForm()
    if form.validate_on_submit():
        try:
            drive = coorganisers.accept(invitation, current_user)
        except RuleBroken as error:
            refuse(403, error.message)
        flash(_("You now co-organise “%(title)s”.", title=drive.title), "success")
        return back_to(drive)
    return render_template(
        "drives/co_organiser_accept.html", invitation=invitation, drive=invitation.drive, action_form=form
    )
