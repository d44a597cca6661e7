"""The fast path: anonymous reads of a drive's public views answered before Flask runs.

A memorial page shared by someone with a million followers is read by strangers with no
cookies, each asking for the same bytes. Every such answer that the full path (public/caching.py)
marks as shareable is kept here whole — status, headers (security headers and CSP included),
body — under its address, with the ETag it was answered under. The next anonymous GET of that
address is answered from it, with no session, database session or rate-limit storage, as long as
the drive's version in this worker's memory (or Redis) still gives the same ETag today (the
drive's day, in its time zone).

What stays true:
- the answer is the full path's own, byte for byte, but for its own X-Request-ID (logs.py's rule),
  which gunicorn's access line carries;
- a reader with a session, a remember-me or a fresh cookie (whoever just changed the drive), or
  an Authorization header, always takes the full path;
- a change to the drive gives a new ETag, so the kept answer is no longer used;
- an answer is kept per language, chosen from the language cookie and Accept-Language exactly as
  the full path chooses it (core/languages.py);
- the organiser's funnel counts the views answered here (drives/funnel.py);
- anything this module cannot answer with certainty (no kept answer, version unknown to this
  worker, If-Modified-Since, `If-None-Match: *` or a weak or listed one naming the ETag) goes to the
  full path.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from flask import Flask

from ..core import languages
from ..core.logs import REQUEST_ID_HEADER, request_id_from
from ..drives import funnel
from .caching import BODY_CACHE_SIZE, FRESH_COOKIE, SHARED_ANSWER_KEY, SharedAnswer, current_shared_etag

StartResponse = Callable[..., Any]
WsgiApp = Callable[[dict[str, Any], StartResponse], Iterable[bytes]]


@dataclass(frozen=True)
class KeptAnswer:
    """One answer of the full path, ready to be sent again."""

    shared: SharedAnswer
    status: str
    headers: tuple[tuple[str, str], ...]
    body: bytes
    #: The request headers (environ keys) the answer's Vary names besides Cookie, and their values.
    varies_on: tuple[tuple[str, str | None], ...]

    def fits(self, environ: dict[str, Any]) -> bool:
        return all(environ.get(key) == value for key, value in self.varies_on)


class KeptAnswers:
    """The last answers kept, by address and by kind ("200" or "304"); the oldest kept goes first.
    (Reads take no lock and reorder nothing: an answer to a page still read is soon kept again.)"""

    def __init__(self, size: int) -> None:
        self.size = size
        self._answers: OrderedDict[tuple, KeptAnswer] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: tuple) -> KeptAnswer | None:
        return self._answers.get(key)

    def put(self, key: tuple, answer: KeptAnswer) -> None:
        with self._lock:
            self._answers[key] = answer
            self._answers.move_to_end(key)
            while len(self._answers) > self.size:
                self._answers.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._answers.clear()


def _address(environ: dict[str, Any]) -> tuple[str, ...]:
    """Where the reader asked, and in which language they read (core/languages.py's choice, made
    from the same two headers the full path reads): an answer in French is never given to Spanish."""
    cookies = environ.get("HTTP_COOKIE")
    language = languages.choose(languages.from_cookie_header(cookies) if cookies else None,
                                environ.get("HTTP_ACCEPT_LANGUAGE"))
    return (environ.get("wsgi.url_scheme", "http"), environ.get("HTTP_HOST", ""), environ.get("SCRIPT_NAME", ""),
            environ.get("PATH_INFO", ""), environ.get("QUERY_STRING", ""), language)


def _kind_wanted(environ: dict[str, Any], etag: str) -> str | None:
    """'304', '200', or None when only the full path's validator logic can tell."""
    sent = environ.get("HTTP_IF_NONE_MATCH")
    if sent is None:
        return None if "HTTP_IF_MODIFIED_SINCE" in environ else "200"
    if sent == f'"{etag}"':
        return "304"
    # A list, a weak form naming the ETag, or "*" is the full path's to compare; any other is a miss.
    return None if etag in sent or "*" in sent else "200"


