"""HTTP caching of a drive's public views: strong ETags from a per-drive version, 304s and
rendered bodies answered from memory, so a page shared thousands of times costs little.

How it stays correct:
- Every flush that touches a drive or a row hanging off it (participants, donations, updates…)
  bumps `Drive.version` and `Drive.changed_at` (a domain rule: drives/versioning.py), so the
  operations need no caching code of their own.
- Each worker keeps slug → version for `DRIVE_VERSION_TTL` seconds (and in Redis when
  REDIS_URL is set); a commit drops the changed slugs at once in this worker and in Redis.
  Other workers see a change within that lifetime, shared caches within `max-age`.
- Whoever made a change gets a short-lived cookie; with it (or logged in) their responses are
  private and their version is read from the database, so they see the change at once.
- A shared answer is marked in the WSGI environ (SHARED_ANSWER_KEY): public/fast_path.py keeps
  it whole and gives it again, before Flask runs, while `current_shared_etag` still matches.
"""

from __future__ import annotations

import hashlib
import logging
import re
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time as day_time
from functools import lru_cache, wraps
from pathlib import Path
from typing import Any, TypeVar

from flask import (
    Flask,
    Response,
    abort,
    current_app,
    g,
    has_app_context,
    has_request_context,
    make_response,
    request,
    session,
)
from werkzeug.http import http_date

from ..core.extensions import db
from ..core.i18n import _l, current_language
from ..core.limits import SLUG_MAX
from ..core.rules import today_in, zone_of
from ..drives import versioning
from ..drives.models import Drive

F = TypeVar("F", bound=Callable[..., Any])
log = logging.getLogger(__name__)

#: Rendered public bodies kept per worker.
BODY_CACHE_SIZE = 512
#: Set on the response to whoever changed a drive; while present, they bypass every cache.
FRESH_COOKIE = "dd_fresh"
#: How long Redis keeps a drive's version; a commit deletes it at once, this only bounds the
#: rare race where a reader stores a version read just before a writer committed.
REDIS_VERSION_TTL_MS = 10_000
REDIS_KEY = "donation-drive:{database}:drive-stamp:{slug}"
NOT_FOUND = _l("There is no drive at this address. Check the link was copied in full.")

#: Where Flask-WTF keeps the CSRF token it rendered into this response (WTF_CSRF_FIELD_NAME).
CSRF_TOKEN_IN_G = "csrf_token"  # noqa: S105 (a key name)
#: Where a view tells public/fast_path.py that its answer may be given again to any anonymous reader.
SHARED_ANSWER_KEY = "donation_drive.shared_answer"
#: What slugs.slugify produces: lower-case letters, digits and hyphens.
SLUG_PATTERN = re.compile(r"[a-z0-9][a-z0-9-]*")


@dataclass(frozen=True)
class SharedAnswer:
    """What the full path answered from, left in the WSGI environ for the fast path to keep."""

    slug: str
    variant: str
    etag: str
    endpoint: str


@dataclass(frozen=True)
class DriveStamp:
    """Enough about a drive to answer a conditional request without loading it."""

    drive_id: int
    slug: str
    version: int
    changed_at: datetime
    #: The drive's time zone: its pages change at its midnight ("3 days left"), not the server's.
    timezone: str

    def encode(self) -> str:
        return f"{self.drive_id}|{self.version}|{self.timezone}|{self.changed_at.isoformat()}"

    @classmethod
    def decode(cls, slug: str, text: str) -> DriveStamp:
        drive_id, version, timezone, changed_at = text.split("|", 3)
        return cls(int(drive_id), slug, int(version), datetime.fromisoformat(changed_at), timezone)

    def today(self) -> date:
        return today_in(self.timezone)


def as_utc(moment: datetime) -> datetime:
    # SQLite hands back naive datetimes; every moment we store is UTC.
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def plausible_slug(slug: str) -> bool:
    """Could this be a drive's slug? Anything else is a 404 without asking the database
    (which would also refuse some strings outright, such as ones holding a NUL)."""
    return len(slug) <= SLUG_MAX and SLUG_PATTERN.fullmatch(slug) is not None


