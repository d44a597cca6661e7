"""The worker: delivers the outbox and does the timed work, with no cron entry needed.

    flask --app donation_drive worker

Its queue is Huey's: a SQLite file in instance/ on one machine, or Redis when REDIS_URL is
set (several workers on several machines then share it). The queue only carries nudges and
the schedule; the outbox table stays the record of what is to be sent (outreach/outbox.py).

Every minute it delivers what is due (retries included); every quarter hour it queues the
reminders and notes that are due (each drive's from 09:00 in its own time zone); every hour it
closes drives whose end date is over in their own zone; every day it sets up yearly memorials'
next rounds. Each is idempotent, so a second worker, a restart or `flask send-reminders` from
cron as well changes nothing.
"""

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import with_appcontext
from huey import Huey, RedisHuey, SqliteHuey, crontab

from .core.database import writing
from .core.extensions import db
from .drives.anniversaries import start_due_rounds
from .drives.lifecycle import close_ended_drives
from .outreach import outbox
from .outreach.reminders import queue_due

log = logging.getLogger(__name__)

QUEUE_NAME = "donation-drive"


def _queue_for(app: Flask) -> Huey:
    if app.config["REDIS_URL"]:
        return RedisHuey(QUEUE_NAME, url=app.config["REDIS_URL"])
    return SqliteHuey(QUEUE_NAME, filename=str(Path(app.instance_path) / "worker-queue.sqlite3"))


@contextmanager
def _timed_work(app: Flask, name: str) -> Iterator[None]:
    """An app context with a base URL for emailed links; errors are logged, the next round retries."""
    base_url = app.config.get("WORKER_BASE_URL")
    context = app.test_request_context(base_url=base_url) if base_url else app.app_context()
    with context:
        try:
            yield
        except Exception:
            db.session.rollback()
            log.exception("%s failed; the next round will try again", name)


def _register(huey: Huey, app: Flask) -> Callable[[], None]:
    """The worker's tasks on `huey`; returns the nudge the web process sends after a commit."""

    @huey.task(name="deliver-outbox")
    def deliver_outbox() -> None:
        with _timed_work(app, "Delivering the outbox"):
            outbox.deliver_due()

    @huey.periodic_task(crontab(minute="*"), name="deliver-due")
    def deliver_due() -> None:
        with _timed_work(app, "Delivering the outbox"):
            outbox.deliver_due()

    @huey.periodic_task(crontab(minute="*/15"), name="queue-reminders")
    def queue_reminders() -> None:
        if not (app.config.get("SERVER_NAME") or app.config.get("WORKER_BASE_URL")):
            log.warning("Reminders need SERVER_NAME (or WORKER_BASE_URL) for the links in them; none queued")
            return
        with _timed_work(app, "Queueing reminders"):
            queue_due()
            outbox.deliver_due()

    @huey.periodic_task(crontab(minute="5"), name="close-ended-drives")
    def close_drives() -> None:
        with _timed_work(app, "Closing ended drives"), writing():
            close_ended_drives(datetime.now(UTC))
            db.session.commit()

    @huey.periodic_task(crontab(minute="10", hour="3"), name="start-yearly-rounds")
    def start_rounds() -> None:
        with _timed_work(app, "Starting yearly rounds"), writing():
            start_due_rounds(datetime.now(UTC))
            db.session.commit()

    return deliver_outbox


def queue(app: Flask) -> Huey:
    """The app's queue, made on first use (so `flask db upgrade` never creates its file)."""
    if "worker_queue" not in app.extensions:
        huey = _queue_for(app)
        app.extensions["worker_queue"] = (huey, _register(huey, app))
    return app.extensions["worker_queue"][0]


def nudge(app: Flask) -> Callable[[], None]:
    """What the web process calls after a commit that queued mail, in MAIL_DELIVERY=worker."""

    def send() -> None:
        queue(app)
        app.extensions["worker_queue"][1]()

    return send


@click.command("worker")
@click.option("--threads", default=2, show_default=True, type=click.IntRange(1, 16),
              help="How many tasks may run at once.")
@with_appcontext
def worker_command(threads: int) -> None:
    """Deliver the outbox and do the timed work (reminders, closing drives, yearly rounds)."""
    huey = queue(current_app._get_current_object())  # type: ignore[attr-defined]
    huey.create_consumer(workers=threads, worker_type="thread", periodic=True, check_worker_health=True).run()
