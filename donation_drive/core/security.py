"""Browser-side defences on every response: a strict CSP and the other security headers.

Every response gets them from an after_request hook. A view that needs a looser rule says so
with a decorator, never by editing the policy:

    @allow_framing("*")            # CSP frame-ancestors *, and no X-Frame-Options
    def embed(slug): ...

    @referrer_policy("no-referrer")  # the URL holds a secret: never send it on as a Referer
    def reset(token): ...

Private-link pages (/p/...) get `no-referrer` without a decorator, because their URL is
the participant's only credential. Pages holding personal data (PERSONAL_PATH_PREFIXES, and
any page answered to a logged-in organiser that did not choose its own caching) get
`Cache-Control: no-store`.

Forms are protected by Flask-WTF's CSRF token and, for unsafe methods, by the browser's word
on where the request came from (`SameOriginCSRFProtect`). That replaces Flask-WTF's strict
HTTPS Referer check, which refused every form on a `no-referrer` page.
"""

import logging
from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar
from urllib.parse import urlsplit

from flask import Flask, Response, g, request, session
from flask_wtf.csrf import CSRFError, CSRFProtect

from .i18n import lazy_gettext as _l

F = TypeVar("F", bound=Callable[..., Any])
log = logging.getLogger(__name__)

#: The policy for every page. No 'unsafe-inline' and no 'unsafe-eval': templates load
#: scripts and styles from /static only. `frame-ancestors` is filled in per response.
CSP_DIRECTIVES: dict[str, str] = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "font-src": "'self'",
    "connect-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'none'",
    "form-action": "'self'",
}

#: Powerful browser features this app never uses, switched off for its pages and any frame.
PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), "
    "microphone=(), payment=(), usb=(), interest-cohort=()"
)

DEFAULT_FRAME_ANCESTORS = "'none'"
DEFAULT_REFERRER_POLICY = "strict-origin-when-cross-origin"
#: Paths whose URL is a secret: a Referer header would hand it to the next site.
SECRET_URL_PREFIXES = ("/p/", "/sign-in/")
#: Paths whose pages hold personal data (organiser pages and exports, account pages, private
#: and emailed links, calendar files of a pledge): no cache may keep them.
PERSONAL_PATH_PREFIXES = ("/drives/", "/account/", "/auth/", "/p/", "/sign-in/", "/r/", "/i/", "/unsubscribe/")
#: One year, as browsers' HSTS preload lists expect.
HSTS_MAX_AGE = 365 * 24 * 60 * 60


def allow_framing(ancestors: str = "*") -> Callable[[F], F]:
    """Let other sites put this view in an iframe: `frame-ancestors <ancestors>`."""

    def decorate(view: F) -> F:
        @wraps(view)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            g.frame_ancestors = ancestors
            return view(*args, **kwargs)

        return wrapper  # type: ignore[return-value]

    return decorate


def referrer_policy(policy: str) -> Callable[[F], F]:
    """Give one view its own Referrer-Policy, e.g. "no-referrer" for a URL holding a secret."""

    def decorate(view: F) -> F:
        @wraps(view)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            g.referrer_policy = policy
            return view(*args, **kwargs)

        return wrapper  # type: ignore[return-value]

    return decorate


class CrossSiteRequest(CSRFError):
    """A form the browser says was sent from another site: refused whatever token it holds."""

    description = _l(
        "This form was sent from another website, so nothing was saved. "
        "If you meant to do this, open our page yourself and send the form from there."
    )


#: Sec-Fetch-Site values a browser gives a request from our own pages, or one the person
#: started themselves (typed address, bookmark): never set by another site.
OWN_FETCH_SITES = {"same-origin", "none"}
DEFAULT_PORTS = {"http": 80, "https": 443}


