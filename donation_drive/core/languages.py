"""The languages the app speaks, and which one a reader gets.

A reader's choice is kept in a functional preference cookie (`language`), not in a URL prefix:
the links people share most (the invite, the progress page, the private page) are read by friends
who each want their own language, so a link must not carry the sender's. The cookie holds a
language code and nothing else: it identifies nobody, so it needs no consent. Without it, the
browser's Accept-Language decides; anything unknown or malformed falls back to English.
"""

from __future__ import annotations

from functools import lru_cache

from werkzeug.datastructures import LanguageAccept
from werkzeug.http import parse_accept_header, parse_cookie

#: Code → the language's name in itself, as the switcher shows it. English first: the fallback.
LANGUAGES: dict[str, str] = {
    "en": "English",
    "es": "Español",
    "fr": "Français",
    "pt_BR": "Português (Brasil)",
    "ar": "العربية",
}
DEFAULT_LANGUAGE = "en"
RIGHT_TO_LEFT = frozenset({"ar"})
LANGUAGE_COOKIE = "language"
#: A year: a preference, renewed whenever the reader chooses again.
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600
#: Dates and numbers in English are written the British way ("27 Nov 2026").
_FORMAT_LOCALE = {"en": "en_GB"}
#: A long date in the app's English house style, without CLDR's comma: "Friday 27 November 2026".
#: Every other language writes its locale's full date ("viernes, 27 de noviembre de 2026").
_LONG_DATE = {"en": "EEEE d MMMM y"}


def offered(code: str | None) -> str | None:
    """The offered language `code` names ("pt-br" and "pt_BR" alike), or None."""
    if not code or len(code) > 16:
        return None
    wanted = code.replace("-", "_").lower()
    return next((known for known in LANGUAGES if known.lower() == wanted), None)


@lru_cache(maxsize=4096)
def from_accept_language(header: str | None) -> str:
    """The best offered language for an Accept-Language header; English when none fits.

    A bare "pt" or any Portuguese takes Brazilian Portuguese, the only Portuguese offered.
    """
    if not header:
        return DEFAULT_LANGUAGE
    accepted = parse_accept_header(header[:512], LanguageAccept)
    tags = [tag.replace("_", "-") for tag in LANGUAGES]
    best = accepted.best_match(tags) or (accepted.best_match(["pt"]) and "pt-BR")
    return offered(best) or DEFAULT_LANGUAGE


def choose(cookie_value: str | None, accept_language: str | None) -> str:
    """The reader's language: the cookie's if it names one offered, else Accept-Language's."""
    return offered(cookie_value) or from_accept_language(accept_language)


@lru_cache(maxsize=4096)
def from_cookie_header(cookie_header: str) -> str | None:
    """The language cookie's value in a raw Cookie header (the fast path reads it before Flask)."""
    return parse_cookie(cookie_header).get(LANGUAGE_COOKIE)


def of_locale(locale: str) -> str:
    """The offered language a Babel locale writes ("en_GB" is English); English for any other."""
    return offered(locale) or offered(locale.split("_")[0]) or DEFAULT_LANGUAGE


def format_locale(language: str) -> str:
    """The locale dates and numbers are written in for `language`."""
    return _FORMAT_LOCALE.get(language, language)


def long_date_format(language: str) -> str:
    """The Babel pattern (or width name) of a long date in `language`."""
    return _LONG_DATE.get(language, "full")


def html_tag(language: str) -> str:
    """The BCP 47 tag for <html lang>: "pt-BR", not gettext's "pt_BR"."""
    return language.replace("_", "-")


def direction(language: str) -> str:
    return "rtl" if language in RIGHT_TO_LEFT else "ltr"
