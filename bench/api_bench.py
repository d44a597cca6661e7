"""Benchmark the public hot paths against a bare Flask app, under gunicorn, in one run.

    python bench/api_bench.py                 # SQLite in a temporary folder, 6 s per case
    python bench/api_bench.py --seconds 12 --database-url postgresql+psycopg://postgres@127.0.0.1:5432/bench

It builds a realistic data set (a drive with 10,000 participants and 20,000 donations, plus
1,000 other drives) and starts three servers on 127.0.0.1 side by side:

- the app, `donation_drive:create_app()`, under the project's gunicorn.conf.py;
- a bare Flask app (bench/bare.py: one route returning "ok") under the very same settings and
  worker count: the yardstick the targets are measured against;
- the same bare app under gunicorn's defaults (sync worker, no access log; the same worker count).

wrk (a separate C process: `apt-get install wrk`) loads each case with --connections clients
for --seconds, in interleaved rounds so a change in the machine's load falls on every case
alike. It prints requests per second, p50 and p99 latency, each app case as a ratio to both
bare apps, the p99 of the progress page against the bare app's, the CPU wrk itself used (so
one can see it is not the bottleneck) and the load average. The exit status is 1 if a target
of issue 18 is missed. Options set the server (`--workers`, `--worker-class`, `--threads`,
`--access-log`, `--max-requests`) for the app and the bare app under gunicorn.conf.py alike, for comparing
server settings. Not part of the test suite.
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import os
import re
import resource
import runpy
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import IO

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

SLUG = "7-for-jack"
PARTICIPANTS = 10_000
DONATIONS = 20_000
OTHER_DRIVES = 1_000
#: Issue 18: throughput as a fraction of the bare app's under the same gunicorn.conf.py.
TARGETS = {"progress page": 0.9, "progress page 304": 0.95, "JSON": 0.9, "badge": 0.9}
#: Issue 18: p99 latency of the progress page at most this many times the bare app's.
P99_TARGET = 1.5
#: A plain access line (gunicorn's default format), to weigh against the JSON one.
PLAIN_ACCESS_FORMAT = '%(h)s %(l)s %(u)s %(t)s "%(r)s" %(s)s %(b)s "%(f)s" "%(a)s"'


# --- Data ---


def build_database(database_url: str, instance: Path) -> None:
    from flask_migrate import upgrade
    from sqlalchemy import insert
    from werkzeug.security import generate_password_hash

    from donation_drive import create_app
    from donation_drive.core.extensions import db
    from donation_drive.core.rules import today
    from donation_drive.drives import operations as drives
    from donation_drive.models import (
        Dedication,
        Donation,
        DonationStatus,
        DonationType,
        Drive,
        LoggedBy,
        Participant,
        User,
        Visibility,
    )

    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "INSTANCE_PATH": str(instance),
                      "SECRET_KEY": "bench", "SERVER_NAME": "127.0.0.1"})
    with app.test_request_context():
        upgrade()
        owner = User(email="bench@example.org", name="Bench", password_hash=generate_password_hash("x" * 12))
        db.session.add(owner)
        db.session.flush()
        start = today() - timedelta(days=10)
        details = {"dedication": Dedication.IN_MEMORY, "honoree": "Jack", "story": "Seven for the seven used. " * 20,
                       "target_units": 10_000, "starts_on": start, "ends_on": start + timedelta(days=60),
                       "place": "Leeds", "visibility": Visibility.PUBLIC}
        drive = drives.create_drive(owner, drives.DriveDetails(title="7 for Jack", **details))
        db.session.commit()
        salt = secrets.token_hex(4)
        db.session.execute(insert(Participant), [
            {"drive_id": drive.id, "name": f"Friend{n} Surname", "show_name": n % 2 == 0, "units_pledged": 1,
             "donation_type": DonationType.WHOLE_BLOOD, "private_link_hash": f"{salt}{n:056d}"}
            for n in range(PARTICIPANTS)
        ])
        ids = db.session.scalars(db.select(Participant.id).where(Participant.drive_id == drive.id)).all()
        db.session.execute(insert(Donation), [
            {"drive_id": drive.id, "participant_id": ids[n % len(ids)], "units": 1,
             "donation_type": DonationType.WHOLE_BLOOD, "donated_on": today(), "logged_by": LoggedBy.PARTICIPANT,
             "status": DonationStatus.CONFIRMED if n % 3 else DonationStatus.REPORTED}
            for n in range(DONATIONS)
        ])
        db.session.execute(insert(Drive), [
            {"slug": f"other-drive-{n}", "title": f"Other drive {n}", "invite_code": secrets.token_urlsafe(16),
             "version": 1, "changed_at": drive.changed_at, "created_at": drive.created_at, **details}
            for n in range(OTHER_DRIVES)
        ])
        db.session.commit()
        db.engine.dispose()


# --- Servers ---


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _get(port: int, path: str, headers: dict[str, str]) -> tuple[int, dict[str, str]]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.request("GET", path, headers=headers)
        response = connection.getresponse()
        response.read()
        return response.status, dict(response.getheaders())
    finally:
        connection.close()


def conf_workers() -> int:
    """The worker count gunicorn.conf.py chooses on this machine."""
    return int(runpy.run_path(str(REPO / "gunicorn.conf.py"))["workers"])


def server_settings(args: argparse.Namespace) -> list[str]:
    """gunicorn.conf.py, with the settings chosen on the command line laid over it."""
    options = ["-c", str(REPO / "gunicorn.conf.py"), "--workers", str(args.workers)]
    if args.worker_class:
        options += ["--worker-class", args.worker_class]
    if args.threads:
        options += ["--threads", str(args.threads)]
    if args.max_requests is not None:
        options += ["--max-requests", str(args.max_requests)]
    if args.access_log == "plain":
        options += ["--access-logformat", PLAIN_ACCESS_FORMAT]
    return options


class Server:
    """gunicorn serving `target` on a free port; its errors to a file, its access lines to /dev/null
    or (`log_sink="pipe"`) to a pipe this process reads line by line, as journald reads a service's."""

    def __init__(self, name: str, target: str, options: list[str], environment: dict, folder: Path,
                 ready_path: str, log_sink: str = "devnull") -> None:
        self.name = name
        self.port = _free_port()
        self.errors = folder / f"{name.replace(' ', '-')}.log"
        command = [sys.executable, "-m", "gunicorn", *options, "--bind", f"127.0.0.1:{self.port}",
                   "--no-control-socket", target]
        with self.errors.open("w") as errors:
            # cwd: a folder without a gunicorn.conf.py, which gunicorn would otherwise read by itself.
            self.process = subprocess.Popen(command, env=environment, cwd=folder, stderr=errors,
                                            stdout=subprocess.PIPE if log_sink == "pipe" else subprocess.DEVNULL,
                                            start_new_session=True)
        if self.process.stdout is not None:
            threading.Thread(target=_drain, args=(self.process.stdout,), daemon=True).start()
        deadline = time.time() + 60
        while time.time() < deadline:
            try:
                if _get(self.port, ready_path, {})[0] == 200:
                    return
            except OSError:
                time.sleep(0.2)
        self.stop()
        raise SystemExit(f"{name} did not start:\n{self.errors.read_text()[-2000:]}")

    def stop(self) -> None:
        try:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(timeout=20)
        except ProcessLookupError:
            pass
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)


