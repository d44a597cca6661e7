"""Configuration, read in one place: the defaults below, then `instance/config.py`, then the
environment, then a test's settings. Every value is checked once, when the app is built, and a
wrong one stops the start with a message naming the setting (ConfigError).
"""

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

from flask import Flask

from .database import database_url
from .secret_key import load_or_create_secret_key


class Defaults:
    """Every setting's default; each may be overridden as the module docstring says."""

    #: Default SQLite file inside the instance folder; filled in by create_app.
    SQLITE_FILENAME = "donation_drive.sqlite3"

    SQLALCHEMY_ENGINE_OPTIONS: ClassVar[dict[str, bool]] = {"pool_pre_ping": True}
    WTF_CSRF_TIME_LIMIT = None  # a friend may leave the sign-up page open for hours
    #: Flask-WTF's HTTPS check wants a Referer, which pages holding a secret (no-referrer) never
    #: send; security.SameOriginCSRFProtect checks the Origin instead.
    WTF_CSRF_SSL_STRICT = False
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    MAX_CONTENT_LENGTH = 1024 * 1024
    #: werkzeug's method for new password hashes: scrypt at its default strength. The tests set a
    #: cheap one (a second per hash adds up); tests/accounts/test_password_hashing.py checks this default.
    PASSWORD_HASH_METHOD = "scrypt"  # noqa: S105 (a method name)
    PREFERRED_URL_SCHEME = "http"
    #: Host names a request may use when SERVER_NAME is not set, since absolute links are then built
    #: from the request's Host (see core/hosts.py); ".example.org" allows its subdomains too.
    #: None: those of this machine (localhost, 127.0.0.1, [::1]), or any host when SERVER_NAME is set.
    ALLOWED_HOSTS = None
    #: How many reverse proxies stand in front of the app (their X-Forwarded-* are trusted); 0 = none.
    PROXY_COUNT = 0
    #: "json" for one JSON object per log line, "plain" to leave logging as Flask sets it up.
    LOG_FORMAT = "json"
    LOG_LEVEL = "INFO"

    #: Outgoing mail (see outreach/mail.py). No MAIL_SERVER: messages are written to instance/outbox/.
    MAIL_SERVER = None
    MAIL_PORT = 25
    MAIL_USE_TLS = False
    MAIL_USERNAME = None
    MAIL_PASSWORD = None
    MAIL_FROM = "Donation Drive <donation-drive@localhost>"
    #: Seconds to wait for the mail server before giving up on a message (it is tried again later).
    MAIL_TIMEOUT = 10.0
    #: Who delivers the outbox (outreach/delivery.py): "thread" in the web process, "worker" (the
    #: `flask worker` service) or "inline" (tests). None: "worker" in production, else "thread".
    MAIL_DELIVERY = None
    #: Where the site is, for links in mail the worker writes when SERVER_NAME is not set.
    WORKER_BASE_URL = None

    #: Redis, shared by the workers for rate-limit counters and drive versions; None: each worker alone.
    REDIS_URL = None
    RATELIMIT_KEY_PREFIX = "donation-drive"
    #: How long browsers and shared caches may keep a public drive view, and serve it stale meanwhile.
    PUBLIC_MAX_AGE = 15
    STALE_WHILE_REVALIDATE = 30
    #: Seconds each worker trusts the drive version it remembers (a commit forgets it at once).
    DRIVE_VERSION_TTL = 2.0
    #: Mixed into every ETag: change it to make browsers fetch every public view again.
    ETAG_SALT = ""
    #: A sign-up form sent sooner than this after it was shown is a robot's (participation/spam.py).
    SIGN_UP_MIN_SECONDS = 3.0
    #: How often each worker writes the page views it has counted for the organiser's funnel.
    FUNNEL_FLUSH_SECONDS = 30
    #: "production" makes the settings a real deployment needs required (REQUIRED_IN_PRODUCTION).
    APP_ENV = "development"


class ConfigError(Exception):
    """A setting is missing or can't be used; the message says which and what it should be."""


def _text(value: str) -> str:
    return value


def _whole_number(value: str) -> int:
    number = int(value.strip())
    if number < 0:
        raise ValueError
    return number


def _seconds(value: str) -> float:
    number = float(value.strip())
    if number < 0:
        raise ValueError
    return number


def _yes_no(value: str) -> bool:
    word = value.strip().lower()
    if word not in _YES | _NO:
        raise ValueError
    return word in _YES


def _one_of(*choices: str) -> Callable[[str], str]:
    def parse(value: str) -> str:
        if value.strip().lower() not in choices:
            raise ValueError
        return value.strip().lower()
    return parse


_YES = {"1", "true", "yes", "on"}
_NO = {"0", "false", "no", "off", ""}


@dataclass(frozen=True)
class Setting:
    """An environment variable: the config key it sets, how its text is read, and in words what
    it must be (for the message when it can't be read)."""

    key: str
    parse: Callable[[str], Any] = _text
    expected: str = "text"


_SCHEME = _one_of("http", "https")
_LEVEL = _one_of("debug", "info", "warning", "error", "critical")

