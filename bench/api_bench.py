"""Benchmark the public hot paths under gunicorn against a bare Flask endpoint of the same app.

    python bench/api_bench.py                 # SQLite in a temporary folder, 10 s per endpoint
    python bench/api_bench.py --seconds 20 --database-url postgresql+psycopg://postgres@127.0.0.1:5432/bench

It builds a realistic data set (a drive with 10,000 participants and 20,000 donations, plus
1,000 other drives), starts gunicorn on 127.0.0.1, loads each endpoint for a fixed time from
a few client processes, and prints requests per second, p50 and p99 latency, and each
endpoint's throughput as a ratio of the baseline measured in the same run.

The baseline is /bench/bare, a route that returns "ok" added by `bench_app()` below to the
very app being measured, so it pays for the same hooks (sessions, security headers, logs).
Not part of the test suite.
"""

from __future__ import annotations

import argparse
import http.client
import multiprocessing
import os
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

SLUG = "7-for-jack"
PARTICIPANTS = 10_000
DONATIONS = 20_000
OTHER_DRIVES = 1_000
#: Targets from the issue: throughput as a fraction of the bare endpoint's.
TARGETS = {"progress page": 0.5, "progress page 304": 0.8, "JSON": 0.7}


def bench_app():
    """The real app plus a bare endpoint; gunicorn imports this as `api_bench:bench_app()`."""
    from donation_drive import create_app

    app = create_app()
    app.add_url_rule("/bench/bare", "bench_bare", lambda: "ok")
    return app


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


# --- Load ---


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _request(port: int, path: str, headers: dict[str, str]) -> tuple[int, dict[str, str]]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.request("GET", path, headers=headers)
        response = connection.getresponse()
        response.read()
        return response.status, dict(response.getheaders())
    finally:
        connection.close()


def _client(port: int, path: str, headers: dict[str, str], seconds: float, expected: int, queue) -> None:
    latencies: list[float] = []
    errors = 0
    stop = time.perf_counter() + seconds
    while True:
        began = time.perf_counter()
        if began >= stop:
            break
        try:
            status, _headers = _request(port, path, headers)
        except OSError:
            status = 0
        latencies.append(time.perf_counter() - began)
        if status != expected:
            errors += 1
    queue.put((latencies, errors))


def _load_once(port: int, path: str, headers: dict[str, str], seconds: float, clients: int,
               expected: int) -> tuple[list[float], int]:
    queue = multiprocessing.Queue()
    workers = [multiprocessing.Process(target=_client, args=(port, path, headers, seconds, expected, queue))
               for _ in range(clients)]
    for worker in workers:
        worker.start()
    results = [queue.get() for _ in workers]
    for worker in workers:
        worker.join()
    return [value for result in results for value in result[0]], sum(result[1] for result in results)


def load_all(port: int, cases: list[tuple], seconds: float, clients: int, rounds: int) -> dict[str, dict]:
    """Load every case for `seconds` in total, interleaved over `rounds` rounds, so a change in
    the machine's load during the run falls on every case alike and the ratios stay fair."""
    for _name, path, headers, expected in cases:
        _client(port, path, headers, 0.5, expected, multiprocessing.Queue())  # warm-up
    pooled: dict[str, tuple[list[float], int]] = {name: ([], 0) for name, *_ in cases}
    for _round in range(rounds):
        for name, path, headers, expected in cases:
            latencies, errors = _load_once(port, path, headers, seconds / rounds, clients, expected)
            pooled[name] = (pooled[name][0] + latencies, pooled[name][1] + errors)
    summary = {}
    for name, (latencies, errors) in pooled.items():
        latencies.sort()
        summary[name] = {
            "rps": len(latencies) / seconds,
            "p50": statistics.median(latencies) * 1000,
            "p99": latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))] * 1000,
            "errors": errors,
        }
    return summary


def start_gunicorn(port: int, database_url: str, instance: Path, workers: int) -> subprocess.Popen:
    environment = {**os.environ, "DATABASE_URL": database_url, "SECRET_KEY": "bench", "LOG_LEVEL": "WARNING",
                   "PYTHONPATH": f"{REPO}{os.pathsep}{os.environ.get('PYTHONPATH', '')}"}
    environment.pop("DONATION_DRIVE_INSTANCE", None)
    command = [sys.executable, "-m", "gunicorn", "--no-control-socket", "--workers", str(workers),
               "--bind", f"127.0.0.1:{port}", "--chdir", str(instance), "--pythonpath", str(REPO / "bench"),
               "--log-level", "warning", "api_bench:bench_app()"]
    server = subprocess.Popen(command, env=environment, start_new_session=True)
    deadline = time.time() + 30
    while time.time() < deadline:
        try:
            if _request(port, "/bench/bare", {})[0] == 200:
                return server
        except OSError:
            time.sleep(0.2)
    stop_gunicorn(server)
    raise SystemExit("gunicorn did not start")


def stop_gunicorn(server: subprocess.Popen) -> None:
    os.killpg(server.pid, signal.SIGTERM)
    try:
        server.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=10.0, help="load time per endpoint")
    parser.add_argument("--clients", type=int, default=4, help="client processes sending requests")
    parser.add_argument("--rounds", type=int, default=5, help="interleaved rounds over all endpoints")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn worker processes")
    parser.add_argument("--database-url", help="default: a new SQLite file in a temporary folder")
    args = parser.parse_args()

    instance = Path(tempfile.mkdtemp(prefix="donation-drive-bench-"))
    database_url = args.database_url or f"sqlite:///{instance / 'bench.sqlite3'}"
    print(f"Building data: 1 drive with {PARTICIPANTS:,} participants and {DONATIONS:,} donations, "
          f"{OTHER_DRIVES:,} other drives ({database_url.split(':')[0]})", flush=True)
    build_database(database_url, instance)
    port = _free_port()
    server = start_gunicorn(port, database_url, instance, args.workers)
    try:
        etag = _request(port, f"/d/{SLUG}", {})[1]["ETag"]
        cases = [
            ("bare Flask endpoint", "/bench/bare", {}, 200),
            ("progress page", f"/d/{SLUG}", {}, 200),
            ("progress page 304", f"/d/{SLUG}", {"If-None-Match": etag}, 304),
            ("JSON", f"/api/v1/drives/{SLUG}", {}, 200),
            ("badge", f"/d/{SLUG}/badge.svg", {}, 200),
        ]
        print(f"gunicorn: {args.workers} sync workers; {args.clients} client processes; "
              f"{args.seconds:g} s per endpoint in {args.rounds} interleaved rounds\n", flush=True)
        results = load_all(port, cases, args.seconds, args.clients, args.rounds)
        print(f"{'endpoint':22} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'ratio':>6} {'target':>9}  errors")
        baseline = results[cases[0][0]]["rps"]
        failed = False
        for name, *_rest in cases:
            result = results[name]
            ratio = result["rps"] / baseline
            target = TARGETS.get(name)
            verdict = "" if target is None else (f">={target:.1f} ok" if ratio >= target else f">={target:.1f} MISS")
            failed = failed or (target is not None and ratio < target) or result["errors"] > 0
            print(f"{name:22} {result['rps']:8.0f} {result['p50']:8.2f} {result['p99']:8.2f} "
                  f"{ratio:6.2f} {verdict:>9}  {result['errors']}", flush=True)
    finally:
        stop_gunicorn(server)
        shutil.rmtree(instance, ignore_errors=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
