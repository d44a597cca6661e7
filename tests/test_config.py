"""Configuration: defaults, then instance/config.py, then environment, then test settings."""

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from donation_drive import create_app

ROOT = Path(__file__).resolve().parents[1]


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


def test_a_built_wheel_carries_templates_static_and_migrations(tmp_path):
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
