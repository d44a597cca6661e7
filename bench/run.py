"""Scale check on PostgreSQL: throughput and dashboard time as ratios to a bare Flask endpoint.

    python bench/run.py [--database-url postgresql+psycopg://postgres@127.0.0.1:5432/postgres]
                        [--seconds 8] [--clients 8] [--drives 500] [--participants 20]

It creates a scratch database, migrates it, generates an organiser with --drives drives
(`flask generate`), then for 1 and for 4 gunicorn workers (gthread, gunicorn.conf.py) measures
on 127.0.0.1:
  - progress page: GET /d/<slug> requests per second;
  - sign-up: complete sign-ups per second (GET the invite page, POST the form);
  - the bare endpoint: a one-line Flask app served the same way, requests per second;
and the organiser dashboard (/drives/ for the organiser of all the drives): median time of
20 requests, against the bare endpoint's median time. The load generator is threads with
http.client and keep-alive. Not part of the test suite; it drops its database at the end.
"""

import argparse
import http.client
import json
import os
import re
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
from pathlib import Path

import sqlalchemy as sa

ROOT = Path(__file__).resolve().parent.parent
CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"|value="([^"]+)"[^>]*name="csrf_token"')
HIDDEN = re.compile(r'<input\b[^>]*\btype="hidden"[^>]*>')
ATTRIBUTE = re.compile(r'\b(name|value)="([^"]*)"')


class Client:
    """One keep-alive connection with its own cookies."""

    def __init__(self, port: int) -> None:
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, form: dict | None = None) -> tuple[int, str]:
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        body = None
        if form is not None:
            body = urllib.parse.urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        self.connection.request(method, path, body=body, headers=headers)
        response = self.connection.getresponse()
        text = response.read().decode()
        for header in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = header.partition("=")
            self.cookies[name] = rest.split(";", 1)[0]
        return response.status, text


def hidden_fields(page: str) -> dict[str, str]:
    fields: dict[str, str] = {}
    for tag in HIDDEN.findall(page):
        attributes = dict(ATTRIBUTE.findall(tag))
        if "name" in attributes:
            fields.setdefault(attributes["name"], attributes.get("value", ""))
    return fields


def throughput(port: int, clients: int, seconds: float, one: "callable") -> float:
    """Completed operations per second, `clients` threads each looping `one(client, n)`."""
    done = [0] * clients
    errors: list[str] = []
    stop = time.perf_counter() + seconds

    def run(index: int) -> None:
        client = Client(port)
        n = 0
        while time.perf_counter() < stop:
            try:
                one(client, f"{index}-{n}")
                done[index] += 1
            except Exception as error:  # counted, shown, and the run goes on
                errors.append(repr(error))
                client = Client(port)
            n += 1

    threads = [threading.Thread(target=run, args=(i,)) for i in range(clients)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        print(f"    {len(errors)} errors, first: {errors[0]}", file=sys.stderr)
    return sum(done) / (time.perf_counter() - started)


def expect(status: int, wanted: int, what: str) -> None:
    if status != wanted:
        raise RuntimeError(f"{what} answered {status}")


def get_ok(path: str):
    def one(client: Client, _label: str) -> None:
        status, _ = client.request("GET", path)
        expect(status, 200, path)
    return one


def sign_up(invite: str):
    def one(client: Client, label: str) -> None:
        status, page = client.request("GET", invite)
        expect(status, 200, invite)
        form = {**hidden_fields(page), "name": f"Bench {label}", "email": "", "units": "1",
                "donation_type": "whole_blood", "planned_on": "", "name_shown_as": "first_name"}
        status, _ = client.request("POST", invite, form)
        expect(status, 302, "sign-up")
    return one


def median_seconds(port: int, path: str, client: Client, count: int = 20) -> float:
    times = []
    for _ in range(count):
        started = time.perf_counter()
        status, _ = client.request("GET", path)
        times.append(time.perf_counter() - started)
        expect(status, 200, path)
    return statistics.median(times)


class Gunicorn:
    """gunicorn with gunicorn.conf.py on a free port, serving `target`."""

    def __init__(self, target: str, workers: int, environment: dict, port: int, ready_path: str) -> None:
        self.port = port
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", str(ROOT / "gunicorn.conf.py"), "--workers", str(workers),
             "--bind", f"127.0.0.1:{port}", "--no-control-socket", "--access-logfile", "/dev/null", target],
            cwd=ROOT, env=environment, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        for _ in range(300):
            try:
                if Client(port).request("GET", ready_path)[0] == 200:
                    break
            except OSError:
                pass
            time.sleep(0.1)
        else:
            raise RuntimeError("gunicorn did not start")
        # Every worker boots the app on its own: load it a while, unmeasured, until all have.
        throughput(port, 2 * workers, 3, get_ok(ready_path))

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=30)


