"""What other sites may show: an SVG badge and a small page made to sit in an iframe."""

from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import Response, render_template, request
from flask_babel import gettext as _

from ..core import languages
from ..core.i18n import in_language
from ..core.security import allow_framing
from ..core.web import or_404, refuse
from ..counting.tallies import progress_of
from ..drives import operations as drives
from ..participation import operations as participation
from .badges import THEMES, badge_svg
from .caching import NOT_FOUND, cached_drive_view


def _theme() -> str:
    theme = request.args.get("theme", "auto")
    if theme not in THEMES:
        refuse(400, _("The theme must be auto, light or dark."))
    return theme


def _from_any_site(view: Callable[..., Response]) -> Callable[..., Response]:
    """Blogs and READMEs load the badge from anywhere. Outside the cache: a remembered body
    comes back without the headers its view set."""

    @wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Response:
        response = view(*args, **kwargs)
        response.headers["Access-Control-Allow-Origin"] = "*"
        return response

    return wrapper


@_from_any_site
@cached_drive_view(lambda: "badge-" + _theme(), by_language=False)
def badge(slug: str) -> Response:
    """Drawn in the drive's language, whoever asks: it sits on other sites, and is cached per drive."""
    drive = or_404(drives.public_drive(slug), NOT_FOUND)
    theme = _theme()
    language = languages.offered(drive.language) or languages.DEFAULT_LANGUAGE
    with in_language(language):
        svg = badge_svg(drive.title, progress_of(drive).summary, theme,
                        lang=languages.html_tag(language), direction=languages.direction(language))
    return Response(svg, mimetype="image/svg+xml")


@allow_framing("*")
@cached_drive_view("embed")
def embed_page(slug: str) -> str:
    """The one page any site may frame: the count, the bar and a link to the full page."""
    drive = or_404(drives.public_drive(slug), NOT_FOUND)
    return render_template(
        "public/embed.html",
        drive=drive,
        progress=progress_of(drive),
        accepting=participation.accepting_sign_ups(drive),
    )
