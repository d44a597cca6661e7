"""Browser-side defences on every response: a strict CSP and the other security headers.

Every response gets them from an after_request hook. A view that needs a looser rule says so
with a decorator, never by editing the policy:

    @bp.get("/d/<slug>/embed")
    @allow_framing("*")            # CSP frame-ancestors *, and no X-Frame-Options
    def embed(slug): ...

    @bp.get("/reset/<token>")
    @referrer_policy("no-referrer")  # the URL holds a secret: never send it on as a Referer
    def reset(token): ...

Private-link pages (/p/...) get `no-referrer` without a decorator, because their URL is
the participant's only credential. Pages holding personal data (PERSONAL_PATH_PREFIXES, and
any page answered to a logged-in organiser that did not choose its own caching) get
`Cache-Control: no-store`.
"""

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from flask import Flask, Response, g, request, session

F = TypeVar("F", bound=Callable[..., Any])

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
SECRET_URL_PREFIXES = ("/p/",)
#: Paths whose pages hold personal data (organiser pages and exports, account pages, private
#: and emailed links, calendar files of a pledge): no cache may keep them.
PERSONAL_PATH_PREFIXES = ("/drives/", "/account/", "/auth/", "/p/", "/r/", "/i/", "/unsubscribe/")
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
    view chose its own caching (the public drive views, `caching.py`, answer them `private`)."""
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
