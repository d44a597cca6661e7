"""Which host names a request may use, so that no link the app sends out names another site.

Emailed links, calendar files, the API's URLs and share links are absolute. With SERVER_NAME
set they are built from it whatever Host a request names (Flask 3.1). Without it they are built
from the request's Host, so that Host must be one of ALLOWED_HOSTS: by default the names
`flask run` answers to on this machine. Any other answers 400 before a view runs.

Flask's own TRUSTED_HOSTS check is not used: Werkzeug cannot match an IPv6 address such as
[::1] against its list, so `flask run --host ::1` would be refused.
"""

import logging
from collections.abc import Iterable

from flask import Flask, current_app, request

from .i18n import lazy_gettext as _l
from .web import refuse

log = logging.getLogger(__name__)

#: The names a development server on this machine is reached by.
LOCAL_HOSTS = ("localhost", "127.0.0.1", "::1")

UNTRUSTED_HOST = _l(
    "This site does not answer to the address you used. Please use the address you were given."
)


def parse_hosts(value: str | Iterable[str] | None) -> list[str] | None:
    """ALLOWED_HOSTS as a list: a comma-separated string (from the environment) or a list."""
    if value is None:
        return None
    names = value.split(",") if isinstance(value, str) else value
    return [name.strip().lower() for name in names if name.strip()]


def host_name(host: str) -> str:
    """The name in a Host header, without its port and an IPv6 address's brackets."""
    if host.startswith("["):
        return host[1:].partition("]")[0].lower()
    return host.rpartition(":")[0].lower() if host.count(":") == 1 else host.lower()


def host_is_allowed(host: str, allowed: Iterable[str]) -> bool:
    """Whether `host` is one of `allowed`; a name starting with "." allows its subdomains too."""
    name = host_name(host)
    for entry in allowed:
        bare = entry.strip("[]").removeprefix(".")
        if name == bare or (entry.startswith(".") and name.endswith(f".{bare}")):
            return True
    return False


def _refuse_untrusted_host() -> None:
    config = current_app.config
    allowed = parse_hosts(config.get("ALLOWED_HOSTS"))
    if allowed is None:
        if config.get("SERVER_NAME"):
            return  # links come from SERVER_NAME, whatever the Host
        allowed = list(LOCAL_HOSTS)
    if not host_is_allowed(request.host, allowed):
        # Also what a server reached under a name missing from TRUSTED_HOSTS shows.
        log.warning("refused a request for host %r: not in TRUSTED_HOSTS", request.host)
        refuse(400, UNTRUSTED_HOST)


def init_app(app: Flask) -> None:
    """Check the Host before anything else a request sets off (sessions, CSRF, rate limits)."""
    app.before_request(_refuse_untrusted_host)