def _drain(lines: IO[bytes]) -> None:
    for _line in lines:
        pass


def start_servers(args: argparse.Namespace, database_url: str, folder: Path) -> dict[str, Server]:
    environment = {**os.environ, "DATABASE_URL": database_url, "SECRET_KEY": "bench secret key",
                   "PYTHONPATH": f"{REPO}{os.pathsep}{os.environ.get('PYTHONPATH', '')}",
                   "GUNICORN_ACCESS_LOG": "" if args.access_log == "off" else "-"}
    for name in ("DONATION_DRIVE_INSTANCE", "REDIS_URL", "GUNICORN_WORKERS", "GUNICORN_THREADS"):
        environment.pop(name, None)
    settings = server_settings(args)
    return {
        "app": Server("app", "donation_drive:create_app()", settings, environment, folder, f"/d/{SLUG}", args.log_sink),
        "bare": Server("bare", "bench.bare:app", settings, environment, folder, "/bare", args.log_sink),
        "bare defaults": Server("bare defaults", "bench.bare:app", ["--workers", str(args.workers)],
                                environment, folder, "/bare"),
    }


# --- Load ---


@dataclass(frozen=True)
class Case:
    name: str
    server: str
    path: str
    headers: tuple[tuple[str, str], ...] = ()
    status: int = 200


