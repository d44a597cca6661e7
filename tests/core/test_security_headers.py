"""Every response carries the security headers; the CSP is strict and templates obey it."""

import re
from pathlib import Path

import pytest
from flask import Flask

from donation_drive.core.security import allow_framing, referrer_policy
from support import Browser
from test_journeys import create_drive, invite_path, sign_up

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"


@pytest.fixture
def pages(browser: Browser) -> dict[str, str]:
    """One URL of each kind a person meets: public, organiser, private, JSON, static, errors."""
    browser.register()
    organiser_page = create_drive(browser)
    invite = invite_path(browser, organiser_page)
    private = sign_up(browser, invite, "Ann")
    return {
        "home": "/",
        "login": "/auth/login",
        "register": "/auth/register",
        "organiser": organiser_page,
        "progress": "/d/7-for-jack",
        "join": invite,
        "private": private,
        "welcome": f"{private}/welcome",
        "json": "/api/drives/7-for-jack",
        "static": "/static/css/main.css",
        "not found": "/d/no-such-drive",
        "method not allowed": "/auth/logout",
    }


def test_every_kind_of_response_carries_the_security_headers(client, pages):
    for name, url in pages.items():
        response = client.get(url)
        response.close()  # static files are streamed from an open file
        headers = response.headers
        csp = headers.get("Content-Security-Policy", "")
        assert "default-src 'self'" in csp, name
        assert "script-src 'self'" in csp, name
        assert "style-src 'self'" in csp, name
        assert "object-src 'none'" in csp, name
        assert "base-uri 'none'" in csp, name
        assert "frame-ancestors 'none'" in csp, name
        assert "unsafe-inline" not in csp and "unsafe-eval" not in csp, name
        assert headers["X-Frame-Options"] == "DENY", name
        assert headers["X-Content-Type-Options"] == "nosniff", name
        assert "camera=()" in headers["Permissions-Policy"], name
        assert "Strict-Transport-Security" not in headers, f"{name}: HSTS over plain HTTP"


def test_referrer_policy_hides_private_links(client, pages):
    for name in ("home", "progress", "join", "organiser", "login"):
        assert client.get(pages[name]).headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    for name in ("private", "welcome"):
        response = client.get(pages[name])
        assert response.headers["Referrer-Policy"] == "no-referrer", name
        assert response.headers["Cache-Control"] == "no-store", name


def test_hsts_only_when_served_over_https(client):
    response = client.get("/", base_url="https://drive.test")
    assert response.headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
    assert "Strict-Transport-Security" not in client.get("/").headers


@pytest.mark.own_app  # adds a route of its own
def test_a_view_can_allow_framing_and_choose_its_referrer_policy(app: Flask):
    @app.get("/framed-for-test")
    @allow_framing("*")
    @referrer_policy("no-referrer")
    def framed():
        return "framed"

    response = app.test_client().get("/framed-for-test")
    assert "frame-ancestors *" in response.headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" not in response.headers["Content-Security-Policy"]
    assert "X-Frame-Options" not in response.headers
    assert response.headers["Referrer-Policy"] == "no-referrer"
    # The override is for that view only.
    assert "frame-ancestors 'none'" in app.test_client().get("/").headers["Content-Security-Policy"]


INLINE_SCRIPT = re.compile(r"<script(?![^>]*\ssrc=)[^>]*>", re.IGNORECASE)
INLINE_STYLE = re.compile(r"<style[\s>]|\sstyle\s*=", re.IGNORECASE)
EVENT_HANDLER = re.compile(r"<[^>]+\son[a-z]+\s*=", re.IGNORECASE)
JAVASCRIPT_URL = re.compile(r"(href|src|action)\s*=\s*[\"']?\s*javascript:", re.IGNORECASE)


@pytest.mark.parametrize("template", sorted(TEMPLATES.rglob("*.html")), ids=lambda path: path.name)
def test_templates_need_nothing_the_csp_forbids(template: Path):
    """Inline scripts, styles and handlers would be blocked by the CSP: none may exist."""
    source = template.read_text()
    for pattern in (INLINE_SCRIPT, INLINE_STYLE, EVENT_HANDLER, JAVASCRIPT_URL):
        assert not pattern.search(source), f"{template.name}: {pattern.search(source).group(0)}"
