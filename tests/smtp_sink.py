"""A real SMTP server on loopback (aiosmtpd) that keeps what it receives.

Use it from a test module with `from smtp_sink import smtp_server  # noqa: F401`; the fixture
points the `app` at the server and yields it, so `smtp_server.messages` holds what arrived.
"""

import asyncio
import logging
import socket
import threading
from collections.abc import Callable, Iterator
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session
from flask import Flask

# aiosmtpd logs each connection at INFO from its own thread, sometimes after the test that made
# it has ended, when no test captures the output: keep only its warnings.
logging.getLogger("mail.log").setLevel(logging.WARNING)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class SmtpSink:
    """The aiosmtpd handler: stores each envelope. It can misbehave as real servers do: refuse
    every message or one recipient, answer each command slowly, hold a message until released,
    or drop the connection in the middle of the next messages."""

    def __init__(self) -> None:
        self.envelopes: list[Envelope] = []
        self.refusing = False
        #: Addresses refused at RCPT TO with a 550, for good.
        self.refused_recipients: set[str] = set()
        #: Seconds to wait before answering RCPT TO and DATA.
        self.delay = 0.0
        #: While clear, a message waits at DATA; `receiving` says one has got that far.
        self.released = threading.Event()
        self.released.set()
        self.receiving = threading.Event()
        #: How many of the next messages lose their connection at DATA, before any answer.
        self.drops = 0
        self._lock = threading.Lock()
        #: Notified on every message that arrives, so a test waits for the state, never for time.
        self._arrived = threading.Condition(self._lock)

    async def handle_RCPT(self, server: SMTP, session: Session, envelope: Envelope, address: str,
                          rcpt_options: list[str]) -> str:
        await asyncio.sleep(self.delay)
        if address in self.refused_recipients:
            return "550 5.1.1 No such mailbox (refused by the test)"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        await asyncio.sleep(self.delay)
        self.receiving.set()
        while not self.released.is_set():
            await asyncio.sleep(0.01)
        if self.drops > 0:
            self.drops -= 1
            assert server.transport is not None
            server.transport.abort()
            return "421 Connection dropped by the test"
        if self.refusing:
            return "554 Transaction failed: refused by the test"
        with self._arrived:
            self.envelopes.append(envelope)
            self._arrived.notify_all()
        return "250 Message accepted for delivery"

    def wait_for(self, count: int, timeout: float = 60.0, meanwhile: Path | None = None) -> None:
        """Until `count` messages have arrived: a state, however long a busy machine takes.
        `meanwhile` is the log of the process that sends them, shown if they never come."""
        with self._arrived:
            arrived = self._arrived.wait_for(lambda: len(self.envelopes) >= count, timeout)
        sender = f"; the sender wrote:\n{meanwhile.read_text()}" if meanwhile else ""
        assert arrived, f"{len(self.envelopes)} of {count} messages arrived in {timeout} s{sender}"

    def wait_for_message(self, wanted: Callable[[EmailMessage], bool], timeout: float = 60.0) -> EmailMessage:
        """The newest message `wanted` picks, once one has arrived."""

        def found() -> list[EmailMessage]:
            return [m for m in (message_from_bytes(e.original_content, policy=policy.default)
                                for e in self.envelopes) if wanted(m)]

        with self._arrived:
            arrived = self._arrived.wait_for(lambda: bool(found()), timeout)
            assert arrived, f"no such message arrived in {timeout} s"
            return found()[-1]

    @property
    def messages(self) -> list[EmailMessage]:
        with self._lock:
            return [message_from_bytes(e.original_content, policy=policy.default)
                    for e in self.envelopes]

    def clear(self) -> None:
        """Forget what arrived so far, e.g. the organiser's own account confirmation."""
        with self._lock:
            self.envelopes.clear()

    def recipients(self) -> list[str]:
        with self._lock:
            return [rcpt for e in self.envelopes for rcpt in e.rcpt_tos]

    @staticmethod
    def text_of(message: EmailMessage) -> str:
        return message.get_body(preferencelist=("plain",)).get_content()

    @staticmethod
    def html_of(message: EmailMessage) -> str:
        return message.get_body(preferencelist=("html",)).get_content()


@pytest.fixture
def smtp_server(app: Flask) -> Iterator[SmtpSink]:
    sink = SmtpSink()
    controller = Controller(sink, hostname="127.0.0.1", port=free_port())
    controller.start()
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=controller.port, MAIL_USE_TLS=False)
    try:
        yield sink
    finally:
        controller.stop()


def closed_port() -> int:
    """A loopback port nobody listens on: a mail server that is down."""
    return free_port()
