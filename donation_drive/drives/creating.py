"""Creating a drive from the drive form, once: from "New drive" and from "Pass it on" alike."""

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from flask import flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from werkzeug.exceptions import RequestEntityTooLarge

from ..accounts.models import User
from ..core.extensions import csrf
from ..core.rules import RuleBroken
from ..core.submissions import REPEAT_NOTE, SentBefore, create_once, sent_form
from ..core.web import INVALID_FORM_STATUS, accepts_files, refuse, refuse_stray_files, show_rule_broken
from ..public import photos
from . import operations as drives
from .forms import DriveForm, NewDriveWithPhotoForm
from .models import Drive

V = TypeVar("V", bound=Callable[..., Any])

#: The new-drive form's one file input, as the browser names it.
PHOTO_FILE = "photo"


def takes_a_photo(view: V) -> V:
    """Let `view`'s drive form bring a cover photo, with the limits of the photo page
    (life_views.cover_photo): a request as large as a photo for this view only, a file under
    PHOTO_FILE only, and the CSRF check after the limit is raised — Flask-WTF's own check, before
    the view, would read the body under the site-wide limit and refuse every photo."""

    @wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> ResponseReturnValue:
        request.max_content_length = photos.UPLOAD_MAX_BYTES
        try:
            refuse_stray_files({PHOTO_FILE})  # reads the body: too large shows here
        except RequestEntityTooLarge:
            refuse(413, photos.TOO_BIG)
        if request.method == "POST":
            csrf.protect()
        return view(*args, **kwargs)

    return csrf.exempt(accepts_files(PHOTO_FILE)(wrapper))


def create_with_photo(form: NewDriveWithPhotoForm, owner: User) -> Drive:
    """The drive the form describes, owned by `owner`, with the cover photo it brought. The photo
    is checked and re-encoded first: one we can't take refuses before any drive is made."""
    upload = form.photo.data
    photo = photos.reencode(upload.stream) if upload else None
    drive = drives.create_drive(owner, form.details(), form.slug.data or "")
    if photo is not None:
        photos.add_cover_photo(drive, owner, photo, form.photo_alt.data)
    return drive


def create_from_form(form: DriveForm, form_name: str, scope: str, create: Callable[[], Drive]) -> ResponseReturnValue:
    """Create the drive the form describes (`create`), once however often the form is sent (`scope`:
    whose sending it is), and go to its page; or show the form again with what was wrong."""
    if form.validate_on_submit():
        try:
            drive = create_once(sent_form(form_name, form, scope), Drive, create)
        except SentBefore as earlier:
            flash(REPEAT_NOTE, "info")
            return redirect(url_for("organiser.drive_page", slug=earlier.created.slug))
        except RuleBroken as error:
            show_rule_broken(form, error)
        else:
            flash(_("Your drive is ready. Share the invite link with your friends."), "success")
            return redirect(url_for("organiser.drive_page", slug=drive.slug))
    status = INVALID_FORM_STATUS if form.errors else 200
    return render_template("drives/drive_form.html", form=form, drive=None), status
