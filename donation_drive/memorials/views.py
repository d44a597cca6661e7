"""Public pages of a drive's lasting side: its cover photo, and the memorial across yearly rounds."""

from flask import Blueprint, abort, render_template, send_file

from .. import anniversaries, photos
from ..web import or_404

bp = Blueprint("memorials", __name__)

#: A photo's URL holds the hash of its content, so it never changes: cache it for a year.
PHOTO_MAX_AGE = 365 * 24 * 3600


@bp.get("/photos/<name>")
def photo(name: str):
    path = photos.stored_path(name)
    if path is None:
        abort(404)
    response = send_file(path, mimetype="image/jpeg", max_age=PHOTO_MAX_AGE, conditional=True, etag=True)
    response.cache_control.public = True
    response.cache_control.immutable = True
    return response


@bp.get("/memorial/<slug>")
def memorial_page(slug: str):
    memorial = or_404(anniversaries.memorial_by_slug(slug), "There is no memorial at this address.")
    return render_template("public/memorial.html", about=anniversaries.summary(memorial))
