"""gunicorn settings for Donation Drive (README, "Running in production").

    gunicorn -c gunicorn.conf.py "donation_drive:create_app()"

Every setting can be changed by an environment variable named here, or on the command line.
"""

import json
import multiprocessing
import os
import re
from functools import lru_cache

from gunicorn.glogging import Logger, SafeAtoms

from donation_drive.core.logs import redact

#: Behind a reverse proxy on the same machine; set GUNICORN_BIND=0.0.0.0:8000 only without one.
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
#: The usual 2 x cores + 1: while one worker waits on the database another can run (2, 3 and 5
#: workers measured the same CPU per answer on 2 cores).
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2 + 1))
#: Threads let a worker keep answering while one request waits on the database (or a slow
#: phone, without a proxy in front); measured, sync workers cost the same CPU per answer.
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
#: A request still running after this many seconds is killed; SQLite's busy timeout is 15 s.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 30
keepalive = 5
#: Restart each worker now and then, so a slow leak never grows into an outage; but rarely: a
#: restart costs about 1.5 s of CPU (imports, then each view's first answer): at 2,000, restarts
#: took about 40 % of the CPU of a busy page's answers (README, "Choosing the server settings").
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "100000"))
max_requests_jitter = max_requests // 10
#: No control socket: one thing fewer to protect (gunicorn is managed by signals and systemd).
control_socket_disable = True

#: One JSON object per request on stdout: time, method, path, status, bytes, time taken and the
#: request id the app answered with (X-Request-ID), so a line can be matched to the app's logs.
#: About half the CPU of an answer from the fast path; behind nginx logging $request_id, set
#: GUNICORN_ACCESS_LOG= (empty) to turn it off (README, "Choosing the server settings").
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-") or None
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


@lru_cache(maxsize=8)
def atoms_used(access_format: str) -> frozenset[str]:
    """The atoms an access-line format names: %(s)s, %({x-request-id}o)s..."""
    return frozenset(name.lower() if name.startswith("{") else name
                     for name in re.findall(r"%\(([^)]+)\)", access_format))


class RedactingLogger(Logger):
    """gunicorn's logger, writing access lines through JsonSafeAtoms."""

    atoms_wrapper_class = JsonSafeAtoms

    def atoms(self, resp, req, environ, request_time) -> dict:
        """Only the atoms the line shows. gunicorn offers every request and response header and
        every environ entry; masking and escaping them all cost more than a cached page's answer."""
        used = atoms_used(self.cfg.access_log_format)
        return {key: value for key, value in super().atoms(resp, req, environ, request_time).items() if key in used}


logger_class = RedactingLogger
