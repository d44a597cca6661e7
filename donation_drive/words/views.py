"""Leaving words of support (anyone with the drive's link), and reading them (its organisers)."""

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..core import ratelimits
from ..core.i18n import lazy_gettext as _l
from ..core.rules import RuleBroken
from ..core.submissions import SentBefore, create_once, sent_form
from ..core.web import INVALID_FORM_STATUS, or_404, refuse, show_rule_broken
from ..drives import operations as drives
from ..drives.access import organised_drive
from ..participation.models import NameShownAs
from ..public.caching import NOT_FOUND
from . import operations as words, pages
from .forms import SupportMessageForm
from .models import SupportMessage, SupportStatus

#: What each organiser's button does, by the word in its address, and what they are told.
DECISIONS = {
    "show": (SupportStatus.SHOWN, _l("The message is on the drive's page.")),
    "hide": (SupportStatus.HIDDEN, _l("The message is not shown on the drive's page.")),
}


@ratelimits.support_message
def leave_message(slug: str):
    drive = or_404(drives.public_drive(slug), NOT_FOUND)
    form = SupportMessageForm()
    if form.validate_on_submit():
        draft = words.Draft(form.body.data, form.name.data, bool(form.show_name.data),
                            NameShownAs(form.name_shown_as.data))
        try:
            create_once(sent_form("support message", form, f"drive:{drive.id}"), SupportMessage,
                        lambda: words.leave_message(drive, draft))
        except SentBefore:
            pass  # sent twice: the first sending left the message, and the answer is the same
        except RuleBroken as error:
            show_rule_broken(form, error)
        if not form.errors:
            return redirect(url_for("words.message_left", slug=drive.slug))
    status = INVALID_FORM_STATUS if form.errors else 200
    return render_template("words/leave.html", page=pages.LeavePage(drive, form), drive=drive), status


def message_left(slug: str):
    drive = or_404(drives.public_drive(slug), NOT_FOUND)
    return render_template("words/thanks.html", drive=drive)


@login_required
def moderation_page(slug: str):
    drive = organised_drive(slug)
    return render_template("words/moderation.html", page=pages.moderation_page(drive), drive=drive)


@login_required
def decide(slug: str, message_id: int, decision: str):
    drive = organised_drive(slug)
    message = or_404(words.message_of_drive(drive, message_id))
    status, note = DECISIONS[decision]
    words.decide(message, current_user, status)
    flash(str(note), "success")
    return redirect(url_for("words.moderation_page", slug=drive.slug))


@login_required
def delete(slug: str, message_id: int):
    drive = organised_drive(slug)
    message = or_404(words.message_of_drive(drive, message_id))
    try:
        words.delete_message(message, current_user)
    except RuleBroken as error:
        refuse(409, error.message)  # a page from before the message was shown: the button is gone now
    flash(_("The message is deleted."), "success")
    return redirect(url_for("words.moderation_page", slug=drive.slug))
