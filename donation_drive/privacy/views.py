"""The privacy page, and finding the way back to a private page by email."""

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _

from ..core import ratelimits
from ..core.i18n import lazy_gettext as _l
from ..core.web import INVALID_FORM_STATUS, or_404, refuse
from ..drives import operations as drives
from . import operations, sign_in as sign_in_links
from .forms import LostLinkForm, SignInForm
from .mails import send_sign_in_link

DRIVE_NOT_FOUND = _l("There is no drive at this address. Check the link was copied in full.")
SIGN_IN_NOT_VALID = _l(
    "This sign-in link has expired, was already used, or your private link was replaced since. "
    "Your private link still works if you have it; if not, ask for a new one from the drive's page."
)


def privacy_page():
    return render_template("privacy/privacy.html")


@ratelimits.lost_link
def lost_link(slug: str):
    drive = or_404(drives.public_drive(slug), DRIVE_NOT_FOUND)
    form = LostLinkForm()
    if form.validate_on_submit():
        participant = operations.participant_by_email(drive, form.email.data)
        if participant is not None:
            send_sign_in_link(participant)
        # The same answer whether or not the address signed up: nobody learns who took part.
        return redirect(url_for("privacy.lost_link_sent", slug=drive.slug))
    status = INVALID_FORM_STATUS if form.errors else 200
    return render_template("privacy/lost_link.html", drive=drive, form=form), status


def lost_link_sent(slug: str):
    drive = or_404(drives.public_drive(slug), DRIVE_NOT_FOUND)
    return render_template("privacy/lost_link_sent.html", drive=drive)


def sign_in(token: str):
    """The emailed sign-in link: a button opens the private page, replacing the old link only if asked."""
    participant = sign_in_links.pending_sign_in(token)
    if participant is None:
        refuse(410, SIGN_IN_NOT_VALID)
    form = SignInForm()
    if form.validate_on_submit():
        if form.replace_old.data:
            private_token = operations.replace_private_link(participant)
            flash(_("This is your new private link. Your old link no longer works."), "success")
        else:
            private_token = operations.add_private_link(participant)
            flash(_("This is your private link. Your old link still works too."), "success")
        return redirect(url_for("participant.private_page", token=private_token))
    status = INVALID_FORM_STATUS if form.errors else 200
    return render_template("privacy/sign_in.html", form=form, participant=participant, drive=participant.drive), status
