"""Does a sign-up wait on the mail server? Sign-up time with a mail server that takes 5 s to
answer each command, against no mail server at all, served as in production.

    python bench/signup_mail.py [--signups 40] [--database-url postgresql+psycopg://...]

For each case it starts gunicorn (gunicorn.conf.py, 1 worker) and the worker (`flask worker`)
with MAIL_DELIVERY=worker and REDIS_URL (default redis://127.0.0.1:6379/15), then times
--signups complete sign-ups with an email address, one after another (GET the invite page,
POST the form; the POST is what is timed, and each one queues a confirmation). Cases:
  - no mail server: messages are written to instance/outbox/ by the worker;
  - slow mail server: aiosmtpd on loopback, waiting 5 s before answering RCPT TO and DATA
    (the worker is stopped only once the server has taken a message, to show it was used);
  - for contrast, 3 sign-ups that deliver their own mail (MAIL_DELIVERY=inline), as all did
    before the outbox;
  - bare: a one-line Flask endpoint (bench/bare.py) served the same way, for scale.
It prints each case's median and 95th percentile and the slow case as a ratio to the first.
Not part of the test suite.
"""

import argparse
import asyncio
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from aiosmtpd.controller import Controller

sys.path.insert(0, str(Path(__file__).resolve().parent))
from run import ROOT, Client, Gunicorn, expect, hidden_fields

SMTP_DELAY = 5.0


class SlowMailServer:
    """Takes every message, 5 s after each RCPT TO and DATA; counts what arrived."""

    def __init__(self) -> None:
        self.received = 0

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options) -> str:
        await asyncio.sleep(SMTP_DELAY)
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope) -> str:
        await asyncio.sleep(SMTP_DELAY)
        self.received += 1
        return "250 Message accepted"


def timed_sign_ups(port: int, invite: str, count: int, label: str) -> list[float]:
    client = Client(port)
    times = []
    for n in range(count):
        status, page = client.request("GET", invite)
        expect(status, 200, invite)
        form = {**hidden_fields(page), "name": f"Bench {label} {n}", "email": f"bench-{label}-{n}@example.org",
                "units": "1", "donation_type": "whole_blood", "planned_on": "", "name_shown_as": "first_name"}
        started = time.perf_counter()
        status, _ = client.request("POST", invite, form)
        times.append(time.perf_counter() - started)
        expect(status, 302, "sign-up")
    return times


def timed_bare(port: int, count: int) -> list[float]:
    client = Client(port)
    times = []
    for _ in range(count):
        started = time.perf_counter()
        status, _ = client.request("GET", "/bare")
        times.append(time.perf_counter() - started)
        expect(status, 200, "bare")
    return times


def summary(times: list[float]) -> str:
    ordered = sorted(times)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return f"median {statistics.median(times) * 1000:7.1f} ms, p95 {p95 * 1000:7.1f} ms"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def flask(args: list[str], environment: dict) -> str:
    return subprocess.run([sys.executable, "-m", "flask", "--app", "bench.wsgi:app", *args], cwd=ROOT,
                          env=environment, check=True, capture_output=True, text=True).stdout


def invite_path(environment: dict) -> str:
    printed = flask(["demo", "--base-url", "http://127.0.0.1"], environment)
    line = next(line for line in printed.splitlines() if "Invite link:" in line)
    return "/" + line.split("http://127.0.0.1/", 1)[1].strip()


def measure(environment: dict, invite: str, count: int, label: str,
            until: Callable[[], bool] = lambda: True) -> list[float]:
    """Sign-up times with gunicorn and the worker running; the worker stops once `until` holds."""
    worker = subprocess.Popen([sys.executable, "-m", "flask", "--app", "bench.wsgi:app", "worker"], cwd=ROOT,
                              env=environment, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    server = Gunicorn("bench.wsgi:app", 1, environment, free_port(), invite)
    try:
        return timed_sign_ups(server.port, invite, count, label)
    finally:
        server.stop()
        deadline = time.monotonic() + 120
        while not until() and time.monotonic() < deadline:
            time.sleep(0.2)
        worker.terminate()
        worker.wait(timeout=60)


def outbox_empty(environment: dict) -> bool:
    return flask(["outbox-status"], environment).startswith("0 messages waiting")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--signups", type=int, default=40)
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/15")
    options = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="signup-mail-"))
    environment = {
        **os.environ, "PYTHONPATH": str(ROOT), "SECRET_KEY": "bench", "MAIL_DELIVERY": "worker",
        "REDIS_URL": options.redis_url, "SERVER_NAME": "", "TRUSTED_HOSTS": "127.0.0.1",
        "DATABASE_URL": options.database_url or f"sqlite:///{folder / 'bench.sqlite3'}",
    }
    environment.pop("MAIL_SERVER", None)
    flask(["db", "upgrade"], environment)
    invite = invite_path(environment)
    mail_server = SlowMailServer()
    controller = Controller(mail_server, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        none = measure(environment, invite, options.signups, "none", until=lambda: outbox_empty(environment))
        slow_environment = {**environment, "MAIL_SERVER": "127.0.0.1", "MAIL_PORT": str(controller.port)}
        # The request delivering its own mail, as every request did before the outbox; first,
        # while the outbox is empty, so each request delivers only its own message.
        inline = measure({**slow_environment, "MAIL_DELIVERY": "inline"}, invite, 3, "inline")
        slow = measure(slow_environment, invite, options.signups, "slow", until=lambda: mail_server.received > 3)
    finally:
        controller.stop()
    bare_server = Gunicorn("bench.bare:app", 1, environment, free_port(), "/bare")
    try:
        bare = timed_bare(bare_server.port, options.signups)
    finally:
        bare_server.stop()
    print(f"sign-up, no mail server:        {summary(none)}")
    print(f"sign-up, 5-second mail server:  {summary(slow)}")
    print(f"sign-up delivering its own mail (MAIL_DELIVERY=inline, as before the outbox), 5-second server: "
          f"{summary(inline)}")
    print(f"bare Flask endpoint:            {summary(bare)}")
    print(f"slow mail server / no mail server, median: {statistics.median(slow) / statistics.median(none):.2f}")
    print(f"messages the slow server took from the worker (and the inline case): {mail_server.received}")


if __name__ == "__main__":
    main()
