"""Bringing people in and back: email invitations, unsubscribing, sharing and passing the challenge on."""

from flask import Flask
from flask_babel import get_locale

from ..core import languages
from ..core.templating import absolute_url
from ..counting import ripple
from . import eligibility, sharing


def _preview_url(drive, progress) -> str:
    return absolute_url("outreach.preview_image", slug=drive.slug, v=sharing.preview_key(drive, progress))


def _language_written() -> str:
    """The offered language being written in now: a message's, inside mailings.queue_about_drive's
    `in_language`, where the page's `html_lang` would name the reader's instead."""
    locale = get_locale()
    if locale is None:
        return languages.DEFAULT_LANGUAGE
    return languages.offered(str(locale)) or languages.offered(locale.language) or languages.DEFAULT_LANGUAGE


def init_app(app: Flask) -> None:
    ripple.init_app()
    app.jinja_env.globals.update(
        region_of=eligibility.region_of,
        share_links=sharing.share_links,
        preview_url=_preview_url,
        qr_svg=sharing.qr_svg,
        # For an email's <html lang dir>: written_lang() is "pt-BR", written_dir() "rtl" in Arabic.
        written_lang=lambda: languages.html_tag(_language_written()),
        written_dir=lambda: languages.direction(_language_written()),
    )
