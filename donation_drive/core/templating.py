"""What every template may use: absolute links, dates in words, the product's labels."""

from datetime import UTC, date, datetime
from typing import Any
from urllib.parse import urlsplit

from babel.dates import format_date
from flask import Flask, url_for
from flask_babel import format_decimal
from markupsafe import Markup

from ..counting.progress import people_not_listed
from ..donations.models import DonationType
from .i18n import current_language
from .languages import format_locale, long_date_format
from .rules import zone_of


def absolute_url(endpoint: str, **values: Any) -> str:
    """A full URL to share, e.g. the invite link an organiser copies into a message."""
    return url_for(endpoint, _external=True, **values)


def link_host() -> str:
    """The host name absolute links carry (SERVER_NAME, or an allowed Host): calendar UIDs use it."""
    return urlsplit(absolute_url("public.home")).hostname or ""


def long_date(value: date | None) -> str:
    """"Friday 27 November 2026", as the reader's language writes it: unambiguous in every country."""
    language = current_language()
    return format_date(value, long_date_format(language), locale=format_locale(language)) if value else ""


def short_date(value: date | None) -> str:
    """"27 Nov 2026", as the reader's language writes it."""
    return format_date(value, "medium", locale=format_locale(current_language())) if value else ""


def local_time(moment: datetime | None, zone: str) -> str:
    """"30 Nov 2026 23:14 GMT": a moment in the drive's time zone (an IANA name), summer time and all;
    in UTC if the name is no zone (rules.zone_of)."""
    if moment is None:
        return ""
    # SQLite gives back the UTC it was given without its zone; PostgreSQL keeps the zone.
    aware = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    local = aware.astimezone(zone_of(zone))
    return f"{short_date(local.date())} {local:%H:%M %Z}"


def isolate(text: str | None) -> Markup:
    """A person's own words (a name, a title, a place) set into the page's sentence in their own
    direction: on a right-to-left page, "7 for Jack" beside Arabic would otherwise be drawn
    "for Jack 7", and a Latin name pulls the date after it into its own direction."""
    return Markup("<bdi>%s</bdi>") % (text or "")


def isolate_text(text: str | None) -> str:
    """`isolate` for plain text, such as a message to copy into WhatsApp or an email. It uses
    Unicode's first-strong isolate (U+2068) and pop directional isolate (U+2069), which <bdi>
    stands for in HTML."""
    return f"\u2068{text or ''}\u2069"


def init_app(app: Flask) -> None:
    app.jinja_env.filters["long_date"] = long_date
    app.jinja_env.filters["short_date"] = short_date
    app.jinja_env.filters["local_time"] = local_time
    app.jinja_env.filters["number"] = format_decimal
    app.jinja_env.filters["isolate"] = isolate
    app.jinja_env.filters["isolate_text"] = isolate_text
    app.jinja_env.globals["absolute_url"] = absolute_url
    app.jinja_env.globals["DonationType"] = DonationType
    app.jinja_env.globals["people_not_listed"] = people_not_listed
    app.jinja_env.add_extension("jinja2.ext.do")
    # {% trans %} blocks are written across lines; their messages are kept on one (babel.cfg says so too).
    app.jinja_env.policies["ext.i18n.trimmed"] = True
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
