"""One JSON line per log record, a request id per request, and no private link or email in any log."""

import importlib.util
import io
import json
import logging
import os
import socket
import subprocess
import sys
import threading
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from donation_drive.core.logs import json_handler, redact

ROOT = Path(__file__).resolve().parents[2]


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


@pytest.mark.own_app  # adds a route of its own
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


#: Route arguments that are public: a drive's slug, a photo's content hash, a static file's name, a language.
PUBLIC_ARGUMENTS = {"slug", "name", "filename", "language_code"}
SECRET = "SeCrEt_tOkEn-42"


def _is_secret(name: str, converter) -> bool:
    return name not in PUBLIC_ARGUMENTS and type(converter).__name__ in ("TextConverter", "PathConverter")


def _example(name: str, converter) -> str:
    kind = type(converter).__name__
    if kind == "AnyConverter":
        return sorted(converter.items)[0]
    return "1" if kind == "IdConverter" else SECRET if _is_secret(name, converter) else "7-for-jack"


def _secret_paths(app) -> list[str]:
    """A path of every route with a secret in it (any text argument not known to be public)."""
    return [
        rule.build({name: _example(name, converter) for name, converter in rule._converters.items()})[1]
        for rule in app.url_map.iter_rules()
        if any(_is_secret(name, converter) for name, converter in rule._converters.items())
    ]


def test_every_route_with_a_secret_in_its_address_is_masked_in_logs(app):
    paths = _secret_paths(app)
    assert len(paths) >= 8 and all(SECRET in path for path in paths)
    for path in paths:
        encoded = urllib.parse.quote(path, safe="")
        for seen in (f"GET {path}?x=1 HTTP/1.1", f"https://drive.example.org{path}", f"next={encoded}",
                     f"/auth/login?next={encoded.lower()}&y=2"):
            assert SECRET not in redact(seen), f"{seen} reaches the log unmasked"


def _gunicorn_atoms():
    spec = importlib.util.spec_from_file_location("gunicorn_conf", ROOT / "gunicorn.conf.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.JsonSafeAtoms


def test_gunicorn_access_lines_mask_secrets_in_the_path_the_query_and_the_referrer(app):
    atoms_class = _gunicorn_atoms()
    for path in _secret_paths(app):
        encoded = urllib.parse.quote(path, safe="")
        atoms = atoms_class({"U": path, "q": f"next={encoded}", "r": f"GET {path}?next={encoded} HTTP/1.1",
                             "f": f"https://drive.example.org{path}", "s": 200})
        line = json.dumps(dict(atoms))
        assert SECRET not in line, line
        assert atoms["s"] == 200


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


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _get(url: str, headers: dict | None = None, timeout: float = 10) -> int:
    try:
        return urllib.request.urlopen(urllib.request.Request(url, headers=headers or {}), timeout=timeout).status
    except urllib.error.HTTPError as error:
        return error.code


def _wait_until_booted(server: subprocess.Popen) -> str:
    """gunicorn's error log up to its "Booting worker" line, read as it is written (however long
    a busy machine takes). From then on a request waits in the listening socket until the
    worker has loaded the app and takes it."""
    assert server.stderr is not None
    lines = []
    for line in server.stderr:
        lines.append(line)
        if "Booting worker" in line:
            return "".join(lines)
    raise AssertionError("gunicorn exited before booting a worker:\n" + "".join(lines))


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
        boot_log = _wait_until_booted(server)
        assert _get(f"http://127.0.0.1:{port}/healthz", timeout=90) == 200
        assert _get(f"http://127.0.0.1:{port}/p/PrivateToken42", {"X-Request-ID": "gunicorn-test-1"}) == 404
        assert _get(f"http://127.0.0.1:{port}/join/InviteCode42?from=ann@example.org",
                    {"User-Agent": 'quote " inside'}) == 404
        _get(f"http://127.0.0.1:{port}/auth/reset/ResetToken42?next=%2Fdrives%2Fco-organise%2FCoToken42",
             {"Referer": f"http://127.0.0.1:{port}/auth/confirm/ConfirmToken42"})
    finally:
        server.terminate()
        output, errors = server.communicate(timeout=30)
    access = [json.loads(line) for line in output.splitlines() if line.startswith("{")]
    by_path = {line["path"]: line for line in access}
    assert by_path["/p/[private-link]"]["request_id"] == "gunicorn-test-1"
    assert by_path["/p/[private-link]"]["status"] == 404
    assert by_path["/join/[invite-code]"]["query"] == "from=[email]"
    assert by_path["/join/[invite-code]"]["agent"] == 'quote " inside'
    reset = by_path["/auth/reset/[reset-token]"]
    assert reset["query"] == "next=%2Fdrives%2Fco-organise%2F[co-organiser-invitation]"
    assert reset["referrer"] == f"http://127.0.0.1:{port}/auth/confirm/[confirmation-token]"
    for secret in ("PrivateToken42", "InviteCode42", "ann@example.org", "ResetToken42", "CoToken42",
                   "ConfirmToken42"):
        assert secret not in output + boot_log + errors
