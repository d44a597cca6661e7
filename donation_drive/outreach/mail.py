"""Sending email with the standard library only.

Configured by MAIL_SERVER, MAIL_PORT, MAIL_USE_TLS, MAIL_USERNAME, MAIL_PASSWORD and MAIL_FROM.
With no MAIL_SERVER (the default) each message is written as an `.eml` file under
`instance/outbox/`, so a newcomer can open what the app would have sent.
"""

import email
import logging
import re
import secrets
import smtplib
from collections.abc import Sequence
from datetime import UTC, datetime
from email import policy
from email.header import Header
from email.headerregistry import Address, BaseHeader, HeaderRegistry, UniqueAddressHeader, UnstructuredHeader
from email.message import EmailMessage
from email.policy import Policy
from email.utils import format_datetime, getaddresses, make_msgid
from pathlib import Path

from flask import current_app

log = logging.getLogger(__name__)

_MIME_TYPE = re.compile(r"^[A-Za-z0-9][\w.+-]*/[A-Za-z0-9][\w.+-]*$")


class _OneLineHeader(UnstructuredHeader, BaseHeader):
    """Written on one line exactly as given. Folding would turn a long `<https://...>` into
    RFC 2047 encoded words, which mail clients do not read as List-Unsubscribe (RFC 2369, 8058).

    The registry mixes BaseHeader into every header class it is given; naming it here as well
    says what `self` is (a header string with a `name`), and the registry's MRO is unchanged.
    """

    def fold(self, *, policy: Policy) -> str:
        return f"{self.name}: {self}{policy.linesep}"


class _EncodedSubject(UnstructuredHeader, BaseHeader):
    """A subject folded by `email.header.Header` (registered for Subject below), as RFC 2047
    encoded words when it goes beyond ASCII.

    The standard policy's folding loses or adds a space where it splits text beyond ASCII into
    encoded words (an Arabic subject came out "الإلكترونيلفتح"), and moves a long ASCII subject
    whole onto the next line, which some readers show with a leading space.
    """

    def fold(self, *, policy: Policy) -> str:
        text = str(self)
        charset = "us-ascii" if text.isascii() else "utf-8"
        encoded = Header(text, charset, header_name=self.name).encode(linesep=policy.linesep)
        return f"{self.name}: {encoded}{policy.linesep}"


# typeshed types BaseHeader's init and max_count unlike AddressHeader's; at run time they agree.
class _EncodedAddresses(UniqueAddressHeader, BaseHeader):  # type: ignore[misc]
    """From and To, with a name beyond ASCII written by `email.header.Header` for the same reason:
    the standard folding put a space inside a long name ("Mart ínez")."""

    def fold(self, *, policy: Policy) -> str:
        if str(self).isascii():
            return super().fold(policy=policy)
        written = ", ".join(_written_address(address, policy) for address in self.addresses)
        return f"{self.name}: {written}{policy.linesep}"


def _written_address(address: Address, policy: Policy) -> str:
    name = address.display_name
    if not name or name.isascii():
        return str(address)
    return f"{Header(name, 'utf-8').encode(linesep=policy.linesep)} <{address.addr_spec}>"


_HEADERS = HeaderRegistry()
_HEADERS.map_to_type("list-unsubscribe", _OneLineHeader)
_HEADERS.map_to_type("subject", _EncodedSubject)
_HEADERS.map_to_type("from", _EncodedAddresses)
_HEADERS.map_to_type("to", _EncodedAddresses)
#: The standard policy, except that List-Unsubscribe is never folded (a URL is far below 998 characters)
#: and a subject keeps its spaces.
MAIL_POLICY = policy.default.clone(header_factory=_HEADERS)


class MailError(Exception):
    """A message could not be built or handed to the mail server."""


class MailServerUnavailable(MailError):
    """The mail server could not be reached or dropped the connection: later messages would fail too."""


class MailRefused(MailError):
    """The mail server answered and refused this message: for good (5xx) or for now (4xx)."""

    def __init__(self, message: str, permanent: bool) -> None:
        super().__init__(message)
        self.permanent = permanent


def _refusal(error: smtplib.SMTPException) -> MailRefused:
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _text in error.recipients.values()]
    else:
        codes = [getattr(error, "smtp_code", 0)]
    return MailRefused(f"The mail server refused the message: {error}", permanent=all(code >= 500 for code in codes))


def deliver(raw: bytes) -> None:
    """Hand one message built by `build_message` (as bytes, from the outbox) to the mail server,
    or write it under instance/outbox/ when no MAIL_SERVER is set. Raises MailError on failure."""
    message = email.message_from_bytes(raw, policy=MAIL_POLICY)
    if current_app.config.get("MAIL_SERVER"):
        _send_by_smtp(message)
    else:
        _write_to_outbox(message)


