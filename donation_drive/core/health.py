"""Probes for a load balancer or orchestrator: is the process up, and can it serve?"""

import logging

from alembic.script import ScriptDirectory
from flask import current_app
from sqlalchemy import Connection, inspect, text
from sqlalchemy.exc import SQLAlchemyError

from .extensions import db

log = logging.getLogger(__name__)


def healthz():
    """The process answers; nothing else is checked, so a slow database never restarts it."""
    return {"status": "ok"}


def readyz():
    """Ready when the database answers and its schema is at the newest migration."""
    try:
        with db.engine.connect() as connection:
            connection.execute(text("SELECT 1"))
            applied = applied_migrations(connection)
    except SQLAlchemyError as error:
        log.warning("readiness check: database unreachable (%s)", type(error).__name__)
        return {"status": "unavailable", "database": "unreachable"}, 503
    expected = migration_heads()
    if applied != expected:
        return {
            "status": "unavailable",
            "database": "reachable",
            "migration": sorted(applied),
            "expected_migration": sorted(expected),
        }, 503
    return {"status": "ok", "database": "reachable", "migration": sorted(applied)}


def applied_migrations(connection: Connection) -> set[str]:
    """The revisions alembic recorded in the database; none before `flask db upgrade`."""
    if not inspect(connection).has_table("alembic_version"):
        return set()
    return set(connection.scalars(text("SELECT version_num FROM alembic_version")))


def migration_heads() -> set[str]:
    """The newest revisions among the migration scripts, read from disk once per app."""
    heads = current_app.extensions.get("migration_heads")
    if heads is None:
        config = current_app.extensions["migrate"].migrate.get_config()
        heads = current_app.extensions["migration_heads"] = set(ScriptDirectory.from_config(config).get_heads())
    return heads
