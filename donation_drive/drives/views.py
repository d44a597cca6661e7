"""The organiser's side: my drives, creating and editing a drive, and managing its units."""

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from ..core.i18n import current_language, ngettext
from ..core.rules import RuleBroken, drive_today, today_in
from ..core.submissions import REPEAT_NOTE, SentBefore, create_once, sent_form
from ..core.web import INVALID_FORM_STATUS, or_404, show_rule_broken
from ..counting.tallies import progress_of_drives
from ..donations import operations as donations
from ..donations.models import Donation, DonationStatus, DonationType
from . import operations as drives, pages
from .access import organised_drive
from .creating import create_from_form, create_with_photo, takes_a_photo
from .forms import DriveForm, LogDonationForm, NewDriveWithPhotoForm
from .models import Drive


@login_required
def require_login() -> None:
    """Every page here is for logged-in organisers."""


def dashboard():
    my_drives = drives.drives_of(current_user)
    return render_template(
        "drives/dashboard.html", drives=my_drives, progress=progress_of_drives(my_drives)
    )


@takes_a_photo
def new_drive():
    # A new drive writes to friends in its organiser's language until they choose another.
    form = NewDriveWithPhotoForm(language=current_language())
    if not form.is_submitted():
        starts_on = today_in(form.timezone.data)
        form.starts_on.data, form.ends_on.data = starts_on, drives.suggested_end(starts_on)
    return create_from_form(
        form, "new drive", f"user:{current_user.id}", lambda: create_with_photo(form, current_user),
    )


def edit_drive(slug: str):
    drive = organised_drive(slug)
    form = DriveForm(obj=drive)
    if not form.is_submitted():
        form.dedication.data = drive.dedication.value
        form.visibility.data = drive.visibility.value
    if form.validate_on_submit():
        try:
            drives.update_drive(drive, current_user, form.details())
        except RuleBroken as error:
            show_rule_broken(form, error)
        else:
            flash(_("Your changes are saved."), "success")
            return redirect(url_for("organiser.drive_page", slug=drive.slug))
    status = INVALID_FORM_STATUS if form.errors else 200
    return render_template("drives/drive_form.html", form=form, drive=drive), status


def back_to(drive: Drive, part: str | None = None) -> Response:
    """To the organiser page that shows `part` of the drive (pages.PAGE_OF_PART), scrolled to it;
    to the overview without one."""
    if part is None:
        return redirect(url_for("organiser.drive_page", slug=drive.slug))
    return redirect(url_for(pages.PAGE_OF_PART[part], slug=drive.slug, _anchor=part))


def drive_page(slug: str):
    drive = organised_drive(slug)
    return render_template("drives/drive.html", page=pages.overview_page(drive, current_user), drive=drive)


def _render_donations_page(drive: Drive, log_form: LogDonationForm | None = None, status: int = 200,
                           second_look: str = ""):
    if log_form is None:
        log_form = LogDonationForm(formdata=None, donated_on=drive_today(drive))
        log_form.set_participants(drive.participants)
    return render_template(
        "drives/donations.html",
        page=pages.donations_page(drive, current_user),
        drive=drive,
        log_form=log_form,
        second_look=second_look,
    ), status


def donations_page(slug: str):
    return _render_donations_page(organised_drive(slug))


def log_donation(slug: str):
    drive = organised_drive(slug)
    form = LogDonationForm()
    form.set_participants(drive.participants)
    if form.validate_on_submit():
        participant = next((p for p in drive.participants if p.id == form.participant_id.data), None)
        try:
            create_once(sent_form("log units", form, f"user:{current_user.id} drive:{drive.id}"), Donation,
                        lambda: donations.log_donation(
                            drive,
                            current_user,
                            units=form.units.data,
                            donation_type=DonationType(form.donation_type.data),
                            donated_on=form.donated_on.data,
                            participant=participant,
                            confirmed=form.confirmed.data == "yes",
                        ))
        except SentBefore:
            flash(REPEAT_NOTE, "info")
            return redirect(url_for("organiser.donations_page", slug=drive.slug))
        except donations.NeedsConfirming as question:
            return _render_donations_page(drive, form, second_look=question.message)
        except RuleBroken as error:
            show_rule_broken(form, error)
        else:
            flash(ngettext("Logged %(num)s unit.", "Logged %(num)s units.", form.units.data), "success")
            return redirect(url_for("organiser.donations_page", slug=drive.slug))
    return _render_donations_page(drive, form, INVALID_FORM_STATUS)


def decide_donation(slug: str, donation_id: int, decision: str):
    drive = organised_drive(slug)
    donation = or_404(donations.donation_of_drive(drive, donation_id))
    status = DonationStatus.CONFIRMED if decision == "confirm" else DonationStatus.REJECTED
    donations.set_donation_status(donation, current_user, status)
    flash(_("Donation confirmed.") if status is DonationStatus.CONFIRMED else _("Donation rejected."), "success")
    return back_to(drive, "donations")


def rotate_invite_link(slug: str):
    drive = organised_drive(slug)
    drives.rotate_invite_code(drive, current_user)
    flash(_("The invite link has changed. The old link no longer lets anyone join."), "success")
    return back_to(drive, "invite")
