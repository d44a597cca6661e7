"""Dialect helper: the one place that knows SQLite from PostgreSQL."""

from collections.abc import Callable

from sqlalchemy import Engine, event
from sqlalchemy.exc import IntegrityError

from .extensions import db

# SQLite queues concurrent writers for this long instead of failing at once.
SQLITE_BUSY_TIMEOUT_MS = 5000


def database_url(url: str) -> str:
    """Normalise a DATABASE_URL so PostgreSQL always goes through psycopg 3."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def register_dialect_settings(engine: Engine) -> None:
    """Turn on what SQLite leaves off by default: foreign keys, WAL and a busy timeout."""
    if engine.dialect.name != "sqlite":
        return

    @event.listens_for(engine, "connect")
    def _sqlite_pragmas(dbapi_connection, _record) -> None:
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")
        if engine.url.database not in (None, "", ":memory:"):
            cursor.execute("PRAGMA journal_mode = WAL")
        cursor.close()


def is_unique_violation(error: Exception) -> bool:
    """True when an IntegrityError came from a unique constraint, on either database."""
    text = str(getattr(error, "orig", error)).lower()
    return "unique" in text or "duplicate key" in text


def add_unique(row: object, on_duplicate: Callable[[], Exception]) -> None:
    """Insert `row` in a savepoint; a unique-constraint clash raises `on_duplicate()` instead.

    The pre-check in each operation gives the friendly message; this catches the race
    where two submits pass that check together.
    """
    try:
        with db.session.begin_nested():
            db.session.add(row)
    except IntegrityError as error:
        if is_unique_violation(error):
            raise on_duplicate() from error
        raise
