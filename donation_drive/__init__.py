"""Donation Drive: organise blood-donation drives with friends."""

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from . import cli, models, worker  # noqa: F401  (models: every table on db.metadata, as Alembic compares it)
from .accounts.blueprint import account, auth
from .api.blueprint import api
from .api.documented import Blueprint as DocumentedBlueprint, rest_api
from .core import config, errors, hosts, i18n, logs, ratelimits, security, templating, web
from .core.blueprint import probes
from .core.database import register_dialect_settings
from .core.extensions import csrf, db, login_manager, migrate
from .core.web import use_lookup_safe_converters
from .drives import init_app as init_drives
from .drives.blueprint import organiser
from .outreach import delivery, init_app as init_outreach
from .outreach.blueprint import outreach
from .participation.blueprint import join, participant
from .privacy.blueprint import privacy
from .public import caching, fast_path
from .public.blueprint import public
from .words.blueprint import words

PACKAGE_DIR = Path(__file__).resolve().parent
MIGRATIONS_DIR = PACKAGE_DIR / "migrations"
#: Every blueprint of the app: one per feature, each with the addresses in its blueprint.py.
BLUEPRINTS = (public, auth, account, organiser, outreach, join, participant, privacy, words, api, probes,
              i18n.language)


def _asset_folder(name: str) -> str:
    """The packaged copy of templates/ or static/ when installed, else the repository's."""
    packaged = PACKAGE_DIR / name
    return str(packaged if packaged.is_dir() else PACKAGE_DIR.parent / name)


def create_app(test_config: Mapping[str, Any] | None = None) -> Flask:
    """Build the app: defaults, then instance/config.py, then environment, then test_config
    (core/config.py reads and checks them all).

    `test_config` may name an INSTANCE_PATH so a test never touches the real instance folder.
    """
    app = Flask(
        __name__,
        instance_path=(test_config or {}).get("INSTANCE_PATH"),
        instance_relative_config=True,
        template_folder=_asset_folder("templates"),
        static_folder=_asset_folder("static"),
    )
    config.load(app, test_config)
    register_host_check(app)
    register_extensions(app)
    register_url_converters(app)
    register_blueprints(app)
    register_template_helpers(app)
    register_errors(app)
    register_security(app)
    register_cli(app)
    register_serving(app)
    register_mail_delivery(app)
    return app


def register_host_check(app: Flask) -> None:
    """First of all request hooks: a request under a host that is not ours goes no further."""
    hosts.init_app(app)


def register_extensions(app: Flask) -> None:
    db.init_app(app)
    with app.app_context():
        register_dialect_settings(db.engine)
    migrate.init_app(app, db, directory=str(MIGRATIONS_DIR), render_as_batch=True)
    csrf.init_app(app)
    i18n.init_app(app)
    login_manager.init_app(app)
    rest_api.init_app(app)


def register_url_converters(app: Flask) -> None:
    """Before any route is added, so that every <int:...> and <slug> uses them."""
    use_lookup_safe_converters(app)


def register_blueprints(app: Flask) -> None:
    for blueprint in BLUEPRINTS:
        # The API's blueprint goes through flask-smorest, which writes its routes into /api/openapi.json.
        (rest_api if isinstance(blueprint, DocumentedBlueprint) else app).register_blueprint(blueprint)


def register_template_helpers(app: Flask) -> None:
    """The helpers templates use, the commit at the request's end, and HTTP caching."""
    # after_request hooks run last-registered first: caching's fresh cookie follows the commit.
    caching.init_app(app)
    web.init_app(app)
    templating.init_app(app)
    init_drives(app)
    init_outreach(app)


def register_errors(app: Flask) -> None:
    errors.init_app(app)


def register_serving(app: Flask) -> None:
    """Request ids and JSON logs, the fast path for anonymous public reads, and trust in the
    reverse proxies in front (outermost, so the fast path sees the reader's scheme and host)."""
    logs.init_app(app)
    # Flask's documented way to add WSGI middleware; its types declare wsgi_app a plain method.
    app.wsgi_app = fast_path.install(app)  # type: ignore[method-assign]
    proxies = app.config["PROXY_COUNT"]
    if proxies > 0:
        app.wsgi_app = ProxyFix(  # type: ignore[method-assign]
            app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies
        )


def register_security(app: Flask) -> None:
    """Browser-side defences and rate limits."""
    security.init_app(app)
    ratelimits.init_app(app)


def register_cli(app: Flask) -> None:
    cli.init_app(app)


def register_mail_delivery(app: Flask) -> None:
    """After each commit that queued mail, the outbox is delivered as MAIL_DELIVERY says."""
    delivery.init_app(app, nudge_worker=worker.nudge(app))