def stamp_from_database(slug: str) -> DriveStamp | None:
    if not plausible_slug(slug):
        return None
    row = db.session.execute(
        db.select(Drive.id, Drive.version, Drive.changed_at, Drive.timezone).where(Drive.slug == slug)
    ).first()
    if row is None:
        return None
    return DriveStamp(row.id, slug, row.version, as_utc(row.changed_at), row.timezone)


class VersionCache:
    """slug → DriveStamp, kept briefly in this worker and, when configured, in Redis."""

    def __init__(self, ttl: float, redis_client: Any = None, namespace: str = "") -> None:
        self.ttl = ttl
        self.redis = redis_client
        #: Two apps on one Redis (or two test databases) never read each other's versions.
        self.namespace = namespace
        self._local: dict[str, tuple[float, DriveStamp]] = {}
        self._lock = threading.Lock()

    def lookup(self, slug: str) -> DriveStamp | None:
        """The drive's stamp, from memory when fresh enough; None for an unknown slug."""
        now = time.monotonic()
        held = self._local.get(slug)
        if held is not None and held[0] > now:
            return held[1]
        stamp = self._from_redis(slug) or stamp_from_database(slug)
        if stamp is not None:
            self.remember(stamp, now)
        return stamp

    def peek(self, slug: str) -> DriveStamp | None:
        """The stamp from memory or Redis, never the database: for use outside a request."""
        now = time.monotonic()
        held = self._local.get(slug)
        if held is not None and held[0] > now:
            return held[1]
        stamp = self._from_redis(slug)
        if stamp is not None:
            with self._lock:
                self._local[slug] = (now + self.ttl, stamp)
        return stamp

    def remember(self, stamp: DriveStamp, now: float | None = None) -> None:
        expires = (now if now is not None else time.monotonic()) + self.ttl
        with self._lock:
            self._local[stamp.slug] = (expires, stamp)
            if len(self._local) > 10 * BODY_CACHE_SIZE:
                self._local.clear()  # crude bound: a worker never holds an unlimited map
        if self.redis is not None:
            self._redis_call(
                lambda: self.redis.set(self._key(stamp.slug), stamp.encode(), px=REDIS_VERSION_TTL_MS)
            )

    def invalidate(self, slugs: set[str]) -> None:
        with self._lock:
            for slug in slugs:
                self._local.pop(slug, None)
        if self.redis is not None and slugs:
            self._redis_call(lambda: self.redis.delete(*(self._key(s) for s in slugs)))

    def clear(self) -> None:
        with self._lock:
            self._local.clear()

    def _key(self, slug: str) -> str:
        return REDIS_KEY.format(database=self.namespace, slug=slug)

    def _from_redis(self, slug: str) -> DriveStamp | None:
        if self.redis is None:
            return None
        text = self._redis_call(lambda: self.redis.get(self._key(slug)))
        return DriveStamp.decode(slug, text.decode()) if text else None

    def _redis_call(self, call: Callable[[], Any]) -> Any:
        """Redis is an accelerator: when it is down, fall back to the database, never fail."""
        try:
            return call()
        except Exception:  # any client or network error means "no cache"
            log.warning("Redis unavailable for drive versions", exc_info=True)
            return None


