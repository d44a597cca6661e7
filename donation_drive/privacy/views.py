"""The privacy page, and asking for a new private link by email."""

from flask import Blueprint, redirect, render_template, url_for

from .. import drives, ratelimits
from ..web import INVALID_FORM_STATUS, or_404
from . import operations
from .forms import LostLinkForm
from .mails import send_private_link

bp = Blueprint("privacy", __name__)

DRIVE_NOT_FOUND = "There is no drive at this address. Check the link was copied in full."


@bp.get("/privacy")
def privacy_page():
    return render_template("privacy/privacy.html")


@bp.route("/d/<slug>/lost-link", methods=["GET", "POST"])
@ratelimits.lost_link
def lost_link(slug: str):
    drive = or_404(drives.public_drive(slug), DRIVE_NOT_FOUND)
    form = LostLinkForm()
    if form.validate_on_submit():
        participant = operations.participant_by_email(drive, form.email.data)
        if participant is not None:
            operations.send_new_private_link(participant, send_private_link)
        # The same answer whether or not the address signed up: nobody learns who took part.
        return redirect(url_for("privacy.lost_link_sent", slug=drive.slug))
    status = INVALID_FORM_STATUS if form.errors else 200
    return render_template("privacy/lost_link.html", drive=drive, form=form), status


@bp.get("/d/<slug>/lost-link/sent")
def lost_link_sent(slug: str):
    drive = or_404(drives.public_drive(slug), DRIVE_NOT_FOUND)
    return render_template("privacy/lost_link_sent.html", drive=drive)
