"""Organiser views for the drive's life: settings, cover photo, counting rule, closing, end date, deletion,
export."""

from flask import Response, flash, redirect, render_template, request, url_for
from flask_babel import format_date, gettext as _
from flask_login import current_user
from werkzeug.exceptions import RequestEntityTooLarge

from ..core import ratelimits
from ..core.extensions import csrf
from ..core.rules import RuleBroken
from ..core.web import INVALID_FORM_STATUS, accepts_files, refuse, refuse_stray_files, show_rule_broken
from ..public import photos
from ..public.tribute import TributePage, preview_tribute_page
from . import closing, exports, lifecycle, pages
from .access import organised_drive, owned_drive
from .closing_forms import ClosingForm
from .forms import ActionForm
from .models import Drive
from .tools_forms import CountingForm, DeleteDriveForm, ExtendForm, PhotoForm
from .views import back_to

#: The photo form's one file input, as the browser names it.
PHOTO_FILE = "photo-photo"


def settings_page(slug: str):
    drive = organised_drive(slug)
    return render_template("drives/settings.html", page=pages.settings_page(drive, current_user), drive=drive)


def _photo_page(drive: Drive, form: PhotoForm, status: int = 200):
    return render_template(
        "drives/photo_form.html", drive=drive, form=form, cover=photos.cover_of(drive),
        action_form=ActionForm(), max_mb=photos.PHOTO_MAX_BYTES // (1024 * 1024),
    ), status


@ratelimits.photo_upload
@csrf.exempt  # checked in the view (token and origin), after the larger upload limit is set
@accepts_files(PHOTO_FILE)
def cover_photo(slug: str):
    # A photo may be larger than the site-wide request limit; raise it for this request only.
    request.max_content_length = photos.UPLOAD_MAX_BYTES
    drive = organised_drive(slug)
    try:
        form = PhotoForm(prefix="photo")
        refuse_stray_files({PHOTO_FILE})
    except RequestEntityTooLarge:
        refuse(413, photos.TOO_BIG)
    if request.method == "POST":
        csrf.protect()
        if not form.validate_on_submit():
            return _photo_page(drive, form, INVALID_FORM_STATUS)
        upload = form.photo.data
        try:
            photos.set_cover_photo(drive, current_user, upload.stream if upload else None, form.alt.data)
        except RuleBroken as error:
            show_rule_broken(form, error)
            return _photo_page(drive, form, INVALID_FORM_STATUS)
        flash(_("The cover photo is saved."), "success")
        return back_to(drive, "photo")
    cover = photos.cover_of(drive)
    if cover is not None:
        form.alt.data = cover.cover_photo_alt
    return _photo_page(drive, form)


def remove_cover_photo(slug: str):
    drive = organised_drive(slug)
    try:
        photos.remove_cover_photo(drive, current_user)
    except RuleBroken as error:
        refuse(409, error.message)
    flash(_("The cover photo is removed."), "success")
    return back_to(drive, "photo")


def set_counting(slug: str):
    drive = organised_drive(slug)
    form = CountingForm(prefix="counting")
    if not form.validate_on_submit():
        refuse(INVALID_FORM_STATUS, _("Please choose when reported donations count."))
    lifecycle.set_counts_reported(drive, current_user, form.counts_reported.data == "at_once")
    flash(_("Saved. The progress page says how donations are counted."), "success")
    return back_to(drive, "counting")


def _closing_page(drive: Drive, form: ClosingForm, preview: TributePage | None = None, status: int = 200):
    return render_template("drives/close_form.html", drive=drive, form=form, preview=preview), status


def close_drive(slug: str):
    """Close the drive with a closing message, after a preview of its memorial if asked for; for a
    closed drive, change the message its memorial shows."""
    drive = organised_drive(slug)
    form = ClosingForm()
    if not form.is_submitted():
        form.closing_message.data = drive.closing_message
    if form.validate_on_submit():
        was_open = drive.is_open
        try:
            if form.previewing:
                message = closing.clean_closing_message(form.closing_message.data)
                return _closing_page(drive, form, preview_tribute_page(drive, message))
            closing.close_drive(drive, current_user, form.closing_message.data)
        except RuleBroken as error:
            show_rule_broken(form, error)
        else:
            if was_open:
                flash(_("The drive is closed. Its page stays up as a memorial."), "success")
                return back_to(drive)
            flash(_("The closing message is saved."), "success")
            return back_to(drive, "status")
    return _closing_page(drive, form, status=INVALID_FORM_STATUS if form.errors else 200)


def reopen_drive(slug: str):
    drive = organised_drive(slug)
    closing.reopen_drive(drive, current_user)
    flash(_("The drive is open again. Its page shows its progress until it closes again."), "success")
    return back_to(drive)


def extend_drive(slug: str):
    drive = organised_drive(slug)
    form = ExtendForm(prefix="extend")
    if form.validate_on_submit():
        try:
            lifecycle.extend_end_date(drive, current_user, form.ends_on.data)
        except RuleBroken as error:
            show_rule_broken(form, error)
        else:
            flash(_("The drive now runs until %(date)s.", date=format_date(drive.ends_on, "long")), "success")
            return back_to(drive, "lifecycle")
    status = INVALID_FORM_STATUS if form.errors else 200
    return render_template("drives/extend_form.html", drive=drive, form=form), status


def delete_drive(slug: str):
    drive = owned_drive(slug)
    form = DeleteDriveForm()
    if form.validate_on_submit():
        title = drive.title
        try:
            lifecycle.delete_drive(drive, form.confirmation.data)
        except RuleBroken as error:
            show_rule_broken(form, error)
        else:
            flash(_("“%(title)s” is deleted, with everything its participants gave us.", title=title), "success")
            return redirect(url_for("organiser.dashboard"))
    status = INVALID_FORM_STATUS if form.errors else 200
    return render_template("drives/delete_form.html", drive=drive, form=form), status


def export_csv(slug: str, what: str):
    drive = organised_drive(slug)
    body = exports.participants_csv(drive) if what == "participants" else exports.donations_csv(drive)
    return Response(
        body,
        mimetype="text/csv",
        headers={
            "Content-Disposition": f'attachment; filename="{drive.slug}-{what}.csv"',
            # Personal data: never kept by a shared cache.
            "Cache-Control": "private, no-store",
        },
    )
