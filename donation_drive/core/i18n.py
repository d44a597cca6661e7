"""Flask-Babel for the app: the reader's language for each request, the switcher's address, and
`in_language` for what is written for someone else (mail, the worker's reminders).

Which language a reader gets, and why it lives in a cookie, is core/languages.py's story.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import urlsplit

from flask import Blueprint, Flask, abort, has_request_context, redirect, request
from flask.json.tag import JSONTag
from flask.sessions import session_json_serializer
from flask_babel import Babel, LazyString, force_locale, format_decimal, get_locale, get_translations, gettext, refresh
from jinja2 import pass_context
from jinja2.runtime import Context as EvalContext
from markupsafe import Markup
from werkzeug.wrappers import Response

from . import languages

babel = Babel()
language = Blueprint("language", __name__)


class LazyText(LazyString):
    """A translation made when it is used, escaped like any text wherever it is shown.

    flask_babel's own LazyString says it is HTML (`__html__`), so Jinja and WTForms would print
    it unescaped: an apostrophe, and worse a value it was given, would reach the page raw. Not
    having `__html__` makes markupsafe escape it as the string it becomes.
    """

    @property
    def __html__(self) -> None:
        raise AttributeError("__html__")


def _plural_form(one: str, many: str, count: int, values: dict[str, object]) -> str:
    """The language's form for `count`, with `%(num)s` in `values` written as the language writes
    numbers ("1,234", "1 234", "1.234"): flask_babel's ngettext gives it the bare int."""
    values.setdefault("num", format_decimal(count))
    return get_translations().ungettext(one, many, count)


def ngettext(one: str, many: str, count: int, /, **values: object) -> str:
    """gettext's ngettext, the count written as the language writes numbers."""
    return _plural_form(one, many, count, values) % values


@pass_context
def _template_ngettext(context: EvalContext, one: str, many: str, count: int, /, **values: object) -> str:
    """The template's ngettext (Jinja's "newstyle": values escaped), the count written as above."""
    text = _plural_form(one, many, count, values)
    if context.eval_ctx.autoescape:
        # The catalog's text is trusted, as Jinja's own gettext trusts it; Markup % escapes the values.
        text = Markup(text)  # noqa: S704  # nosec B704
    return text % values


def lazy_gettext(message: str, **values: object) -> LazyText:
    """`gettext` when the text is used, in the language of that moment (form labels, constants)."""
    return LazyText(gettext, message, **values)


def lazy_ngettext(one: str, many: str, count: int, /, **values: object) -> LazyText:
    return LazyText(ngettext, one, many, count, **values)


_l = lazy_gettext


class _LazyTextInSession(JSONTag):
    """A lazy text flashed (or kept) in the session is stored as the text it reads now: the
    session cookie holds JSON, which has no lazy strings."""

    # Flask's own untagged dicts (PassDict) do the same: no key, and `tag` gives plain JSON.
    key = None  # type: ignore[assignment]

    def check(self, value: object) -> bool:
        return isinstance(value, LazyString)

    def tag(self, value: object) -> str:  # type: ignore[override]
        return str(value)


# Flask's session serializer is one object shared by every app: tell it once, here.
session_json_serializer.register(_LazyTextInSession, index=0)

_LANGUAGE_KEY = "donation_drive.language"
UNKNOWN_LANGUAGE = _l("We don't offer that language. The languages we offer are listed at the foot of every page.")


def current_language() -> str:
    """The offered language being written in now: the reader's, or the one `in_language` chose."""
    return languages.of_locale(str(get_locale() or ""))


def _reader_language() -> str:
    """The language this request's reader gets (English outside a request)."""
    if not has_request_context():
        return languages.DEFAULT_LANGUAGE
    # Kept on the request, not on `g`: an app context (and its `g`) can outlive one request.
    environ = request.environ
    if _LANGUAGE_KEY not in environ:
        environ[_LANGUAGE_KEY] = languages.choose(request.cookies.get(languages.LANGUAGE_COOKIE),
                                                  request.headers.get("Accept-Language"))
    return environ[_LANGUAGE_KEY]


def _select_locale() -> str:
    return languages.format_locale(_reader_language())


@contextmanager
def in_language(code: str | None) -> Iterator[None]:
    """Write what follows in `code` (an offered language), or in English if it is not one."""
    with force_locale(languages.format_locale(languages.offered(code) or languages.DEFAULT_LANGUAGE)):
        yield


def _local_path(target: str | None) -> str:
    """`target` if it is a path on this site, else the home page: the switcher is no open redirect."""
    if not target or not target.startswith("/") or target.startswith(("//", "/\\")):
        return "/"
    parts = urlsplit(target)
    return target if not parts.scheme and not parts.netloc else "/"


@language.get("/language/<language_code>")
def choose_language(language_code: str) -> Response:
    """Remember the reader's language and go back to the page they were reading.

    A plain link (no form) so it works in every page, cached ones included; the worst a forged
    link can do is change someone's language, which the switcher on every page undoes.
    """
    chosen = languages.offered(language_code)
    if chosen is None:
        abort(404, UNKNOWN_LANGUAGE)
    response = redirect(_local_path(request.args.get("next")), 303)
    response.set_cookie(languages.LANGUAGE_COOKIE, chosen, max_age=languages.LANGUAGE_COOKIE_AGE,
                        secure=request.is_secure, httponly=True, samesite="Lax")
    return response


def _template_globals() -> dict[str, object]:
    code = current_language()
    return {
        "current_language": code,
        "html_lang": languages.html_tag(code),
        "text_direction": languages.direction(code),
        "offered_languages": languages.LANGUAGES,
        "language_tag": languages.html_tag,
    }


def init_app(app: Flask) -> None:
    app.config.setdefault("BABEL_DEFAULT_LOCALE", languages.format_locale(languages.DEFAULT_LANGUAGE))
    babel.init_app(app, locale_selector=_select_locale)
    # Flask-Babel keeps the locale it chose on the app context, which a test (or a CLI command)
    # may keep open across requests: each request chooses again.
    app.before_request(refresh)
    app.jinja_env.globals["ngettext"] = _template_ngettext
    app.context_processor(_template_globals)