class BodyCache:
    """The last rendered public bodies, by ETag and URL: a repeat view costs no rendering."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._bodies: OrderedDict[tuple[str, str], tuple[bytes, str]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: tuple[str, str]) -> tuple[bytes, str] | None:
        with self._lock:
            found = self._bodies.get(key)
            if found is not None:
                self._bodies.move_to_end(key)
            return found

    def put(self, key: tuple[str, str], body: bytes, mimetype: str) -> None:
        with self._lock:
            self._bodies[key] = (body, mimetype)
            self._bodies.move_to_end(key)
            while len(self._bodies) > self.size:
                self._bodies.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._bodies.clear()


# --- Following the drives' versions: drives/versioning.py bumps them, a commit announces them. ---


def _forget_committed_changes(_session: object, slugs: set[str]) -> None:
    """Drop the changed drives' versions from every worker's memory (and Redis), and remember
    that this request changed them, for the fresh cookie."""
    if not has_app_context():
        return
    current_app.extensions["drive_versions"].invalidate(slugs)
    if has_request_context():
        g.changed_drive_slugs = {*g.get("changed_drive_slugs", set()), *slugs}


# --- Answering a request from the stamp. ---


def _viewer_key() -> str | None:
    """'a' for a viewer whose response may be shared; a private key for one who is logged in.

    None when the response must not be cached at all (a flash message is about to show).
    """
    if session.get("_flashes"):
        return None
    user = session.get("_user_id") or request.cookies.get(
        current_app.config.get("REMEMBER_COOKIE_NAME", "remember_token")
    )
    if user:
        return "u" + hashlib.sha256(str(user).encode()).hexdigest()[:12]
    return "a"


def _etag(stamp: DriveStamp, variant: str, viewer: str, on: date, salt: str | None = None) -> str:
    salt = salt or current_app.extensions["drive_cache_salt"]
    return f"{stamp.drive_id}-{stamp.version}-{on:%Y%m%d}-{variant}-{viewer}-{salt}"


def current_shared_etag(app: Flask, slug: str, variant: str) -> str | None:
    """The ETag an anonymous reader of `variant` gets now, without a request or the database;
    None when this worker does not know the drive's version (the full path will look it up)."""
    stamp = app.extensions["drive_versions"].peek(slug)
    if stamp is None:
        return None
    return _etag(stamp, variant, "a", stamp.today(), app.extensions["drive_cache_salt"])


def _offer_to_fast_path(slug: str, variant: str, etag: str | None) -> None:
    """This answer holds nothing of the reader's own: the fast path may give it again."""
    if etag:
        request.environ[SHARED_ANSWER_KEY] = SharedAnswer(slug, variant, etag, request.endpoint or "")


def _last_modified(stamp: DriveStamp, on: date) -> datetime:
    # Pages say "3 days left": they change at the drive's midnight even when the drive does not.
    midnight = datetime.combine(on, day_time(0), tzinfo=zone_of(stamp.timezone)).astimezone(UTC)
    return max(stamp.changed_at, midnight).replace(microsecond=0)


def _not_modified(etag: str, last_modified: datetime) -> bool:
    # Read the raw headers first: the common revalidation is one exact string compare.
    sent = request.environ.get("HTTP_IF_NONE_MATCH")
    if sent is not None:
        if sent == f'"{etag}"':
            return True
        # Weak comparison, as RFC 9110 asks for If-None-Match; garbage simply never matches.
        return request.if_none_match.contains_weak(etag)
    if "HTTP_IF_MODIFIED_SINCE" not in request.environ:
        return False
    since = request.if_modified_since
    return since is not None and last_modified <= since


@lru_cache(maxsize=1024)
def _http_date(moment: datetime) -> str:
    return http_date(moment)


def _cache_headers(response: Response, etag: str | None, last_modified: datetime, shared: bool,
                   by_language: bool) -> Response:
    # Plain header writes: this runs on every hit, so no parsing of what we just wrote.
    headers = response.headers
    if etag:
        headers["ETag"] = f'"{etag}"'
    headers["Last-Modified"] = _http_date(last_modified)
    if shared:
        headers["Cache-Control"] = current_app.extensions["drive_public_cache_control"]
    else:
        headers["Cache-Control"] = "private, no-cache" if etag else "private, no-store"
    # The language cookie and Accept-Language choose the reader's language (core/languages.py).
    wanted = ("Cookie", "Accept-Language") if by_language else ("Cookie",)
    vary = headers.get("Vary")
    named = vary.lower() if vary else ""
    missing = [name for name in wanted if name.lower() not in named]
    if missing:
        headers["Vary"] = ", ".join(([vary] if vary else []) + missing)
    return response


