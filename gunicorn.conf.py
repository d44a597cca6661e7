"""gunicorn settings for Donation Drive (README, "Running in production").

    gunicorn -c gunicorn.conf.py "donation_drive:create_app()"

Every setting can be changed by an environment variable named here, or on the command line.
"""

import json
import multiprocessing
import os

from gunicorn.glogging import Logger, SafeAtoms

from donation_drive.core.logs import redact

#: Behind a reverse proxy on the same machine; set GUNICORN_BIND=0.0.0.0:8000 only without one.
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
#: The usual 2 x cores + 1: while one worker waits on the database another can run.
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2 + 1))
#: Threads let a worker serve a slow phone on a bad connection without blocking everyone else.
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
#: A request still running after this many seconds is killed; SQLite's busy timeout is 15 s.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 30
keepalive = 5
#: Restart each worker now and then, so a slow leak never grows into an outage.
max_requests = 2000
max_requests_jitter = 200
#: No control socket: one thing fewer to protect (gunicorn is managed by signals and systemd).
control_socket_disable = True

#: One JSON object per request on stdout: time, method, path, status, bytes, time taken and the
#: request id the app answered with (X-Request-ID), so a line can be matched to the app's logs.
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-")
errorlog = "-"
access_log_format = (
    '{"ts": "%(t)s", "remote": "%(h)s", "method": "%(m)s", "path": "%(U)s", "query": "%(q)s", '
    '"status": %(s)s, "bytes": "%(b)s", "duration_ms": %(M)s, "request_id": "%({x-request-id}o)s", '
    '"referrer": "%(f)s", "agent": "%(a)s"}'
)


class JsonSafeAtoms(SafeAtoms):
    """Each value (path, query, Referer...) with tokens and emails masked (logs.redact), and
    escaped for JSON (gunicorn's own SafeAtoms escapes only quotes), so no value can break the line."""

    def __init__(self, atoms: dict) -> None:
        dict.__init__(self)
        for key, value in atoms.items():
            self[key] = json.dumps(redact(value))[1:-1] if isinstance(value, str) else value


class RedactingLogger(Logger):
    """gunicorn's logger, writing access lines through JsonSafeAtoms."""

    atoms_wrapper_class = JsonSafeAtoms


logger_class = RedactingLogger