def _varies_on(headers: list[tuple[str, str]], environ: dict[str, Any]) -> tuple[tuple[str, str | None], ...] | None:
    """The request headers the answer varies on besides Cookie and Accept-Language (the language
    they choose is part of the address); None for `Vary: *`."""
    names = [name.strip().lower() for key, value in headers if key.lower() == "vary" for name in value.split(",")]
    if "*" in names:
        return None
    keys = ["HTTP_" + name.upper().replace("-", "_") for name in names
            if name and name not in ("cookie", "accept-language")]
    return tuple((key, environ.get(key)) for key in keys)


def _keepable(status: str, headers: list[tuple[str, str]], shared: SharedAnswer) -> bool:
    """A 200 or 304 sent as public, with the ETag the view named and no cookie of its own."""
    found = {key.lower(): value for key, value in headers}
    return (status[:3] in ("200", "304") and "set-cookie" not in found
            and found.get("cache-control", "").startswith("public")
            and found.get("etag") == f'"{shared.etag}"')


class FastPath:
    """WSGI middleware in front of the app: kept answers for anonymous GETs of public views."""

    def __init__(self, app: Flask, full_path: WsgiApp) -> None:
        self.app = app
        self.full_path = full_path
        self.answers = KeptAnswers(BODY_CACHE_SIZE)
        #: Any of these in the Cookie header may change the answer (public/caching.py's viewer key).
        self.private_cookies = (app.config["SESSION_COOKIE_NAME"],
                                app.config.get("REMEMBER_COOKIE_NAME", "remember_token"), FRESH_COOKIE)

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        if not self._anonymous_read(environ):
            return self.full_path(environ, start_response)
        address = _address(environ)
        answer = self._kept_answer(environ, address)
        if answer is None:
            return self._through_full_path(environ, start_response, address)
        funnel.count_view(self.app, answer.shared.endpoint, answer.shared.slug)
        request_id = request_id_from(environ.get("HTTP_X_REQUEST_ID", ""))
        start_response(answer.status, [(key, request_id if key == REQUEST_ID_HEADER else value)
                                       for key, value in answer.headers])
        return [answer.body] if answer.body else []

    def _anonymous_read(self, environ: dict[str, Any]) -> bool:
        if environ.get("REQUEST_METHOD") != "GET" or "HTTP_AUTHORIZATION" in environ:
            return False
        cookies = environ.get("HTTP_COOKIE")
        # A name inside another cookie's value also counts: the full path is never wrong.
        return not cookies or not any(name in cookies for name in self.private_cookies)

    def _kept_answer(self, environ: dict[str, Any], address: tuple[str, ...]) -> KeptAnswer | None:
        """The kept answer for this request, if it is still the one the full path would give."""
        some = self.answers.get((*address, "200")) or self.answers.get((*address, "304"))
        if some is None:
            return None
        etag = current_shared_etag(self.app, some.shared.slug, some.shared.variant)
        kind = _kind_wanted(environ, etag) if etag else None
        answer = self.answers.get((*address, kind)) if kind else None
        if answer is None or answer.shared.etag != etag or not answer.fits(environ):
            return None
        return answer

    def _through_full_path(self, environ: dict[str, Any], start_response: StartResponse,
                           address: tuple[str, ...]) -> Iterable[bytes]:
        """The full path's answer, kept when its view marked it shareable."""
        sent: dict[str, Any] = {}

        def remember_start(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
            sent.update(status=status, headers=headers)
            return start_response(status, headers, exc_info)

        body = self.full_path(environ, remember_start)
        shared = environ.get(SHARED_ANSWER_KEY)
        if shared is None or not sent or not _keepable(sent["status"], sent["headers"], shared):
            return body
        varies_on = _varies_on(sent["headers"], environ)
        if varies_on is None:
            return body
        try:
            data = b"".join(body)
        finally:
            if hasattr(body, "close"):
                body.close()
        self.answers.put((*address, sent["status"][:3]),
                         KeptAnswer(shared, sent["status"], tuple(sent["headers"]), data, varies_on))
        return [data]


def install(app: Flask) -> FastPath:
    """Put the fast path in front of the app's WSGI callable (inside any ProxyFix, which must
    run first so the kept answers are told apart by the scheme and host the reader used)."""
    fast_path = FastPath(app, app.wsgi_app)
    app.extensions["drive_answers"] = fast_path.answers
    return fast_path
