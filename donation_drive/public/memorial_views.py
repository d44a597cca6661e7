"""Public pages of a drive's lasting side: its cover photo, and the memorial across yearly rounds."""

from flask import abort, render_template, send_file
from flask_babel import gettext as _

from ..core.web import or_404
from ..drives import anniversaries
from . import photos
from .tribute import yearly_memorial_page


def photo(name: str):
    """A cover photo, while a drive uses it.

    Caches may keep it but must ask again before each use (`no-cache`): the URL names the
    content, so the answer is nearly always a bodiless 304 on its ETag, and a photo the family
    removed is gone (404) at once rather than shown from caches for months.
    """
    path = photos.stored_path(name)
    if path is None:
        abort(404)
    response = send_file(path, mimetype="image/jpeg", max_age=None, conditional=True, etag=True)
    response.headers["Cache-Control"] = "public, no-cache"
    return response


def memorial_page(slug: str):
    memorial = or_404(anniversaries.memorial_by_slug(slug), _("There is no memorial at this address."))
    return render_template("public/memorial.html", page=yearly_memorial_page(memorial))