def flask(args: list[str], environment: dict) -> str:
    return subprocess.run([sys.executable, "-m", "flask", "--app", "donation_drive", *args], cwd=ROOT,
                          env=environment, check=True, capture_output=True, text=True).stdout


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", default="postgresql+psycopg://postgres@127.0.0.1:5432/postgres",
                        help="a PostgreSQL server (its scratch database is created and dropped)")
    parser.add_argument("--seconds", type=float, default=8)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--drives", type=int, default=500)
    parser.add_argument("--participants", type=int, default=20)
    options = parser.parse_args()

    server = sa.make_url(options.database_url)
    scratch = f"donation_drive_bench_{os.getpid()}"
    admin = sa.create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(sa.text(f'CREATE DATABASE "{scratch}"'))
    environment = {**os.environ, "PYTHONPATH": str(ROOT), "SECRET_KEY": "bench secret key",
                   "DATABASE_URL": server.set(database=scratch).render_as_string(hide_password=False),
                   "LOG_LEVEL": "WARNING"}
    environment.pop("REDIS_URL", None)
    try:
        started = time.perf_counter()
        flask(["db", "upgrade"], environment)
        summary = json.loads(flask(["generate", "--drives", str(options.drives),
                                    "--participants", str(options.participants), "--json"], environment))
        print(f"Generated {summary['drives']} drives x {summary['participants_each']} participants "
              f"in {time.perf_counter() - started:.0f} s (PostgreSQL, database {scratch}).")
        results = run_all(options, environment, summary)
    finally:
        with admin.connect() as connection:
            connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{scratch}" WITH (FORCE)'))
        admin.dispose()
    print(json.dumps(results, indent=2))


def run_all(options, environment: dict, summary: dict) -> dict:
    progress_path = f"/d/{summary['first_slug']}"
    invite = f"/join/{summary['first_invite_code']}"
    results: dict = {"clients": options.clients, "seconds": options.seconds, "cpus": os.cpu_count()}
    for workers in (1, 4):
        bare = Gunicorn("bench.bare:app", workers, environment, 8651, "/bare")
        bare_rps = throughput(bare.port, options.clients, options.seconds, get_ok("/bare"))
        bare_time = median_seconds(bare.port, "/bare", Client(bare.port))
        bare.stop()
        app = Gunicorn("bench.wsgi:app", workers, environment, 8652, progress_path)
        progress_rps = throughput(app.port, options.clients, options.seconds, get_ok(progress_path))
        sign_up_rps = throughput(app.port, options.clients, options.seconds, sign_up(invite))
        organiser = Client(app.port)
        _, page = organiser.request("GET", "/auth/login")
        token = next(a or b for a, b in CSRF.findall(page))
        status, _ = organiser.request("POST", "/auth/login", {"csrf_token": token, "email": summary["email"],
                                                              "password": summary["password"]})
        expect(status, 302, "login")
        dashboard_time = median_seconds(app.port, "/drives/", organiser)
        app.stop()
        results[f"{workers}_workers"] = {
            "bare_requests_per_s": round(bare_rps, 1),
            "progress_page_requests_per_s": round(progress_rps, 1),
            "progress_page_ratio": round(progress_rps / bare_rps, 3),
            "sign_ups_per_s": round(sign_up_rps, 1),
            "sign_up_ratio": round(sign_up_rps / bare_rps, 3),
            "dashboard_500_drives_ms": round(dashboard_time * 1000, 1),
            "bare_ms": round(bare_time * 1000, 2),
            "dashboard_time_ratio": round(dashboard_time / bare_time, 1),
        }
        print(f"{workers} worker(s): {json.dumps(results[f'{workers}_workers'])}", flush=True)
    return results


if __name__ == "__main__":
    main()
