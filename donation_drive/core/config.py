"""Defaults only. `instance/config.py` and then environment variables override them."""

#: Default SQLite file inside the instance folder; filled in by create_app.
SQLITE_FILENAME = "donation_drive.sqlite3"

SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
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
#: cheap one (a second per hash adds up); tests/test_password_hashing.py checks this default.
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

#: Environment variables read by create_app, with the config key each sets.
ENVIRONMENT_KEYS = {
    "SECRET_KEY": "SECRET_KEY",
    "DATABASE_URL": "SQLALCHEMY_DATABASE_URI",
    "PREFERRED_URL_SCHEME": "PREFERRED_URL_SCHEME",
    "SERVER_NAME": "SERVER_NAME",
    "TRUSTED_HOSTS": "ALLOWED_HOSTS",  # not Flask's TRUSTED_HOSTS key: see core/hosts.py
    "PROXY_COUNT": "PROXY_COUNT",
    "LOG_LEVEL": "LOG_LEVEL",
    "MAIL_SERVER": "MAIL_SERVER",
    "MAIL_PORT": "MAIL_PORT",
    "MAIL_USE_TLS": "MAIL_USE_TLS",
    "MAIL_USERNAME": "MAIL_USERNAME",
    "MAIL_PASSWORD": "MAIL_PASSWORD",
    "MAIL_FROM": "MAIL_FROM",
}

#: How often each worker writes the page views it has counted for the organiser's funnel.
FUNNEL_FLUSH_SECONDS = 30
