"""One JSON line per log record, a request id per request, and no private link or email in any log."""

import io
import json
import logging
import os
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from donation_drive.logs import json_handler, redact


@pytest.fixture
def log_lines(app):
    """What the app's loggers write, as parsed JSON lines."""
    stream = io.StringIO()
    handler = json_handler(stream)
    loggers = [logging.getLogger("donation_drive"), logging.getLogger("werkzeug")]
    for logger in loggers:
        logger.addHandler(handler)
    yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    for logger in loggers:
        logger.removeHandler(handler)


def test_each_response_carries_a_new_request_id(client):
    first = client.get("/healthz").headers["X-Request-ID"]
    second = client.get("/healthz").headers["X-Request-ID"]
    assert len(first) >= 16 and first != second


def test_a_request_id_from_the_proxy_is_kept(client):
    response = client.get("/healthz", headers={"X-Request-ID": "edge-4f2a9c01"})
    assert response.headers["X-Request-ID"] == "edge-4f2a9c01"


@pytest.mark.parametrize("forged", ["short", "two words here", "x" * 200, "<script>alert(1)</script>"])
def test_a_request_id_that_does_not_look_like_one_is_replaced(client, forged):
    response = client.get("/healthz", headers={"X-Request-ID": forged})
    assert response.headers["X-Request-ID"] != forged
    assert len(response.headers["X-Request-ID"]) == 32


def test_an_error_is_logged_as_one_json_line_with_its_request_id_and_no_private_link(app, log_lines):
    def explode(token):
        raise RuntimeError(f"failed for friend@example.org at /p/{token}")

    app.add_url_rule("/p/<token>/explode", "explode", explode)
    app.config["PROPAGATE_EXCEPTIONS"] = False  # answer 500 and log, as in production
    response = app.test_client().get("/p/SeCrEtToKeN123/explode", headers={"X-Request-ID": "req-00000001"})
    assert response.status_code == 500
    [line] = [line for line in log_lines() if line["level"] == "error"]
    assert line["request_id"] == "req-00000001"
    assert line["message"] == "Exception on /p/[private-link]/explode [GET]"
    everything = json.dumps(log_lines())
    assert "SeCrEtToKeN123" not in everything
    assert "friend@example.org" not in everything
    assert "[email]" in line["exception"]


def test_redact_masks_private_links_invite_codes_and_emails():
    line = 'GET /p/abcDEF_123-x/pledge.ics?x=1 from /join/Kq93_aZ "ann.lee+blood@mail.example.co.uk" ann%40x.org'
    assert redact(line) == (
        'GET /p/[private-link]/pledge.ics?x=1 from /join/[invite-code] "[email]" [email]'
    )


def test_development_server_access_lines_hide_private_links(app, log_lines):
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        for path in ("/p/PrivateToken42", "/join/InviteCode42"):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{server.port}{path}", timeout=10)
            except urllib.error.HTTPError as error:
                assert error.code == 404
    finally:
        server.shutdown()
        thread.join()
    access = [line["message"] for line in log_lines() if line["logger"] == "werkzeug"]
    assert any("/p/[private-link]" in message for message in access)
    assert any("/join/[invite-code]" in message for message in access)
    assert "PrivateToken42" not in json.dumps(log_lines())
    assert "InviteCode42" not in json.dumps(log_lines())


ROOT = Path(__file__).resolve().parent.parent


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _get(url: str, headers: dict | None = None) -> int:
    try:
        return urllib.request.urlopen(urllib.request.Request(url, headers=headers or {}), timeout=10).status
    except urllib.error.HTTPError as error:
        return error.code


def test_gunicorn_access_lines_are_json_with_the_request_id_and_no_private_link(app, tmp_path):
    port = _free_port()
    environment = {**os.environ, "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"], "SECRET_KEY": "test",
                   "GUNICORN_BIND": f"127.0.0.1:{port}", "GUNICORN_WORKERS": "1"}
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", str(ROOT / "gunicorn.conf.py"), "donation_drive:create_app()"],
        cwd=tmp_path, env={**environment, "PYTHONPATH": str(ROOT)},
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    try:
        for _ in range(100):
            try:
                if _get(f"http://127.0.0.1:{port}/healthz") == 200:
                    break
            except OSError:
                time.sleep(0.1)
        assert _get(f"http://127.0.0.1:{port}/p/PrivateToken42", {"X-Request-ID": "gunicorn-test-1"}) == 404
        assert _get(f"http://127.0.0.1:{port}/join/InviteCode42?from=ann@example.org",
                    {"User-Agent": 'quote " inside'}) == 404
    finally:
        server.terminate()
        output, errors = server.communicate(timeout=30)
    access = [json.loads(line) for line in output.splitlines() if line.startswith("{")]
    by_path = {line["path"]: line for line in access}
    assert by_path["/p/[private-link]"]["request_id"] == "gunicorn-test-1"
    assert by_path["/p/[private-link]"]["status"] == 404
    assert by_path["/join/[invite-code]"]["query"] == "from=[email]"
    assert by_path["/join/[invite-code]"]["agent"] == 'quote " inside'
    for secret in ("PrivateToken42", "InviteCode42", "ann@example.org"):
        assert secret not in output + errors