def origin_of(url: str) -> str | None:
    """scheme://host[:port] of a URL, lower-case and without the scheme's default port."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        return None
    scheme = parts.scheme.lower()
    if scheme not in DEFAULT_PORTS or not parts.hostname:
        return None
    shown_port = "" if port in (None, DEFAULT_PORTS[scheme]) else f":{port}"
    return f"{scheme}://{parts.hostname}{shown_port}"


def sent_from_own_origin() -> bool:
    """Whether the browser says this request comes from a page of this site.

    `Origin` first; a page with `Referrer-Policy: no-referrer` sends `Origin: null`, and then
    `Sec-Fetch-Site` tells; the Referer last, for browsers with neither. A client that names no
    origin at all (a script, an old browser) is let through: the CSRF token alone decides.
    """
    own = origin_of(request.host_url)
    origin = request.headers.get("Origin")
    if origin and origin != "null":
        sender = origin_of(origin)
    elif request.headers.get("Sec-Fetch-Site"):
        return request.headers["Sec-Fetch-Site"] in OWN_FETCH_SITES
    elif request.referrer:
        sender = origin_of(request.referrer)
    else:
        return True
    if sender != own:
        # Also what a proxy that hides https from the app looks like (see PROXY_COUNT).
        log.warning("refused a %s from origin %s; this site is %s", request.method, origin or "(referer)", own)
    return sender == own


class SameOriginCSRFProtect(CSRFProtect):
    """Flask-WTF's token check, then the browser's word on where the form was sent from.

    Views exempt from CSRF (the bearer-token API, one-click unsubscribe) skip both checks.
    """

    def protect(self, apply_exemptions: bool = False) -> None:
        super().protect(apply_exemptions)
        # Set only when the token check ran: an unsafe method on a view that is not exempt.
        if g.get("csrf_valid") and not sent_from_own_origin():
            raise CrossSiteRequest()


def content_security_policy(frame_ancestors: str = DEFAULT_FRAME_ANCESTORS) -> str:
    directives = {**CSP_DIRECTIVES, "frame-ancestors": frame_ancestors}
    return "; ".join(f"{name} {value}" for name, value in directives.items())


def _referrer_policy() -> str:
    chosen = g.get("referrer_policy")
    if chosen:
        return chosen
    if request.path.startswith(SECRET_URL_PREFIXES):
        return "no-referrer"
    return DEFAULT_REFERRER_POLICY


def _holds_personal_data(response: Response) -> bool:
    """Under a personal path, whatever the view said; for a logged-in organiser, unless the
    view chose its own caching (the public drive views, `public/caching.py`, answer them `private`)."""
    if "no-store" in response.headers.get("Cache-Control", ""):
        return False
    if request.path.startswith(PERSONAL_PATH_PREFIXES):
        return True
    if "Cache-Control" in response.headers or request.endpoint == "static":
        return False
    return "_user_id" in session  # Flask-Login's key: reading it loads no user


def add_security_headers(response: Response) -> Response:
    """Set the headers on every response, error pages and static files included."""
    frame_ancestors = g.get("frame_ancestors", DEFAULT_FRAME_ANCESTORS)
    headers = response.headers
    headers["Content-Security-Policy"] = content_security_policy(frame_ancestors)
    if frame_ancestors == DEFAULT_FRAME_ANCESTORS:
        # For browsers too old to know frame-ancestors.
        headers["X-Frame-Options"] = "DENY"
    else:
        headers.pop("X-Frame-Options", None)
    headers["X-Content-Type-Options"] = "nosniff"
    headers["Referrer-Policy"] = _referrer_policy()
    headers["Permissions-Policy"] = PERMISSIONS_POLICY
    headers["Cross-Origin-Opener-Policy"] = "same-origin"
    if _holds_personal_data(response):
        # A page with personal data must not linger in a shared or back-button cache.
        headers["Cache-Control"] = "no-store"
    if request.is_secure:
        headers["Strict-Transport-Security"] = f"max-age={HSTS_MAX_AGE}; includeSubDomains"
    return response


def secure_cookies_when_https(app: Flask) -> None:
    """Served over HTTPS (PREFERRED_URL_SCHEME=https): cookies never travel in clear text."""
    if str(app.config.get("PREFERRED_URL_SCHEME", "http")).lower() == "https":
        app.config["SESSION_COOKIE_SECURE"] = True
        app.config["REMEMBER_COOKIE_SECURE"] = True


def init_app(app: Flask) -> None:
    secure_cookies_when_https(app)
    app.after_request(add_security_headers)
