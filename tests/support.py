"""Helpers the tests share: a form-filling client, the CSRF token reader, database snapshots.

They live here rather than in conftest.py because tests/ and tests/e2e/ each have a conftest
module, and `from conftest import …` would find whichever was imported first.
"""

import re
from pathlib import Path

import sqlalchemy as sa
from flask.testing import FlaskClient

CSRF_PATTERN = re.compile(r'name="(?:[\w-]+-)?csrf_token"[^>]*value="([^"]+)"|value="([^"]+)"[^>]*name="(?:[\w-]+-)?csrf_token"')


def base_config(url: str, instance: Path) -> dict:
    return {
        "TESTING": True,
        "SECRET_KEY": "test secret key, not for production",
        "SQLALCHEMY_DATABASE_URI": url,
        "SERVER_NAME": "drive.test",
        "INSTANCE_PATH": str(instance),
        # Tests submit the sign-up form at once; test_security_spam.py checks the minimum time.
        "SIGN_UP_MIN_SECONDS": 0,
        # View counts wait in memory until the funnel is read, so a GET never writes.
        "FUNNEL_FLUSH_SECONDS": 3600,
    }


def csrf_token(html: str) -> str:
    """The CSRF token of the first form on a page, read as a browser would submit it."""
    match = CSRF_PATTERN.search(html)
    assert match, "no CSRF token on the page"
    return match.group(1) or match.group(2)


class Browser:
    """Fills and submits the app's forms through the test client, CSRF token and all."""

    def __init__(self, client: FlaskClient) -> None:
        self.client = client

    def get(self, url: str, **kwargs):
        return self.client.get(url, **kwargs)

    def submit(self, page_url: str, data: dict, action: str | None = None, prefix: str = "", **kwargs):
        """GET the page, take its CSRF token, POST `data` to `action` (default: the page)."""
        page = self.client.get(page_url)
        assert page.status_code == 200, f"{page_url} answered {page.status_code}"
        token_name = f"{prefix}-csrf_token" if prefix else "csrf_token"
        form = {token_name: csrf_token(page.get_data(as_text=True)), **data}
        return self.client.post(action or page_url, data=form, **kwargs)

    def register(self, name: str = "Sam Organiser", email: str = "sam@example.org",
                 password: str = "a long enough password"):
        return self.submit("/auth/register", {"name": name, "email": email, "password": password})

    def login(self, email: str = "sam@example.org", password: str = "a long enough password"):
        return self.submit("/auth/login", {"email": email, "password": password})

    def logout(self):
        page = self.client.get("/drives/")
        return self.client.post("/auth/logout", data={"csrf_token": csrf_token(page.get_data(as_text=True))})


def database_snapshot(db) -> dict[str, list[tuple]]:
    """Every row of every table, to show that a refused request changed nothing."""
    db.session.expire_all()
    snapshot = {}
    with db.engine.connect() as connection:
        for table in db.metadata.sorted_tables:
            rows = connection.execute(sa.select(table)).all()
            snapshot[table.name] = sorted(tuple(map(repr, row)) for row in rows)
    return snapshot
