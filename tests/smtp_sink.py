"""A real SMTP server on loopback (aiosmtpd) that keeps what it receives.

Use it from a test module with `from smtp_sink import smtp_server  # noqa: F401`; the fixture
points the `app` at the server and yields it, so `smtp_server.messages` holds what arrived.
"""

import logging
import socket
import threading
from collections.abc import Iterator
from email import message_from_bytes, policy
from email.message import EmailMessage

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
    """The aiosmtpd handler: stores each envelope; can be told to refuse the next ones."""

    def __init__(self) -> None:
        self.envelopes: list[Envelope] = []
        self.refusing = False
        self._lock = threading.Lock()

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        if self.refusing:
            return "554 Transaction failed: refused by the test"
        with self._lock:
            self.envelopes.append(envelope)
        return "250 Message accepted for delivery"

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
