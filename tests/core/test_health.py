"""/healthz says the process is up; /readyz says the database answers at the newest migration."""

import pytest
import sqlalchemy as sa
from flask import request

from donation_drive import create_app

UNREACHABLE_DATABASE = "postgresql+psycopg://postgres@127.0.0.1:1/nothing?connect_timeout=2"


def test_healthz_answers_without_the_database(tmp_path):
    app = create_app({"SQLALCHEMY_DATABASE_URI": UNREACHABLE_DATABASE, "INSTANCE_PATH": str(tmp_path),
                      "SECRET_KEY": "test", "MAIL_DELIVERY": "inline"})
    response = app.test_client().get("/healthz")
    assert response.status_code == 200
    assert response.json == {"status": "ok"}


def test_readyz_is_ready_on_a_migrated_database(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json["status"] == "ok"
    assert response.json["database"] == "reachable"
    assert len(response.json["migration"]) == 1


def test_readyz_is_not_ready_when_the_database_is_unreachable(tmp_path):
    app = create_app({"SQLALCHEMY_DATABASE_URI": UNREACHABLE_DATABASE, "INSTANCE_PATH": str(tmp_path),
                      "SECRET_KEY": "test", "MAIL_DELIVERY": "inline"})
    response = app.test_client().get("/readyz")
    assert response.status_code == 503
    assert response.json == {"status": "unavailable", "database": "unreachable"}


def test_readyz_is_not_ready_before_migrations_run(tmp_path):
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'empty.sqlite3'}",
                      "INSTANCE_PATH": str(tmp_path), "SECRET_KEY": "test", "MAIL_DELIVERY": "inline"})
    response = app.test_client().get("/readyz")
    assert response.status_code == 503
    assert response.json["database"] == "reachable"
    assert response.json["migration"] == []


def test_readyz_is_not_ready_when_the_schema_lags_behind_the_code(app, client, db):
    with db.engine.begin() as connection:
        head = connection.scalar(sa.text("SELECT version_num FROM alembic_version"))
        connection.execute(sa.text("UPDATE alembic_version SET version_num = 'older'"))
    try:
        response = client.get("/readyz")
    finally:
        with db.engine.begin() as connection:
            connection.execute(sa.text("UPDATE alembic_version SET version_num = :head"), {"head": head})
    assert response.status_code == 503
    assert response.json["migration"] == ["older"]
    assert response.json["expected_migration"] == [head]


def _where_from_app(app):
    app.add_url_rule("/_where", "where", lambda: f"{request.scheme} {request.remote_addr} {request.host}")
    return app.test_client()


FORWARDED = {"X-Forwarded-For": "203.0.113.7", "X-Forwarded-Proto": "https", "X-Forwarded-Host": "blood.example"}


@pytest.mark.own_app  # adds a route of its own
def test_forwarded_headers_are_ignored_without_a_proxy(app):
    client = _where_from_app(app)
    assert client.get("/_where", headers=FORWARDED).get_data(as_text=True) == "http 127.0.0.1 drive.test"


def test_one_trusted_proxy_gives_the_visitor_address_and_https(database_url, tmp_path, monkeypatch):
    monkeypatch.setenv("PROXY_COUNT", "1")
    monkeypatch.setenv("TRUSTED_HOSTS", "blood.example")  # the forwarded host, as an operator would list it
    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "INSTANCE_PATH": str(tmp_path),
                      "SECRET_KEY": "test", "MAIL_DELIVERY": "inline"})
    client = _where_from_app(app)
    answer = client.get("/_where", headers=FORWARDED).get_data(as_text=True)
    assert answer == "https 203.0.113.7 blood.example"