def build_message(
    to: str,
    subject: str,
    text: str,
    html: str,
    *,
    unsubscribe_url: str | None = None,
    attachments: Sequence[tuple[str, str, bytes]] = (),
) -> EmailMessage:
    """One message with a plain-text and an HTML part, every header checked against injection.

    `to` is one address, optionally written `Name <address>`. `attachments` are
    (filename, mimetype, bytes). With `unsubscribe_url`, mail clients can offer a one-click
    unsubscribe (RFC 8058).
    """
    sender = _address(current_app.config.get("MAIL_FROM") or "Donation Drive <donation-drive@localhost>")
    message = EmailMessage(policy=MAIL_POLICY)
    message["From"] = sender
    message["To"] = _address(to)
    # A subject is one line: folding CR/LF to spaces keeps a title pasted with a line
    # break readable and makes header injection impossible.
    message["Subject"] = " ".join(subject.split())
    message["Date"] = format_datetime(datetime.now(UTC))
    message["Message-ID"] = make_msgid(domain=sender.domain or "localhost")
    if unsubscribe_url is not None:
        _refuse_line_breaks(unsubscribe_url, "unsubscribe link")
        message["List-Unsubscribe"] = f"<{unsubscribe_url}>"
        message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    message.set_content(text)
    message.add_alternative(html, subtype="html")
    for filename, mimetype, content in attachments:
        _refuse_line_breaks(filename, "attachment name")
        if not _MIME_TYPE.match(mimetype):
            raise MailError(f"The attachment type {mimetype!r} is not a MIME type.")
        maintype, subtype = mimetype.split("/", 1)
        message.add_attachment(content, maintype=maintype, subtype=subtype, filename=filename)
    return message


def format_recipient(name: str, email: str) -> str:
    """`"Name" <email>` for build_message, quoted so commas and quotes in a name stay in the name."""
    if not name:
        return email
    quoted = name.replace("\\", "\\\\").replace('"', '\\"')
    return f'"{quoted}" <{email}>'


def _address(value: str) -> Address:
    """One mailbox from `address` or `Name <address>`; anything else is refused."""
    _refuse_line_breaks(value, "address")
    parsed = getaddresses([value])
    if len(parsed) != 1 or "@" not in parsed[0][1]:
        raise MailError("The recipient must be exactly one email address.")
    name, addr_spec = parsed[0]
    try:
        return Address(display_name=name, addr_spec=addr_spec)
    except (ValueError, IndexError) as error:
        raise MailError("The recipient is not a valid email address.") from error


def _refuse_line_breaks(value: str, what: str) -> None:
    if "\r" in value or "\n" in value:
        raise MailError(f"A line break is not allowed in the {what}.")


def _send_by_smtp(message: EmailMessage) -> None:
    config = current_app.config
    try:
        with smtplib.SMTP(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=config["MAIL_TIMEOUT"]) as smtp:
            if config["MAIL_USE_TLS"]:
                smtp.starttls()
            if config.get("MAIL_USERNAME"):
                smtp.login(config["MAIL_USERNAME"], config.get("MAIL_PASSWORD") or "")
            smtp.send_message(message)
    except (smtplib.SMTPRecipientsRefused, smtplib.SMTPSenderRefused, smtplib.SMTPDataError) as error:
        raise _refusal(error) from error
    except (OSError, ValueError) as error:  # smtplib.SMTPException is an OSError too
        raise MailServerUnavailable(f"The mail server is not available: {error}") from error



def outbox_folder() -> Path:
    """Where messages go when no MAIL_SERVER is set."""
    return Path(current_app.instance_path) / "outbox"


def read_outbox(newest: int) -> list[EmailMessage]:
    """The `newest` messages written to the outbox, oldest of them first."""
    files = sorted(outbox_folder().glob("*.eml"), key=lambda path: path.stat().st_mtime_ns)
    return [email.message_from_bytes(path.read_bytes(), policy=policy.default) for path in files[-newest:]]


def _write_to_outbox(message: EmailMessage) -> None:
    outbox = outbox_folder()
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
    path = outbox / f"{stamp}-{secrets.token_hex(4)}.eml"
    partial = path.with_suffix(".part")
    try:
        outbox.mkdir(parents=True, exist_ok=True)
        # Written beside, then renamed: whoever reads the folder sees whole messages only.
        partial.write_bytes(message.as_bytes())
        partial.replace(path)
    except OSError as error:
        raise MailError(f"Could not write the message to the outbox: {error}") from error
    # One line, no address: logs are read by more people than mailboxes are.
    log.info("No MAIL_SERVER set: wrote %r to %s", str(message["Subject"]), path)
