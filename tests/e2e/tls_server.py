"""The app as production runs it: gunicorn with gunicorn.conf.py, over TLS, with
PREFERRED_URL_SCHEME=https and SERVER_NAME set, on a copy of the migrated SQLite database.

The certificate is made for the test by a throwaway certificate authority (trustme); Chromium
trusts exactly that certificate through its public key (`--ignore-certificate-errors-spki-list`)
rather than ignoring every certificate error.
"""

import base64
import hashlib
import json
import os
import re
import shutil
import socket
import ssl
import subprocess
import sys
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import trustme
from aiosmtpd.controller import Controller
from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from flask import Flask

from donation_drive import create_app
from donation_drive.core.extensions import db
from livesite import SECRET_KEY
from smtp_sink import SmtpSink

ROOT = Path(__file__).resolve().parents[2]
HOST = "localhost"
WORKERS = 2
#: When gunicorn ends TLS itself, each connection Chromium opens ahead of need (handshake done,
#: no request yet) holds a gthread thread until it is used or dropped; several browsers at once
#: would starve the default 4. In production nginx ends TLS (README), so only the test needs more.
THREADS = 16
#: gunicorn's first start imports the app in each worker; a slow CI machine needs a while.
START_SECONDS = 60
#: What the server must never have logged: a 5xx access line, a traceback, an error record.
SERVER_ERROR = re.compile(r'"status": 5\d\d|Traceback|"level": "(?:error|critical)"|\[(?:ERROR|CRITICAL)\]')
#: Only for a scripted browser, which fills the sign-up form faster than a person could.
APP_SETTINGS = {"SECRET_KEY": SECRET_KEY, "SIGN_UP_MIN_SECONDS": 0}


@dataclass
class Certificate:
    """A server certificate for `localhost` and 127.0.0.1, and what a client needs to trust it."""

    certfile: Path
    keyfile: Path
    ca: trustme.CA
    #: base64 SHA-256 of the certificate's public key, as Chromium's SPKI list wants it.
    spki: str

    def client_context(self) -> ssl.SSLContext:
        context = ssl.create_default_context()
        self.ca.configure_trust(context)
        return context


def make_certificate(folder: Path) -> Certificate:
    folder.mkdir(parents=True, exist_ok=True)
    ca = trustme.CA()
    leaf = ca.issue_cert(HOST, "127.0.0.1")
    certfile, keyfile = folder / "server.pem", folder / "server.key"
    certfile.write_bytes(b"".join(pem.bytes() for pem in leaf.cert_chain_pems))
    leaf.private_key_pem.write_to_path(str(keyfile))
    public_key = x509.load_pem_x509_certificate(leaf.cert_chain_pems[0].bytes()).public_key()
    der = public_key.public_bytes(Encoding.DER, PublicFormat.SubjectPublicKeyInfo)
    return Certificate(certfile, keyfile, ca, base64.b64encode(hashlib.sha256(der).digest()).decode())


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class TlsServer:
    """gunicorn serving the app over https://localhost:<port>; `app` reads the same database
    and instance folder (its outbox) from the test."""

    def __init__(self, database: Path, folder: Path, certificate: Certificate) -> None:
        self.port = free_port()
        self.url = f"https://{HOST}:{self.port}"
        self.certificate = certificate
        self.log_path = folder / "gunicorn.log"
        instance = folder / "instance"
        # What production sets in the environment; APP_SETTINGS and the instance folder go to
        # the app factory, as gunicorn can call it with literal arguments.
        self.environment = {
            **os.environ,
            "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
            "GUNICORN_BIND": f"127.0.0.1:{self.port}",
            "GUNICORN_WORKERS": str(WORKERS),
            "GUNICORN_THREADS": str(THREADS),
            "DATABASE_URL": f"sqlite:///{database}",
            "PREFERRED_URL_SCHEME": "https",
            "SERVER_NAME": f"{HOST}:{self.port}",
            "SECRET_KEY": SECRET_KEY,
            "MAIL_DELIVERY": "worker",
            "MAIL_SERVER": "127.0.0.1",
        }
        self.test_settings = {**APP_SETTINGS, "INSTANCE_PATH": str(instance)}
        self.app: Flask = create_app({
            **self.test_settings, "SQLALCHEMY_DATABASE_URI": self.environment["DATABASE_URL"],
            "PREFERRED_URL_SCHEME": "https", "SERVER_NAME": self.environment["SERVER_NAME"],
        })
        self._process: subprocess.Popen | None = None
        self._worker: subprocess.Popen | None = None
        #: The mail server the worker delivers to; a test waits there for a message to arrive.
        self.mailbox = SmtpSink()
        self._mail_server = Controller(self.mailbox, hostname="127.0.0.1", port=free_port())

    def start(self) -> "TlsServer":
        factory = f"donation_drive:create_app({self.test_settings!r})"
        command = [
            sys.executable, "-m", "gunicorn", "-c", str(ROOT / "gunicorn.conf.py"),
            "--certfile", str(self.certificate.certfile), "--keyfile", str(self.certificate.keyfile), factory,
        ]
        # The worker beside gunicorn, as the README's production section runs it: it delivers
        # the outbox the web workers only queue to (MAIL_DELIVERY=worker).
        worker = [sys.executable, "-m", "flask", "--app", factory, "worker", "--threads", "1"]
        self._mail_server.start()
        self.environment["MAIL_PORT"] = str(self._mail_server.port)
        with self.log_path.open("wb") as log:
            self._process = subprocess.Popen(command, cwd=ROOT, env=self.environment, stdout=log, stderr=subprocess.STDOUT)
            self._worker = subprocess.Popen(worker, cwd=ROOT, env=self.environment, stdout=log, stderr=subprocess.STDOUT)
        self._wait_until_ready()
        return self

    def _wait_until_ready(self) -> None:
        """Ask /readyz until it answers 200, failing at once if gunicorn exits."""
        context = self.certificate.client_context()
        for _attempt in range(START_SECONDS * 10):
            try:
                with urllib.request.urlopen(f"{self.url}/readyz", context=context, timeout=5) as answer:
                    if json.load(answer)["status"] == "ok":
                        return
            except (urllib.error.URLError, ConnectionError):
                pass
            try:
                # The pause between two tries is a wait for the one state that ends them all.
                self._process.wait(timeout=0.1)
            except subprocess.TimeoutExpired:
                continue
            raise AssertionError(f"gunicorn exited with {self._process.returncode}:\n{self.log()}")
        raise AssertionError(f"gunicorn was not ready in {START_SECONDS} s:\n{self.log()}")

    def log(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    def server_errors(self) -> list[str]:
        return [line for line in self.log().splitlines() if SERVER_ERROR.search(line)]

    def stop(self) -> None:
        for process in (self._process, self._worker):
            if process is not None and process.poll() is None:
                process.terminate()
                process.wait(timeout=40)
        self._mail_server.stop()
        with self.app.app_context():
            db.session.remove()
            db.engine.dispose()


def serve_tls(template: Path, folder: Path, certificate: Certificate) -> TlsServer:
    """A fresh copy of the migrated database, served by gunicorn over TLS."""
    folder.mkdir(parents=True, exist_ok=True)
    database = folder / "live.sqlite3"
    shutil.copy(template, database)
    return TlsServer(database, folder, certificate).start()
