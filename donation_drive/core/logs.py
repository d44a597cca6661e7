"""Structured one-line logs with a request id, and no personal data in them.

Every record leaves as one JSON object per line. Private links (/p/<token>), invite codes
(/join/<code>), every other token in an address (SECRET_ROUTES) and email addresses are
masked in every message, whichever logger wrote it:
Flask's own "Exception on /p/<token>" lines, the development server's access lines and
gunicorn's (see gunicorn.conf.py) all pass through `redact`.
"""

import json
import logging
import re
import sys
import time
import uuid
from collections.abc import Callable
from typing import Any, TextIO

from flask import Flask, Response, g, has_request_context, request
from flask.logging import default_handler

#: An incoming X-Request-ID is kept only when it looks like an id, so logs cannot be forged.
REQUEST_ID_PATTERN = re.compile(r"^[A-Za-z0-9._:-]{8,128}$")
REQUEST_ID_HEADER = "X-Request-ID"

#: Routes whose next path segment is a secret (a private link, an invite, a one-time token),
#: and what it reads as in a log. tests/core/test_logs.py walks the URL map and fails for any route
#: with a secret in its address that this list leaves out.
SECRET_ROUTES = {
    "p": "private-link",
    "join": "invite-code",
    "i": "invitation",
    "r": "report-link",
    "unsubscribe": "unsubscribe-link",
    "sign-in": "sign-in-link",
    "auth/confirm": "confirmation-token",
    "auth/reset": "reset-token",
    "drives/co-organise": "co-organiser-invitation",
}

#: A slash, or its percent-encoding: a path inside a query string (?next=%2Fp%2F...) is encoded.
_SLASH = "(?:/|%2F)"


def _secret_route(prefix: str, label: str) -> tuple[re.Pattern[str], str]:
    """Masks the segment after `prefix` wherever it appears: in a path, a query string or a Referer."""
    words = _SLASH.join(re.escape(word) for word in prefix.split("/"))
    return re.compile(rf"({_SLASH}{words}{_SLASH})[^/?#&%\s\"']+", re.IGNORECASE), rf"\1[{label}]"


#: (pattern, replacement): the secrets and personal data that must never reach a log.
_REDACTIONS = (
    *(_secret_route(prefix, label) for prefix, label in SECRET_ROUTES.items()),
    (re.compile(r"[\w.+-]+(?:@|%40)[\w-]+(?:\.[\w-]+)+"), "[email]"),
)

#: LogRecord attributes that are not extra fields given by the caller.
_STANDARD_ATTRIBUTES = set(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {
    "message", "asctime", "request_id", "taskName",
}


def redact(text: str) -> str:
    """`text` with private links, invite codes, other tokens and emails masked."""
    for pattern, replacement in _REDACTIONS:
        text = pattern.sub(replacement, text)
    return text


def current_request_id() -> str | None:
    return g.get("request_id") if has_request_context() else None


class RequestIdFilter(logging.Filter):
    """Stamps each record with the id of the request it was logged in, if any."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not getattr(record, "request_id", None):
            record.request_id = current_request_id()
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, request id and any extras."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "ts": self.formatTime(record, "%Y-%m-%dT%H:%M:%S") + f".{int(record.msecs):03d}Z",
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": redact(record.getMessage()),
        }
        request_id = getattr(record, "request_id", None)
        if request_id:
            entry["request_id"] = request_id
        for key, value in vars(record).items():
            if key not in _STANDARD_ATTRIBUTES and not key.startswith("_"):
                entry[key] = redact(value) if isinstance(value, str) else value
        if record.exc_info:
            entry["exception"] = redact(self.formatException(record.exc_info))
        return json.dumps(entry, default=str)

    # Times in UTC, so lines from several machines sort together. Declared as logging.Formatter
    # declares it: a plain callable attribute, which the class never binds to an instance.
    converter: Callable[[float | None], time.struct_time] = time.gmtime


class _CurrentStderrHandler(logging.StreamHandler):
    """Writes to whatever sys.stderr is when a record arrives (test runners swap it)."""

    def __init__(self) -> None:
        super().__init__()

    @property
    def stream(self) -> TextIO:
        return sys.stderr

    @stream.setter
    def stream(self, _value: TextIO) -> None:
        pass


def json_handler(stream: TextIO | None = None) -> logging.Handler:
    """A handler writing redacted JSON lines with request ids to `stream` (stderr by default)."""
    handler = logging.StreamHandler(stream) if stream else _CurrentStderrHandler()
    handler.setFormatter(JsonFormatter())
    handler.addFilter(RequestIdFilter())
    return handler


def configure_logging(level: str = "INFO") -> None:
    """Send every logger's records through one JSON handler on the root logger (once)."""
    root = logging.getLogger()
    if any(handler.get_name() == "donation_drive.json" for handler in root.handlers):
        return
    handler = json_handler()
    handler.set_name("donation_drive.json")
    root.addHandler(handler)
    root.setLevel(level)


def request_id_from(incoming: str) -> str:
    """The id a request is logged under: the proxy's X-Request-ID when it looks like one, else a new one."""
    return incoming if REQUEST_ID_PATTERN.match(incoming) else uuid.uuid4().hex


def _start_request() -> None:
    g.request_id = request_id_from(request.headers.get(REQUEST_ID_HEADER, ""))


def _echo_request_id(response: Response) -> Response:
    response.headers[REQUEST_ID_HEADER] = g.get("request_id") or uuid.uuid4().hex
    return response


def init_app(app: Flask) -> None:
    """Give each request an id (echoed in X-Request-ID) and, unless LOG_FORMAT is "plain", JSON logs."""
    if app.config["LOG_FORMAT"] == "json":
        configure_logging(app.config["LOG_LEVEL"])
        # Flask's default handler would print each record a second time, in plain text.
        app.logger.removeHandler(default_handler)
    app.before_request(_start_request)
    app.after_request(_echo_request_id)
