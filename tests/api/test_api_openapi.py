"""The OpenAPI document is valid, describes every /api/ route, and the live API keeps to it."""

import os
import re
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from openapi_spec_validator import validate
from werkzeug.serving import make_server

from test_api_organiser import token_for
from test_api_public import seed_jack

IGNORED_METHODS = {"HEAD", "OPTIONS"}


def _openapi_path(rule: str) -> str:
    """/api/v1/drives/<slug>/donations/<int:donation_id> -> /api/v1/drives/{slug}/donations/{donation_id}"""
    return re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", r"{\1}", rule)


@pytest.fixture
def document(client):
    served = client.get("/api/openapi.json")
    assert served.status_code == 200
    return served.get_json()


def _operations(path_item: dict) -> dict:
    return {key: value for key, value in path_item.items() if key != "parameters"}


def test_the_document_is_valid_openapi_3_1(document):
    assert document["openapi"] == "3.1.0"
    validate(document)


def test_every_api_route_is_documented_and_nothing_else(app, document):
    routes = {
        (_openapi_path(rule.rule), method.lower())
        for rule in app.url_map.iter_rules()
        if rule.rule.startswith("/api/")
        for method in rule.methods - IGNORED_METHODS
    }
    documented = {(path, method) for path, item in document["paths"].items() for method in _operations(item)}
    assert routes - documented == set(), "routes missing from the OpenAPI document"
    assert documented - routes == set(), "the OpenAPI document describes routes that do not exist"


def test_every_path_parameter_is_declared(document):
    for path, item in document["paths"].items():
        names = set(re.findall(r"{(\w+)}", path))
        for operation in _operations(item).values():
            # A parameter of every operation on the path may be declared once, beside them.
            parameters = item.get("parameters", []) + operation.get("parameters", [])
            declared = {p["name"] for p in parameters if p["in"] == "path"}
            assert declared == names, (path, declared)


def test_the_docs_page_shows_every_operation_without_javascript(client, document):
    response = client.get("/api/docs")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    for path, item in document["paths"].items():
        for method in _operations(item):
            assert f"{method.upper()} {path}" in html
    assert "<script>" not in html and "style=" not in html


@pytest.fixture
def live_api(app):
    """The app served over real HTTP on a free port, with a drive and an organiser's token."""
    found = seed_jack(app)
    secret = token_for(app, found["owner_id"])
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}", secret
    finally:
        server.shutdown()
        thread.join(timeout=10)


@pytest.mark.timeout(900)  # the run itself may take up to 600 s with CI's bigger budget
def test_schemathesis_finds_no_server_error_and_no_off_schema_answer(live_api, tmp_path):
    base_url, secret = live_api
    # Beside this Python first: a virtualenv's commands are there even when it is not activated.
    beside = Path(sys.executable).with_name("schemathesis")
    cli = str(beside) if beside.is_file() else shutil.which("schemathesis") or shutil.which("st")
    if cli is None:
        pytest.fail("schemathesis is not installed: pip install -e '.[test]'")
    command = [
        cli, "run", f"{base_url}/api/openapi.json",
        "--checks", "not_a_server_error,status_code_conformance,content_type_conformance,"
                    "response_schema_conformance,response_headers_conformance",
        "--header", f"Authorization: Bearer {secret}",
        "--max-examples", os.environ.get("SCHEMATHESIS_MAX_EXAMPLES", "25"),
        "--seed", "20261127",
        "--workers", "1",
        "--generation-database", "none",
        "--report-dir", str(tmp_path),
        "--no-color",
    ]
    result = subprocess.run(command, capture_output=True, text=True, timeout=600, cwd=tmp_path)
    assert result.returncode == 0, result.stdout[-8000:] + result.stderr[-2000:]
