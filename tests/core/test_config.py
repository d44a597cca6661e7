"""Configuration: defaults, then instance/config.py, then environment, then test settings."""

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from donation_drive import create_app
from donation_drive.core.config import ConfigError

ROOT = Path(__file__).resolve().parents[2]


def test_secret_key_is_generated_once_into_the_instance_folder(tmp_path, monkeypatch):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    first = create_app({"INSTANCE_PATH": str(tmp_path), "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    second = create_app({"INSTANCE_PATH": str(tmp_path), "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    key_file = tmp_path / "secret_key"
    assert key_file.exists()
    assert oct(key_file.stat().st_mode & 0o777) == "0o600"
    assert len(first.config["SECRET_KEY"]) == 64
    assert first.config["SECRET_KEY"] == second.config["SECRET_KEY"]


def test_default_database_is_sqlite_in_the_instance_folder(tmp_path, monkeypatch):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    app = create_app({"INSTANCE_PATH": str(tmp_path)})
    assert app.config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path / 'donation_drive.sqlite3'}"


def test_instance_config_then_environment_override_defaults(tmp_path, monkeypatch):
    (tmp_path / "config.py").write_text('SECRET_KEY = "from instance"\nMAX_CONTENT_LENGTH = 1234\n')
    monkeypatch.delenv("SECRET_KEY", raising=False)
    app = create_app({"INSTANCE_PATH": str(tmp_path), "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    assert app.config["SECRET_KEY"] == "from instance"
    assert app.config["MAX_CONTENT_LENGTH"] == 1234

    monkeypatch.setenv("SECRET_KEY", "from environment")
    monkeypatch.setenv("DATABASE_URL", "postgres://someone@db.example/drives")
    app = create_app({"INSTANCE_PATH": str(tmp_path)})
    assert app.config["SECRET_KEY"] == "from environment"
    assert app.config["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://someone@db.example/drives"


def test_sqlite_foreign_keys_are_enforced(app):
    from sqlalchemy import text

    from donation_drive.core.extensions import db

    with app.app_context(), db.engine.connect() as connection:
        if db.engine.dialect.name != "sqlite":
            pytest.skip("SQLite only")
        assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1


def test_a_built_wheel_carries_templates_static_migrations_and_compiled_catalogs(tmp_path):
    pytest.importorskip("hatchling")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(tmp_path), str(ROOT)],
        check=True,
        capture_output=True,
    )
    wheel = next(tmp_path.glob("donation_drive-*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    assert "donation_drive/templates/base.html" in names
    assert "donation_drive/static/css/main.css" in names
    assert any(name.startswith("donation_drive/migrations/versions/") for name in names)
    assert "donation_drive/migrations/alembic.ini" in names
    for language in ("es", "fr", "pt_BR", "ar"):
        assert f"donation_drive/translations/{language}/LC_MESSAGES/messages.mo" in names


def test_environment_values_are_read_to_their_types(tmp_path, monkeypatch):
    for name, value in {"PROXY_COUNT": "2", "MAIL_PORT": "587", "MAIL_USE_TLS": "Yes", "MAIL_TIMEOUT": "2.5",
                        "LOG_LEVEL": "warning", "PREFERRED_URL_SCHEME": "HTTPS", "REDIS_URL": "redis://cache:6379/0",
                        "MAIL_USERNAME": ""}.items():
        monkeypatch.setenv(name, value)
    config = create_app({"INSTANCE_PATH": str(tmp_path), "SQLALCHEMY_DATABASE_URI": "sqlite://",
                         "RATELIMIT_STORAGE_URI": "memory://"}).config
    assert (config["PROXY_COUNT"], config["MAIL_PORT"], config["MAIL_USE_TLS"], config["MAIL_TIMEOUT"]) == (2, 587, True, 2.5)
    assert (config["LOG_LEVEL"], config["PREFERRED_URL_SCHEME"]) == ("WARNING", "https")
    assert config["REDIS_URL"] == "redis://cache:6379/0"
    assert config["MAIL_USERNAME"] is None, "an empty variable leaves the default"


@pytest.mark.parametrize(("name", "value", "message"), [
    ("PROXY_COUNT", "two", "PROXY_COUNT must be a whole number, 0 or more, not 'two'"),
    ("PROXY_COUNT", "-1", "PROXY_COUNT must be a whole number, 0 or more, not '-1'"),
    ("MAIL_PORT", "smtp", "MAIL_PORT must be a port number, not 'smtp'"),
    ("MAIL_USE_TLS", "maybe", "MAIL_USE_TLS must be true or false, not 'maybe'"),
    ("MAIL_TIMEOUT", "soon", "MAIL_TIMEOUT must be a number of seconds, not 'soon'"),
    ("PREFERRED_URL_SCHEME", "ftp", "PREFERRED_URL_SCHEME must be http or https, not 'ftp'"),
    ("LOG_LEVEL", "loud", "LOG_LEVEL must be DEBUG, INFO, WARNING, ERROR or CRITICAL, not 'loud'"),
    ("APP_ENV", "prod", "APP_ENV must be development or production, not 'prod'"),
])
def test_a_setting_that_cannot_be_read_stops_the_start_and_says_which(tmp_path, monkeypatch, name, value, message):
    monkeypatch.setenv(name, value)
    with pytest.raises(ConfigError) as refused:
        create_app({"INSTANCE_PATH": str(tmp_path), "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    assert str(refused.value) == message


def test_a_wrong_type_in_the_instance_config_stops_the_start(tmp_path):
    (tmp_path / "config.py").write_text('MAIL_PORT = "587"\nMAIL_USE_TLS = 1\n')
    with pytest.raises(ConfigError) as refused:
        create_app({"INSTANCE_PATH": str(tmp_path), "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    assert str(refused.value) == "MAIL_PORT must be int, not '587'; MAIL_USE_TLS must be bool, not 1"


def test_production_needs_a_secret_key_a_server_name_and_a_mail_server(tmp_path, monkeypatch):
    for name in ("SECRET_KEY", "SERVER_NAME", "TRUSTED_HOSTS", "MAIL_SERVER"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("APP_ENV", "production")
    settings = {"INSTANCE_PATH": str(tmp_path), "SQLALCHEMY_DATABASE_URI": "sqlite://"}
    with pytest.raises(ConfigError) as refused:
        create_app(settings)
    assert [problem.split(":")[0] for problem in str(refused.value).split("; ")] == [
        "SECRET_KEY is required in production",
        "SERVER_NAME is required in production",
        "MAIL_SERVER is required in production",
    ]
    assert not (tmp_path / "secret_key").exists(), "no key generated for a start that was refused"

    monkeypatch.setenv("SECRET_KEY", "a production secret key, the same on every server")
    monkeypatch.setenv("TRUSTED_HOSTS", "drive.example.org")  # instead of SERVER_NAME
    monkeypatch.setenv("MAIL_SERVER", "smtp.example.org")
    assert create_app(settings).config["APP_ENV"] == "production"
