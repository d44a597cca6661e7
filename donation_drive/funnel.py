"""'Is this working?': per-day counts for a drive, with no cookies, IP addresses or third parties.

Progress-page views and invite-link opens are counted as they happen, one number per drive,
day and kind. Sign-ups and donations are already rows with their own dates, so they are read
from there. Nothing about who looked is kept.
"""

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone

from flask import Flask, current_app, request, request_started
from sqlalchemy import literal, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import SQLAlchemyError

from .database import SQLITE_BUSY_TIMEOUT_MS
from .extensions import db
from .models import DailyCount, Donation, Drive, Participant
from .rules import today

PROGRESS_VIEW = "progress_view"
INVITE_OPEN = "invite_open"
#: How long a count may wait for SQLite's write lock before it is dropped.
COUNT_WAIT_MS = 250
#: Days shown on the organiser page.
FUNNEL_DAYS = 14

#: Which requests are counted: endpoint → (kind, the URL part that finds the drive, its column).
COUNTED_ENDPOINTS = {
    "public.progress_page": (PROGRESS_VIEW, "slug", Drive.slug),
    "join.sign_up": (INVITE_OPEN, "code", Drive.invite_code),
}


def _upsert(dialect: str):
    return postgresql.insert if dialect == "postgresql" else sqlite.insert


def count_view(kind: str, column, value: str, on: date) -> None:
    """Add one to today's count for the drive whose `column` is `value` (if there is one).

    Runs in its own short transaction, so a page view never holds the request's transaction
    open for writing; a count that can't be written is dropped, never the page.
    """
    table = DailyCount.__table__
    insert = _upsert(db.engine.dialect.name)(table).from_select(
        ["drive_id", "day", "kind", "count"],
        select(Drive.id, literal(on), literal(kind), literal(1)).where(column == value),
    )
    statement = insert.on_conflict_do_update(
        index_elements=["drive_id", "day", "kind"], set_={"count": table.c.count + 1}
    )
    try:
        with db.engine.begin() as connection:
            sqlite_db = connection.dialect.name == "sqlite"
            if sqlite_db:
                # Wait only briefly for SQLite's single write lock: a view is worth less than a page.
                connection.exec_driver_sql(f"PRAGMA busy_timeout = {COUNT_WAIT_MS}")
            try:
                connection.execute(statement)
            finally:
                if sqlite_db:
                    connection.exec_driver_sql(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")
    except SQLAlchemyError:
        current_app.logger.warning("could not count a %s", kind, exc_info=True)


def _on_request_started(app: Flask, **_extra) -> None:
    # A signal, not before_request: it runs even when a cache answers the request early.
    if request.method != "GET" or request.endpoint not in COUNTED_ENDPOINTS:
        return
    kind, argument, column = COUNTED_ENDPOINTS[request.endpoint]
    value = (request.view_args or {}).get(argument)
    if value:
        count_view(kind, column, value, today())


@dataclass(frozen=True)
class FunnelDay:
    day: date
    progress_views: int
    invite_opens: int
    sign_ups: int
    donations: int


@dataclass(frozen=True)
class Funnel:
    days: list[FunnelDay]

    @property
    def totals(self) -> FunnelDay:
        return FunnelDay(
            day=self.days[-1].day if self.days else today(),
            progress_views=sum(d.progress_views for d in self.days),
            invite_opens=sum(d.invite_opens for d in self.days),
            sign_ups=sum(d.sign_ups for d in self.days),
            donations=sum(d.donations for d in self.days),
        )


def _day(moment: datetime) -> date:
    if moment.tzinfo is not None:
        moment = moment.astimezone(timezone.utc)
    return moment.date()


def funnel_of(drive: Drive, days: int = FUNNEL_DAYS) -> Funnel:
    """The last `days` days, newest first, in three queries."""
    first = today() - timedelta(days=days - 1)
    since = datetime(first.year, first.month, first.day, tzinfo=timezone.utc)
    counted = Counter()
    for day, kind, number in db.session.execute(
        select(DailyCount.day, DailyCount.kind, DailyCount.count)
        .where(DailyCount.drive_id == drive.id, DailyCount.day >= first)
    ):
        counted[(day, kind)] += number
    sign_ups = Counter(_day(moment) for moment in db.session.scalars(
        select(Participant.created_at).where(Participant.drive_id == drive.id, Participant.created_at >= since)
    ))
    donations = Counter(_day(moment) for moment in db.session.scalars(
        select(Donation.created_at).where(Donation.drive_id == drive.id, Donation.created_at >= since)
    ))
    return Funnel([
        FunnelDay(
            day=day,
            progress_views=counted[(day, PROGRESS_VIEW)],
            invite_opens=counted[(day, INVITE_OPEN)],
            sign_ups=sign_ups[day],
            donations=donations[day],
        )
        for day in (today() - timedelta(days=offset) for offset in range(days))
    ])


def init_app(app: Flask) -> None:
    request_started.connect(_on_request_started, app)