@dataclass
class Tally:
    requests: int = 0
    seconds: float = 0.0
    errors: int = 0
    cpu: float = 0.0
    p50: list[float] = field(default_factory=list)
    p99: list[float] = field(default_factory=list)
    #: Each run's req/s over the bare app's in the runs just before and after it.
    paired: list[float] = field(default_factory=list)

    def add(self, requests: int, seconds: float, p50: float, p99: float, errors: int, cpu: float) -> None:
        self.requests += requests
        self.seconds += seconds
        self.p50.append(p50)
        self.p99.append(p99)
        self.errors += errors
        self.cpu += cpu

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    @property
    def cpu_ms(self) -> float:
        """CPU the server spent per answer: unlike req/s, barely moved by other work on the machine."""
        return self.cpu * 1000 / self.requests if self.requests else 0.0


def _process_cpu(pid: int, with_children: bool) -> float:
    """utime + stime (and, for the master, its reaped workers' too), in seconds, from /proc."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    ticks = sum(int(value) for value in fields[11:15 if with_children else 13])
    return ticks / os.sysconf("SC_CLK_TCK")


def server_cpu(server: Server) -> float:
    """CPU seconds used so far by a gunicorn master and its workers, restarted ones included (Linux)."""
    pid = server.process.pid
    children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    total = _process_cpu(pid, with_children=True)
    for child in children:
        with contextlib.suppress(FileNotFoundError):  # restarted meanwhile: counted in the master's reaped children
            total += _process_cpu(int(child), with_children=False)
    return total


_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}
_DURATION = r"([\d.]+)(us|ms|s)"


def _found(pattern: str, printed: str) -> re.Match[str]:
    match = re.search(pattern, printed)
    if match is None:
        raise SystemExit(f"wrk printed something this script does not know: {printed}")
    return match


def _milliseconds(pattern: str, printed: str) -> float:
    number, unit = _found(pattern, printed).group(1, 2)
    return float(number) * _UNITS[unit]


def run_wrk(port: int, case: Case, seconds: float, connections: int) -> tuple[int, float, float, float, int]:
    """(requests, seconds, p50 ms, p99 ms, errors) of one wrk run."""
    command = ["wrk", "--threads", "1", "--connections", str(connections), "--duration", f"{seconds:g}s",
               "--latency", "--timeout", "10s"]
    for name, value in case.headers:
        command += ["--header", f"{name}: {value}"]
    printed = subprocess.run([*command, f"http://127.0.0.1:{port}{case.path}"], check=True,
                             capture_output=True, text=True).stdout
    requests = int(_found(r"(\d+) requests in", printed).group(1))
    took = _milliseconds(r"requests in " + _DURATION, printed) / 1000
    p50 = _milliseconds(r"50%\s+" + _DURATION, printed)
    p99 = _milliseconds(r"99%\s+" + _DURATION, printed)
    failed = re.search(r"Non-2xx or 3xx responses: (\d+)", printed)
    # Connect errors and timeouts only: a sync worker closes each connection after its answer,
    # which wrk counts as a read error.
    socket_errors = re.search(r"Socket errors: connect (\d+), read \d+, write \d+, timeout (\d+)", printed)
    errors = (int(failed.group(1)) if failed else 0) + (sum(map(int, socket_errors.groups())) if socket_errors else 0)
    return requests, took, p50, p99, errors


def check_cases(servers: dict[str, Server], cases: list[Case]) -> None:
    """Each case answers as expected before it is measured: a wrong status would flatter it."""
    for case in cases:
        status, _headers = _get(servers[case.server].port, case.path, dict(case.headers))
        if status != case.status:
            raise SystemExit(f"{case.name}: {case.path} answered {status}, not {case.status}")


def load_all(servers: dict[str, Server], cases: list[Case], args: argparse.Namespace) -> tuple[dict, float]:
    """Every case for --seconds in all, over --rounds rounds, each run between two runs of the
    bare app (cases[0]): its ratio is to the bare app as loaded just then, so a burst of other
    work on the machine falls on both. Also returns the share of a core wrk itself used."""
    for case in cases:
        run_wrk(servers[case.server].port, case, 1, args.connections)  # warm-up: every worker, every cache
    tallies = {case.name: Tally() for case in cases}
    cpu_before = resource.getrusage(resource.RUSAGE_CHILDREN)

    def measure(case: Case) -> float:
        server = servers[case.server]
        cpu = server_cpu(server)
        requests, took, p50, p99, errors = run_wrk(server.port, case, args.seconds / args.rounds, args.connections)
        tallies[case.name].add(requests, took, p50, p99, errors, server_cpu(server) - cpu)
        return requests / took

    for _round in range(args.rounds):
        before = measure(cases[0])
        for case in cases[1:]:
            rps = measure(case)
            after = measure(cases[0])
            tallies[case.name].paired.append(rps / ((before + after) / 2))
            before = after
    cpu_after = resource.getrusage(resource.RUSAGE_CHILDREN)
    wall = sum(tally.seconds for tally in tallies.values())
    wrk_cpu = (cpu_after.ru_utime + cpu_after.ru_stime - cpu_before.ru_utime - cpu_before.ru_stime) / wall
    return tallies, wrk_cpu


def app_cases() -> list[Case]:
    return [
        Case("progress page", "app", f"/d/{SLUG}"),
        Case("progress page 304", "app", f"/d/{SLUG}"),  # its If-None-Match is added once the ETag is known
        Case("live fragment", "app", f"/d/{SLUG}/live"),
        Case("JSON", "app", f"/api/v1/drives/{SLUG}"),
        Case("badge", "app", f"/d/{SLUG}/badge.svg"),
        Case("preview image", "app", f"/d/{SLUG}/preview.png"),
        Case("embed", "app", f"/d/{SLUG}/embed"),
    ]


# --- Report ---


def _median(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[len(ordered) // 2]


def report(tallies: dict[str, Tally], cases: list[Case], wrk_cpu: float) -> bool:
    """Print the table and the verdicts; True when every target is met and nothing failed."""
    bare, defaults = tallies["bare Flask"], tallies["bare Flask, gunicorn defaults"]
    print(f"{'case':30} {'req/s':>6} {'p50 ms':>7} {'p99 ms':>7} {'/bare':>6} {'/defaults':>9} {'target':>10}"
          f" {'CPU ms':>7} {'by CPU':>6}  errors")
    met = True
    for case in cases:
        tally = tallies[case.name]
        ratio = _median(tally.paired) if tally.paired else 1.0
        target = TARGETS.get(case.name)
        verdict = "" if target is None else f">={target:.2f} {'ok' if ratio >= target else 'MISS'}"
        met = met and (target is None or ratio >= target) and (tally.errors == 0 or case.server == "bare defaults")
        print(f"{case.name:30} {tally.rps:6.0f} {_median(tally.p50):7.2f} {_median(tally.p99):7.2f} "
              f"{ratio:6.2f} {tally.rps / defaults.rps:9.2f} {verdict:>10} {tally.cpu_ms:7.3f} "
              f"{bare.cpu_ms / tally.cpu_ms:6.2f}  {tally.errors}")
    p99_ratio = _median(tallies["progress page"].p99) / _median(bare.p99)
    met = met and p99_ratio <= P99_TARGET
    print(f"\np99 of the progress page / p99 of the bare app (median of the rounds): {p99_ratio:.2f} "
          f"(target <= {P99_TARGET}: {'ok' if p99_ratio <= P99_TARGET else 'MISS'})")
    print(f"wrk used {wrk_cpu:.0%} of one core while loading (the rest is the servers')")
    print("/bare: median over the rounds of req/s / the bare app's in the runs just before and after;\n"
          "/defaults: req/s / the gunicorn-defaults bare app's over the whole run;\n"
          "CPU ms: server CPU per answer; by CPU: the bare app's CPU per answer / this case's, the ratio\n"
          "req/s would show on a machine with nothing else running")
    return met


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=6.0, help="load time per case, over all rounds")
    parser.add_argument("--rounds", type=int, default=3, help="interleaved rounds over all cases")
    parser.add_argument("--connections", type=int, default=32, help="concurrent clients (wrk connections)")
    parser.add_argument("--workers", type=int, default=conf_workers(), help="gunicorn workers, every server")
    parser.add_argument("--worker-class", help="override gunicorn.conf.py's worker class (e.g. sync)")
    parser.add_argument("--threads", type=int, help="override gunicorn.conf.py's threads per worker")
    parser.add_argument("--max-requests", type=int, help="override gunicorn.conf.py's restart after N requests")
    parser.add_argument("--access-log", choices=["conf", "plain", "off"], default="conf",
                        help="gunicorn.conf.py's JSON access line, gunicorn's plain one, or none")
    parser.add_argument("--log-sink", choices=["devnull", "pipe"], default="devnull",
                        help="where the access lines go: /dev/null, or a pipe read line by line (as journald)")
    parser.add_argument("--database-url", help="default: a new SQLite file in a temporary folder")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is needed: apt-get install wrk (or brew install wrk)")

    folder = Path(tempfile.mkdtemp(prefix="donation-drive-bench-"))
    database_url = args.database_url or f"sqlite:///{folder / 'bench.sqlite3'}"
    print(f"Building data: 1 drive with {PARTICIPANTS:,} participants and {DONATIONS:,} donations, "
          f"{OTHER_DRIVES:,} other drives ({database_url.split(':')[0]})", flush=True)
    build_database(database_url, folder)
    servers = start_servers(args, database_url, folder)
    try:
        cases = [Case("bare Flask", "bare", "/bare"), Case("bare Flask, gunicorn defaults", "bare defaults", "/bare"),
                 *app_cases()]
        etag = _get(servers["app"].port, f"/d/{SLUG}", {})[1]["ETag"]
        cases[3] = Case("progress page 304", "app", f"/d/{SLUG}", (("If-None-Match", etag),), 304)
        check_cases(servers, cases)
        print(f"gunicorn.conf.py with {' '.join(server_settings(args)[2:])}, "
              f"access log: {args.access_log} to {args.log_sink}; wrk, {args.connections} connections; "
              f"{args.seconds:g} s per case in {args.rounds} rounds; "
              f"{os.cpu_count()} cores; load average before {os.getloadavg()[0]:.2f}\n", flush=True)
        tallies, wrk_cpu = load_all(servers, cases, args)
        met = report(tallies, cases, wrk_cpu)
        print(f"load average after: {' '.join(f'{n:.2f}' for n in os.getloadavg())}")
    finally:
        for server in servers.values():
            server.stop()
        shutil.rmtree(folder, ignore_errors=True)
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
