"""Dialect helper: the one place that knows SQLite from PostgreSQL."""

import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from flask import has_request_context, request
from sqlalchemy import Connection, Engine, event
from sqlalchemy.exc import IntegrityError

from .extensions import db

# SQLite queues concurrent writers for this long instead of failing at once
# (well under gunicorn's 30-second worker timeout).
SQLITE_BUSY_TIMEOUT_MS = 15000

#: Requests that only read: their SQLite transactions need no write lock.
READ_ONLY_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


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

    @event.listens_for(engine, "begin")
    def _sqlite_begin(connection: Connection) -> None:
        driver = _sqlite_driver(connection)
        statement = sqlite_begin_statement()
        if statement is None:
            # The sqlite3 module's own default: BEGIN right before the first write. typeshed leaves
            # "" (the documented default, an alias of "DEFERRED") out of the attribute's type.
            driver.isolation_level = ""  # type: ignore[assignment]
            return
        # SQLAlchemy, not the sqlite3 module, says when a request's transaction begins: the
        # module's implicit BEGIN comes only before the first write, so a SAVEPOINT opened
        # earlier committed on its RELEASE, before the request's one commit or rollback.
        driver.isolation_level = None
        connection.exec_driver_sql(statement)


def _sqlite_driver(connection: Connection) -> sqlite3.Connection:
    """The sqlite3 module's connection under SQLAlchemy's (pysqlite, SQLAlchemy's SQLite driver)."""
    driver = connection.connection.driver_connection
    if driver is None:
        # Only a connection invalidated after an error has none; it must not be used again.
        raise RuntimeError("this SQLite connection was invalidated and has no sqlite3 connection")
    return driver


def sqlite_begin_statement() -> str | None:
    """How a request's SQLite transaction begins; None outside requests and writing() (commands, tests).

    A request that may write takes the write lock at BEGIN IMMEDIATE, so concurrent writers
    wait their turn (up to the busy timeout): a deferred transaction that read first and
    writes later fails at once with "database is locked" if another writer committed in
    between (WAL keeps its old snapshot; the busy timeout does not help). Reading requests
    keep deferred transactions, so in WAL mode they never wait at all.
    """
    if _writing.get():
        return "BEGIN IMMEDIATE"
    if not has_request_context():
        return None
    return "BEGIN" if request.method in READ_ONLY_METHODS else "BEGIN IMMEDIATE"


@contextmanager
def foreign_keys_off_while_migrating(connection: Connection) -> Iterator[None]:
    """SQLite only: switch foreign keys off around schema migrations, then check them.

    Alembic's batch mode rebuilds a table and drops the old one; with foreign keys on, that
    DROP first deletes every row, and ON DELETE CASCADE takes the rows that point at them
    (drop `drive` and every participant and donation would go). The pragma only takes effect
    outside a transaction, so it is sent before alembic begins one.
    """
    if connection.dialect.name != "sqlite":
        yield
        return
    driver = _sqlite_driver(connection)
    driver.execute("PRAGMA foreign_keys = OFF")
    try:
        yield
        broken = driver.execute("PRAGMA foreign_key_check").fetchall()
        if broken:
            raise RuntimeError(f"the migration left rows pointing at missing rows: {broken[:5]}")
    finally:
        driver.execute("PRAGMA foreign_keys = ON")


#: What each driver calls a clash with a unique constraint or primary key.
_UNIQUE_SQLSTATE = "23505"
_UNIQUE_SQLITE_ERRORS = frozenset({"SQLITE_CONSTRAINT_UNIQUE", "SQLITE_CONSTRAINT_PRIMARYKEY"})


def is_unique_violation(error: Exception) -> bool:
    """True when an IntegrityError came from a unique constraint, on either database: read from
    the driver's error code (PostgreSQL's SQLSTATE, SQLite's extended result code), not its words."""
    driver_error = getattr(error, "orig", error)
    if isinstance(driver_error, sqlite3.Error):
        return getattr(driver_error, "sqlite_errorname", None) in _UNIQUE_SQLITE_ERRORS
    return getattr(driver_error, "sqlstate", None) == _UNIQUE_SQLSTATE


def insert_unless_exists(row: object) -> bool:
    """Insert `row` in a savepoint; False when a unique constraint says it already exists."""
    try:
        with db.session.begin_nested():
            db.session.add(row)
    except IntegrityError as error:
        if is_unique_violation(error):
            return False
        raise
    return True


_writing: ContextVar[bool] = ContextVar("writing", default=False)


@contextmanager
def writing() -> Iterator[None]:
    """A transaction outside a request that will write: on SQLite it takes the write lock at
    BEGIN IMMEDIATE, so two workers or cron runs wait their turn instead of failing with
    "database is locked" (see sqlite_begin_statement). It must be the one to begin it."""
    if db.session().in_transaction():
        raise RuntimeError("writing() must begin its own transaction: commit or roll back first")
    token = _writing.set(True)
    try:
        yield
    finally:
        _writing.reset(token)


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