def cached_drive_view(variant: str | Callable[[], str] = "page", by_language: bool = True) -> Callable[[F], F]:
    """Answer a view of `/…/<slug>` from the drive's version: 304, a remembered body, or render.

    `variant` names the representation (a callable may read the query string, e.g. a theme);
    it must name everything besides the drive, the day, the viewer and (`by_language`) the
    reader's language that changes the body. A view written in the drive's own language (an
    image for other sites) says `by_language=False`.
    """

    def decorate(view: F) -> F:
        @wraps(view)
        def wrapper(*args: Any, slug: str, **kwargs: Any) -> Any:
            name = variant() if callable(variant) else variant
            if by_language:
                name = f"{name}-{current_language()}"
            viewer = _viewer_key()
            fresh = viewer != "a" or FRESH_COOKIE in request.cookies
            versions: VersionCache = current_app.extensions["drive_versions"]
            stamp = stamp_from_database(slug) if fresh else versions.lookup(slug)
            if stamp is None:
                abort(404, NOT_FOUND)
            on = stamp.today()
            etag = _etag(stamp, name, viewer, on) if viewer else None
            last_modified = _last_modified(stamp, on)
            shared = not fresh
            if etag and _not_modified(etag, last_modified):
                if shared:
                    _offer_to_fast_path(slug, name, etag)
                return _cache_headers(Response(status=304), etag, last_modified, shared, by_language)
            bodies: BodyCache = current_app.extensions["drive_bodies"]
            key = (etag or "", request.host_url + request.full_path)
            held = bodies.get(key) if shared else None
            if held is not None:
                _offer_to_fast_path(slug, name, etag)
                return _cache_headers(Response(held[0], mimetype=held[1]), etag, last_modified, True, by_language)
            response = make_response(view(*args, slug=slug, **kwargs))
            if response.status_code != 200:
                return response
            # A body holding a CSRF token, or one that started a session, is this visitor's own.
            shared = (shared and not session.modified and "Set-Cookie" not in response.headers
                      and CSRF_TOKEN_IN_G not in g)
            if shared:
                bodies.put(key, response.get_data(), response.mimetype or "text/html")
                _offer_to_fast_path(slug, name, etag)
            return _cache_headers(response, etag, last_modified, shared, by_language)

        return wrapper  # type: ignore[return-value]

    return decorate


def mark_fresh_for_changer(response: Response) -> Response:
    """Whoever changed a drive sees the change at once: their next views skip every cache."""
    if g.get("changed_drive_slugs") and response.status_code < 400:
        response.set_cookie(
            FRESH_COOKIE,
            "1",
            # As long as a shared cache may show the view as it was before the change.
            max_age=current_app.config["PUBLIC_MAX_AGE"] + current_app.config["STALE_WHILE_REVALIDATE"],
            httponly=True,
            samesite="Lax",
            secure=request.is_secure,
        )
    return response


def _salt(app: Flask) -> str:
    """Changes when templates or static files change, so a deploy never answers 304 wrongly."""
    newest = 0.0
    for folder in (app.template_folder, app.static_folder):
        if folder and Path(folder).is_dir():
            newest = max([newest, *(p.stat().st_mtime for p in Path(folder).rglob("*") if p.is_file())])
    return hashlib.sha256(f"{app.config['ETAG_SALT']}:{newest}".encode()).hexdigest()[:8]


def _redis_client(url: str | None) -> Any:
    if not url:
        return None
    import redis  # imported only when configured: Redis is optional

    return redis.Redis.from_url(url, socket_timeout=0.2, socket_connect_timeout=0.2)


def clear_caches(app: Flask) -> None:
    """Forget every remembered version and body (tests, and after bulk loads)."""
    app.extensions["drive_versions"].clear()
    app.extensions["drive_bodies"].clear()
    if "drive_answers" in app.extensions:
        app.extensions["drive_answers"].clear()


def init_app(app: Flask) -> None:
    database = hashlib.sha256(app.config["SQLALCHEMY_DATABASE_URI"].encode()).hexdigest()[:12]
    app.extensions["drive_versions"] = VersionCache(
        float(app.config["DRIVE_VERSION_TTL"]),
        _redis_client(app.config["REDIS_URL"]),
        database,
    )
    app.extensions["drive_bodies"] = BodyCache(BODY_CACHE_SIZE)
    app.extensions["drive_cache_salt"] = _salt(app)
    app.extensions["drive_public_cache_control"] = (
        f"public, max-age={app.config['PUBLIC_MAX_AGE']}, "
        f"stale-while-revalidate={app.config['STALE_WHILE_REVALIDATE']}"
    )
    versioning.follow(db.session)
    versioning.drives_changed.connect(_forget_committed_changes)
    app.after_request(mark_fresh_for_changer)
