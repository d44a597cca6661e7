"""Rate limits on everything a script could hammer: logins, sign-ups, reports, mail, API writes.

Counters live in memory by default, and in Redis when REDIS_URL (or RATELIMIT_STORAGE_URI) is
set, so several workers agree. If Redis cannot be reached the app keeps serving: it logs a
warning and counts in this process's memory instead, with the same limits on every route —
whether Redis is missing at start-up or dies later (Flask-Limiter then checks now and again
whether it is back).

Apply a limit to the view function; each counts POSTs only, per route:

    @ratelimits.login
    def login(): ...

The available decorators are `login`, `registration`, `confirmation_resend`, `password_reset`,
`sign_up`, `donation_report`, `lost_link`, `invitations`, `photo_upload`, `support_message` (two
limits: per client and per drive) and `api_write`. Their limits are in LIMITS and each can be
changed in config, e.g. RATELIMIT_SIGN_UP = "50 per hour".
"""

import hashlib
import logging
import math
import time
from collections.abc import Callable

from flask import Flask, Response, current_app, request
from flask_limiter import Limiter, RateLimitExceeded
from flask_limiter.util import get_remote_address
from flask_login import current_user
from limits.storage import storage_from_string

from .errors import render_error
from .i18n import lazy_gettext as _l, ngettext

log = logging.getLogger(__name__)

#: Limits per client, chosen so a group of friends on one Wi-Fi at a blood bank never meets
#: them while a script guessing passwords or flooding a drive does at once.
LIMITS = {
    "LOGIN": "10 per minute;60 per hour",
    "REGISTRATION": "10 per hour",
    # "Send the link again" mails an address: a slow inbox needs one or two, not a stream.
    "CONFIRMATION_RESEND": "3 per 15 minutes;10 per day",
    "PASSWORD_RESET": "5 per 15 minutes;20 per day",
    "SIGN_UP": "30 per 10 minutes;200 per day",
    "DONATION_REPORT": "20 per hour",
    "LOST_LINK": "5 per 15 minutes;20 per day",
    "INVITATIONS": "30 per hour",
    "API_WRITE": "120 per minute",
    # Each upload is decoded (up to about 1 s of CPU); an organiser tries a few photos at most.
    "PHOTO_UPLOAD": "20 per hour;50 per day",
    # Words of support: a family at a memorial gathering on one Wi-Fi sends a few each, a script
    # many. Per drive too, so a flood from many addresses never buries the family in messages to read.
    "SUPPORT_MESSAGE": "20 per 10 minutes;60 per day",
    "SUPPORT_MESSAGES_PER_DRIVE": "60 per hour;300 per day",
}
#: Seconds to wait for Redis before counting in memory; a request must never hang on it.
REDIS_TIMEOUT = 1

#: `%(wait)s` is filled in with how long, in words ("40 seconds").
TOO_MANY_MESSAGE = _l(
    "You've tried this too many times in a short while, so we've paused it to keep everyone's "
    "data safe. Please wait %(wait)s and try again."
)

limiter = Limiter(
    key_func=get_remote_address,
    headers_enabled=True,
    # No fallback limits of its own: while Redis is down, each route keeps its own limits.
    in_memory_fallback_enabled=True,
    swallow_errors=True,
)


def by_private_link() -> str:
    """One participant's private link, hashed: their reports count together wherever they are."""
    token = (request.view_args or {}).get("token", "")
    return "link:" + hashlib.sha256(str(token).encode()).hexdigest()[:32]


def by_drive() -> str:
    """The drive in the address: every sender's posts to one drive count together."""
    return "drive:" + str((request.view_args or {}).get("slug", ""))


def by_credentials() -> str:
    """An API token (hashed) when one is sent, else the client's address."""
    authorization = request.headers.get("Authorization", "")
    if authorization:
        return "auth:" + hashlib.sha256(authorization.encode()).hexdigest()[:32]
    return get_remote_address()


def by_account() -> str:
    """The logged-in organiser: their uploads count together on every drive and device."""
    if current_user.is_authenticated:
        return f"user:{current_user.id}"
    return get_remote_address()


