"""'Is this working?': per-day counts for a drive, with no cookies, IP addresses or third parties.

Progress-page views and invite-link opens are counted in memory and written in batches, one
number per drive, day and kind. Sign-ups and donations are already rows with their own dates, so they are read
from there. Nothing about who looked is kept.
"""

import threading
import time
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from flask import Flask, current_app, request, request_started
from sqlalchemy import literal, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import SQLAlchemyError

from ..core.extensions import db
from ..core.rules import today
from ..donations.models import Donation
from ..participation.models import Participant
from .models import DailyCount, Drive

PROGRESS_VIEW = "progress_view"
INVITE_OPEN = "invite_open"
#: Days shown on the organiser page.
FUNNEL_DAYS = 14

#: Which requests are counted: endpoint → (kind, the URL part that finds the drive, its column).
COUNTED_ENDPOINTS = {
    "public.progress_page": (PROGRESS_VIEW, "slug", Drive.slug),
    "join.sign_up": (INVITE_OPEN, "code", Drive.invite_code),
}

#: Pages that show the funnel write this worker's pending counts first.
SHOWS_THE_FUNNEL = frozenset({"organiser.drive_page", "organiser.advanced_page"})


def _upsert(dialect: str):
    return postgresql.insert if dialect == "postgresql" else sqlite.insert


class ViewCounter:
    """Counts views in memory and writes them in one batch every FUNNEL_FLUSH_SECONDS.

    A shared page can be viewed thousands of times an hour; writing each view would put a
    database transaction on the hot path (304s included). A crash loses at most one interval
    of views, which is acceptable for a funnel that only shows trends.
    """

    def __init__(self, flush_seconds: float) -> None:
        self.flush_seconds = flush_seconds
        self.pending: Counter[tuple[str, str, date]] = Counter()
        self.lock = threading.Lock()
        self.last_flush = time.monotonic()

    def add(self, endpoint: str, value: str, on: date) -> None:
        if self.count(endpoint, value, on):
            self.flush()

    def count(self, endpoint: str, value: str, on: date) -> bool:
        """Count one view; whether a flush is due."""
        with self.lock:
            self.pending[(endpoint, value, on)] += 1
            return time.monotonic() - self.last_flush >= self.flush_seconds

    def flush(self) -> None:
        """Write what has been counted so far, in one short transaction of its own."""
        with self.lock:
            batch, self.pending = self.pending, Counter()
            self.last_flush = time.monotonic()
        if batch:
            _write_counts(batch)


def _write_counts(batch: Counter) -> None:
    table = DailyCount.__table__
    try:
        with db.engine.begin() as connection:
            upsert = _upsert(connection.dialect.name)
            for (endpoint, value, on), views in batch.items():
                kind, _argument, column = COUNTED_ENDPOINTS[endpoint]
                insert = upsert(table).from_select(
                    ["drive_id", "day", "kind", "count"],
                    select(Drive.id, literal(on), literal(kind), literal(views)).where(column == value),
                )
                connection.execute(
                    insert.on_conflict_do_update(
                        index_elements=["drive_id", "day", "kind"],
                        set_={"count": table.c["count"] + insert.excluded["count"]},
                    )
                )
    except SQLAlchemyError:
        current_app.logger.warning("could not write %d view counts", sum(batch.values()), exc_info=True)


def _counter(app: Flask) -> ViewCounter:
    return app.extensions["funnel"]


def _on_request_started(app: Flask, **_extra) -> None:
    # A signal, not before_request: it runs even when a cache answers the request early,
    # and before the request's own transaction starts, so the funnel it shows sees the counts.
    if request.endpoint in SHOWS_THE_FUNNEL:
        _counter(app).flush()
    if request.method != "GET" or request.endpoint not in COUNTED_ENDPOINTS:
        return
    _kind, argument, _column = COUNTED_ENDPOINTS[request.endpoint]
    value = (request.view_args or {}).get(argument)
    if value:
        _counter(app).add(request.endpoint, value, today())


def count_view(app: Flask, endpoint: str, value: str) -> None:
    """A view answered before Flask's request machinery ran (public/fast_path.py), counted as
    `_on_request_started` counts the others; the rare flush gets the app context it needs."""
    if endpoint not in COUNTED_ENDPOINTS:
        return
    counter = _counter(app)
    if counter.count(endpoint, value, today()):
        with app.app_context():
            counter.flush()


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
        moment = moment.astimezone(UTC)
    return moment.date()


def funnel_of(drive: Drive, days: int = FUNNEL_DAYS) -> Funnel:
    """The last `days` days, newest first, in three queries."""
    first = today() - timedelta(days=days - 1)
    since = datetime(first.year, first.month, first.day, tzinfo=UTC)
    counted: Counter[tuple[date, str]] = Counter()
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
    app.extensions["funnel"] = ViewCounter(app.config["FUNNEL_FLUSH_SECONDS"])
    request_started.connect(_on_request_started, app)
