"""The live parts of a progress page and of an embed: the HTML live-progress.js swaps in.

Each is answered as its page is (public/caching.py), so a look at an unchanged drive costs a 304.
"""

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from flask import Response, make_response, render_template

from ..core.web import or_404
from ..counting.tallies import progress_of
from ..drives import operations as drives
from .caching import NOT_FOUND, cached_drive_view
from .pages import live_parts as live_parts_of

F = TypeVar("F", bound=Callable[..., Any])


def not_indexed(view: F) -> F:
    """Keep search engines off every answer of `view` (304s and remembered bodies too): a
    fragment is not a page anyone should land on from a search."""

    @wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Response:
        response = make_response(view(*args, **kwargs))
        response.headers["X-Robots-Tag"] = "noindex"
        return response

    return wrapper  # type: ignore[return-value]


@not_indexed
@cached_drive_view("live")
def live_parts(slug: str) -> str:
    """The count, stages, milestones, who took part, share message and ripple of the progress page."""
    parts = live_parts_of(or_404(drives.public_drive(slug), NOT_FOUND))
    return render_template(
        "public/live.html",
        page=parts,
        drive=parts.drive,
        progress=parts.progress,
        shown_names=parts.shown_names,
    )


@not_indexed
@cached_drive_view("embed-live")
def embed_live_parts(slug: str) -> str:
    """The count of the embed."""
    drive = or_404(drives.public_drive(slug), NOT_FOUND)
    return render_template("public/embed_live.html", drive=drive, progress=progress_of(drive))
