"""The JSON API under /api: the original read-only drive view, version 1, and the docs.

Every error under /api/ is JSON shaped {"error": {"code" (the HTTP status), "reason", "message", "fields"}}.
"""

from flask import Response, jsonify

from ..counting.tallies import progress_of
from ..drives import operations as drives
from ..public.caching import cached_drive_view
from . import representations
from .errors import refuse
from .v1 import public_read


@public_read
@cached_drive_view("json")
def drive_progress(slug: str) -> Response:
    """The first API, kept as is for the scripts that use it; /api/v1/drives/<slug> adds to it."""
    drive = drives.public_drive(slug)
    if drive is None:
        refuse(404, "There is no drive with that slug.")
    return jsonify(representations.drive_progress(drive, progress_of(drive)))