def _configured(name: str) -> Callable[[], str]:
    return lambda: current_app.config.get(f"RATELIMIT_{name}", LIMITS[name])


def _post_limit(name: str, key_func: Callable[[], str] = get_remote_address):
    return limiter.limit(_configured(name), methods=["POST"], key_func=key_func)


login = _post_limit("LOGIN")
registration = _post_limit("REGISTRATION")
confirmation_resend = _post_limit("CONFIRMATION_RESEND")
password_reset = _post_limit("PASSWORD_RESET")
sign_up = _post_limit("SIGN_UP")
donation_report = _post_limit("DONATION_REPORT", by_private_link)
lost_link = _post_limit("LOST_LINK")
invitations = _post_limit("INVITATIONS")
photo_upload = _post_limit("PHOTO_UPLOAD", by_account)
support_message_per_client = _post_limit("SUPPORT_MESSAGE")
support_messages_per_drive = _post_limit("SUPPORT_MESSAGES_PER_DRIVE", by_drive)


def support_message(view: Callable) -> Callable:
    """Both limits of the words-of-support form: per client, and per drive."""
    return support_message_per_client(support_messages_per_drive(view))


api_write = limiter.limit(
    _configured("API_WRITE"), methods=["POST", "PUT", "PATCH", "DELETE"], key_func=by_credentials
)


def _storage_uri(app: Flask) -> str:
    return app.config.get("RATELIMIT_STORAGE_URI") or app.config["REDIS_URL"] or "memory://"


def _reachable(uri: str, options: dict) -> bool:
    try:
        return bool(storage_from_string(uri, **options).check())
    except Exception:  # any driver error means "not usable"; the reason is logged below
        log.debug("Rate-limit storage check failed", exc_info=True)
        return False


def configure_storage(app: Flask) -> None:
    """Redis when configured and reachable; otherwise memory, with a warning when Redis failed."""
    uri = _storage_uri(app)
    if uri.startswith(("redis://", "rediss://", "redis+")):
        options = {"socket_connect_timeout": REDIS_TIMEOUT, "socket_timeout": REDIS_TIMEOUT}
        options.update(app.config.get("RATELIMIT_STORAGE_OPTIONS") or {})
        if _reachable(uri, options):
            app.config["RATELIMIT_STORAGE_OPTIONS"] = options
        else:
            # No URL in the log: it may hold a password.
            log.warning("Redis for rate limits is unreachable; counting in this process's memory instead")
            uri = "memory://"
    app.config["RATELIMIT_STORAGE_URI"] = uri


def retry_after_seconds() -> int:
    """Seconds until the limit that was hit resets (at least 1)."""
    current = limiter.current_limit
    if current is None:
        return 60
    return max(1, math.ceil(current.reset_at - time.time()))


def _in_words(seconds: int) -> str:
    if seconds < 90:
        return ngettext("%(num)s second", "%(num)s seconds", seconds)
    minutes = math.ceil(seconds / 60)
    if minutes < 90:
        return ngettext("%(num)s minute", "%(num)s minutes", minutes)
    hours = math.ceil(minutes / 60)
    return ngettext("%(num)s hour", "%(num)s hours", hours)


def too_many_requests(_error: RateLimitExceeded) -> Response:
    """The friendly 429 page (JSON under /api/), with Retry-After."""
    wait = retry_after_seconds()
    body, status = render_error(429, TOO_MANY_MESSAGE % {"wait": _in_words(wait)})
    response = current_app.make_response((body, status))
    response.headers["Retry-After"] = str(wait)
    return response


def _forget_previous_app() -> None:
    """Flask-Limiter keeps some settings from the first app it met; each app brings its own.

    One process serves one app in production; tests build many, one after another.
    """
    limiter.enabled = True  # RATELIMIT_ENABLED=False in one app must not switch limits off in the next
    limiter._key_prefix = ""
    limiter._storage_options = {}
    limiter._storage_dead = False


def init_app(app: Flask) -> None:
    configure_storage(app)
    _forget_previous_app()
    limiter.init_app(app)
    app.register_error_handler(RateLimitExceeded, too_many_requests)