#: Environment variables read when the app is built, with the key each sets.
ENVIRONMENT = {
    "APP_ENV": Setting("APP_ENV", _one_of("development", "production"), "development or production"),
    "SECRET_KEY": Setting("SECRET_KEY"),
    "DATABASE_URL": Setting("SQLALCHEMY_DATABASE_URI"),
    "REDIS_URL": Setting("REDIS_URL"),
    "PREFERRED_URL_SCHEME": Setting("PREFERRED_URL_SCHEME", _SCHEME, "http or https"),
    "SERVER_NAME": Setting("SERVER_NAME"),
    "TRUSTED_HOSTS": Setting("ALLOWED_HOSTS"),  # not Flask's TRUSTED_HOSTS key: see core/hosts.py
    "PROXY_COUNT": Setting("PROXY_COUNT", _whole_number, "a whole number, 0 or more"),
    "LOG_LEVEL": Setting("LOG_LEVEL", lambda value: _LEVEL(value).upper(), "DEBUG, INFO, WARNING, ERROR or CRITICAL"),
    "MAIL_SERVER": Setting("MAIL_SERVER"),
    "MAIL_PORT": Setting("MAIL_PORT", _whole_number, "a port number"),
    "MAIL_USE_TLS": Setting("MAIL_USE_TLS", _yes_no, "true or false"),
    "MAIL_USERNAME": Setting("MAIL_USERNAME"),
    "MAIL_PASSWORD": Setting("MAIL_PASSWORD"),
    "MAIL_FROM": Setting("MAIL_FROM"),
    "MAIL_TIMEOUT": Setting("MAIL_TIMEOUT", _seconds, "a number of seconds"),
    "MAIL_DELIVERY": Setting("MAIL_DELIVERY", _one_of("thread", "worker", "inline"), "thread, worker or inline"),
    "WORKER_BASE_URL": Setting("WORKER_BASE_URL"),
}

#: What each value must be once loaded, whoever set it (instance/config.py may set any type).
TYPES: dict[str, tuple[type, ...]] = {
    "PROXY_COUNT": (int,),
    "MAIL_PORT": (int,),
    "MAIL_USE_TLS": (bool,),
    "MAIL_TIMEOUT": (int, float),
    "PUBLIC_MAX_AGE": (int,),
    "STALE_WHILE_REVALIDATE": (int,),
    "DRIVE_VERSION_TTL": (int, float),
    "SIGN_UP_MIN_SECONDS": (int, float),
    "FUNNEL_FLUSH_SECONDS": (int, float),
}

#: What a real deployment must say for itself, with why (README: "Running in production").
REQUIRED_IN_PRODUCTION = {
    "SECRET_KEY": "the same on every server and kept across restarts, or every session and link breaks",
    "SERVER_NAME": "every emailed link is built on it",
    "MAIL_SERVER": "without it no email leaves the server: friends never get their private links",
}


def load(app: Flask, test_config: Mapping[str, Any] | None) -> None:
    """Fill app.config: defaults, instance/config.py, the environment, then `test_config`."""
    config = app.config
    config.from_object(Defaults)
    os.makedirs(app.instance_path, exist_ok=True)
    config.from_pyfile("config.py", silent=True)
    config.update(read_environment(os.environ))
    if test_config:
        config.from_mapping(test_config)
    check(config)
    config["MAIL_DELIVERY"] = config["MAIL_DELIVERY"] or ("worker" if config["APP_ENV"] == "production" else "thread")
    default_db = Path(app.instance_path) / config["SQLITE_FILENAME"]
    config["SQLALCHEMY_DATABASE_URI"] = database_url(config.get("SQLALCHEMY_DATABASE_URI") or f"sqlite:///{default_db}")
    if not config.get("SECRET_KEY"):
        config["SECRET_KEY"] = load_or_create_secret_key(Path(app.instance_path))


def read_environment(environ: Mapping[str, str]) -> dict[str, Any]:
    """The settings the environment gives, read to their types; an empty variable is unset."""
    values, problems = {}, []
    for name, setting in ENVIRONMENT.items():
        if not environ.get(name):
            continue
        try:
            values[setting.key] = setting.parse(environ[name])
        except ValueError:
            problems.append(f"{name} must be {setting.expected}, not {environ[name]!r}")
    if problems:
        raise ConfigError("; ".join(problems))
    return values


def check(config: Mapping[str, Any]) -> None:
    """Refuse a value of the wrong type, and a production deployment missing what it needs."""
    problems = [
        f"{key} must be {' or '.join(kind.__name__ for kind in kinds)}, not {config[key]!r}"
        for key, kinds in TYPES.items()
        if config.get(key) is not None and not _is_a(config[key], kinds)
    ]
    if config.get("MAIL_DELIVERY") not in (None, "thread", "worker", "inline"):
        problems.append(f"MAIL_DELIVERY must be thread, worker or inline, not {config['MAIL_DELIVERY']!r}")
    if config.get("APP_ENV") == "production":
        problems += [
            f"{key} is required in production: {why}"
            for key, why in REQUIRED_IN_PRODUCTION.items()
            if not config.get(key) and not (key == "SERVER_NAME" and config.get("ALLOWED_HOSTS"))
        ]
    if problems:
        raise ConfigError("; ".join(problems))


def _is_a(value: object, kinds: tuple[type, ...]) -> bool:
    # True and False are ints to Python, but a port or a count is never a yes or a no.
    return isinstance(value, kinds) and (isinstance(value, bool) == (bool in kinds))
