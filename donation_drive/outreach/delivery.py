"""Who delivers the outbox, and when: right after each commit that queued mail, as MAIL_DELIVERY says.

- "thread" (the default outside production): a thread of the same process delivers, so
  `flask run` needs no second process. It also looks again every half minute for retries.
- "worker" (the default in production): the worker (`flask worker`, donation_drive/worker.py)
  is told through its queue; it also delivers whatever is due every minute, so a message whose
  nudge was lost (the queue unreachable at that moment) waits a minute at most.
- "inline": the committing process delivers before it goes on. For tests, which read the mail
  a request sent as soon as it answers; a request then waits on the mail server.

The request never waits for "thread" or "worker": the commit only sets an event or enqueues a
nudge, and an unreachable queue is logged, not raised.
"""

import logging
import threading
from collections.abc import Callable

from flask import Flask, current_app
from sqlalchemy import event
from sqlalchemy.orm import Session, scoped_session

from ..core.extensions import db
from . import outbox

log = logging.getLogger(__name__)

#: How often the delivery thread looks for retries that came due while nothing was queued.
RETRY_CHECK_SECONDS = 30.0
#: The delivery thread's name, as thread dumps and the tests see it.
THREAD_NAME = "outbox-delivery"


def _deliver_in(app: Flask) -> None:
    """One delivery round in a fresh app context (and so a fresh session), errors logged."""
    with app.app_context():
        try:
            report = outbox.deliver_due()
        except Exception:  # the database or anything else down: the next round tries again
            log.exception("Delivering the outbox failed; the next round will try again")
            return
        if report.server_down:
            log.warning("The mail server is not available; %d message(s) will be retried", report.retrying)


class ThreadDelivery:
    """Delivers in a daemon thread of this process, woken by each commit that queued mail."""

    def __init__(self, app: Flask) -> None:
        self.app = app
        self._wanted = threading.Event()
        self._stopping = threading.Event()
        self._started = threading.Lock()
        self._thread: threading.Thread | None = None

    def wake(self) -> None:
        self.start()
        self._wanted.set()

    def start(self) -> None:
        """Once per process, and only when it serves requests: never for `flask db upgrade`."""
        if self._thread is not None and self._thread.is_alive():
            return
        with self._started:
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._run, name=THREAD_NAME, daemon=True)
                self._thread.start()

    def stop(self) -> None:
        """Ends the thread after its current round (a test's app lives on after the test)."""
        self._stopping.set()
        self._wanted.set()
        if self._thread is not None:
            self._thread.join()

    def _run(self) -> None:
        while not self._stopping.is_set():
            self._wanted.wait(timeout=RETRY_CHECK_SECONDS)
            self._wanted.clear()
            if not self._stopping.is_set():
                _deliver_in(self.app)


class WorkerDelivery:
    """Tells the worker through its queue; the worker's own minute round is the safety net."""

    def __init__(self, nudge: Callable[[], None]) -> None:
        self._nudge = nudge

    def wake(self) -> None:
        try:
            self._nudge()
        except Exception:  # the queue's store unreachable: the worker's minute round delivers it
            log.warning("Could not reach the worker's queue; the worker's next round will deliver", exc_info=True)

    def start(self) -> None:
        """Nothing to start in the web process."""


class InlineDelivery:
    """Delivers in the committing process at once: for tests."""

    def __init__(self, app: Flask) -> None:
        self.app = app

    def wake(self) -> None:
        _deliver_in(self.app)

    def start(self) -> None:
        """Nothing to start."""


def _wake_after_commit(session: Session) -> None:
    # SQLAlchemy calls after_commit for a savepoint's release too, when nothing is committed yet.
    if session.in_nested_transaction():
        return
    if session.info.pop(outbox.QUEUED_IN_SESSION, False):
        current_app.extensions["outbox_delivery"].wake()


def _forget_after_rollback(session: Session) -> None:
    if not session.in_nested_transaction():
        session.info.pop(outbox.QUEUED_IN_SESSION, None)


def follow(session: scoped_session) -> None:
    for name, listener in (("after_commit", _wake_after_commit), ("after_rollback", _forget_after_rollback)):
        if not event.contains(session, name, listener):
            event.listen(session, name, listener)


def init_app(app: Flask, nudge_worker: Callable[[], None]) -> None:
    mode = app.config["MAIL_DELIVERY"]
    delivery: ThreadDelivery | WorkerDelivery | InlineDelivery
    if mode == "worker":
        delivery = WorkerDelivery(nudge_worker)
    elif mode == "inline":
        delivery = InlineDelivery(app)
    else:
        delivery = ThreadDelivery(app)
    app.extensions["outbox_delivery"] = delivery
    # The first request starts the delivery thread, which also sends what an earlier run left queued.
    app.before_request(delivery.start)
    follow(db.session)
