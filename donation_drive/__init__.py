"""Donation Drive: organise blood-donation drives with friends."""

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from flask import Flask

from .core import config as default_config
from .core.database import database_url, register_dialect_settings
from .core.extensions import csrf, db, login_manager, migrate
from .core.secret_key import load_or_create_secret_key

PACKAGE_DIR = Path(__file__).resolve().parent
MIGRATIONS_DIR = PACKAGE_DIR / "migrations"


def _asset_folder(name: str) -> str:
    """The packaged copy of templates/ or static/ when installed, else the repository's."""
    packaged = PACKAGE_DIR / name
    return str(packaged if packaged.is_dir() else PACKAGE_DIR.parent / name)


def create_app(test_config: Mapping[str, Any] | None = None) -> Flask:
    """Build the app: defaults, then instance/config.py, then environment, then test_config.

    `test_config` may name an INSTANCE_PATH so a test never touches the real instance folder.
    """
    app = Flask(
        __name__,
        instance_path=(test_config or {}).get("INSTANCE_PATH"),
        instance_relative_config=True,
        template_folder=_asset_folder("templates"),
        static_folder=_asset_folder("static"),
    )
    load_config(app, test_config)
    register_host_check(app)
    register_extensions(app)
    register_url_converters(app)
    register_blueprints(app)
    register_api(app)
    register_template_helpers(app)
    register_errors(app)
    register_security(app)
    register_cli(app)
    register_serving(app)
    return app


def load_config(app: Flask, test_config: Mapping[str, Any] | None) -> None:
    app.config.from_object(default_config)
    os.makedirs(app.instance_path, exist_ok=True)
    app.config.from_pyfile("config.py", silent=True)
    for env_name, key in default_config.ENVIRONMENT_KEYS.items():
        if os.environ.get(env_name):
            app.config[key] = os.environ[env_name]
    if test_config:
        app.config.from_mapping(test_config)
    default_db = Path(app.instance_path) / app.config["SQLITE_FILENAME"]
    app.config["SQLALCHEMY_DATABASE_URI"] = database_url(
        app.config.get("SQLALCHEMY_DATABASE_URI") or f"sqlite:///{default_db}"
    )
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = load_or_create_secret_key(Path(app.instance_path))


def register_host_check(app: Flask) -> None:
    """First of all request hooks: a request under a host that is not ours goes no further."""
    from .core import hosts

    hosts.init_app(app)


def register_extensions(app: Flask) -> None:
    db.init_app(app)
    with app.app_context():
        register_dialect_settings(db.engine)
    migrate.init_app(app, db, directory=str(MIGRATIONS_DIR), render_as_batch=True)
    csrf.init_app(app)
    login_manager.init_app(app)


def register_url_converters(app: Flask) -> None:
    """Before any route is added, so that every <int:...> and <slug> uses them."""
    from .core.web import use_lookup_safe_converters

    use_lookup_safe_converters(app)


def register_blueprints(app: Flask) -> None:
    from .accounts.views import bp as auth_bp
    from .api.views import bp as api_bp
    from .drives.tools import init_app as init_organiser_tools
    from .drives.views import bp as organiser_bp
    from .participation.join_views import bp as join_bp
    from .participation.views import bp as participant_bp
    from .public.views import bp as public_bp

    init_organiser_tools(app)  # adds routes to the organiser blueprint, so before registering it
    for blueprint in (public_bp, auth_bp, organiser_bp, join_bp, participant_bp, api_bp):
        app.register_blueprint(blueprint)
    from .outreach import init_app as init_outreach

    init_outreach(app)


def register_api(app: Flask) -> None:
    """HTTP caching of the public drive views, embeds, and the account page for API tokens."""
    from .accounts.account_views import bp as account_bp
    from .public import caching
    from .public.embed_views import bp as embed_bp

    caching.init_app(app)
    app.register_blueprint(embed_bp)
    app.register_blueprint(account_bp)


def register_template_helpers(app: Flask) -> None:
    from .core import templating, web

    templating.init_app(app)
    web.init_app(app)


def register_errors(app: Flask) -> None:
    from .core.errors import init_app

    init_app(app)


def register_serving(app: Flask) -> None:
    """Request ids and JSON logs, health probes, and trust in the reverse proxies in front."""
    from werkzeug.middleware.proxy_fix import ProxyFix

    from .core import logs
    from .core.health import bp as health_bp

    logs.init_app(app)
    app.register_blueprint(health_bp)
    proxies = int(app.config.get("PROXY_COUNT") or 0)
    if proxies > 0:
        # Flask's documented way to add WSGI middleware; its types declare wsgi_app a plain method.
        app.wsgi_app = ProxyFix(  # type: ignore[method-assign]
            app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies
        )


def register_security(app: Flask) -> None:
    """Browser-side defences, rate limits, and the privacy and password-reset pages."""
    from .accounts.reset_views import bp as reset_bp
    from .core import ratelimits, security
    from .privacy.views import bp as privacy_bp

    security.init_app(app)
    ratelimits.init_app(app)
    app.register_blueprint(privacy_bp)
    app.register_blueprint(reset_bp)


def register_cli(app: Flask) -> None:
    from .cli import init_app

    init_app(app)
