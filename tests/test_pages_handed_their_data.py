"""Pages are handed their data: while a page's template renders, no SQL runs.

Each page's builder (drives/pages.py, public/pages.py, participation/pages.py) reads what the page
shows before rendering; template globals and filters only format. A template helper that queried,
or a relationship first touched in a template, would show here as a statement during rendering.
"""

from datetime import timedelta

import pytest
from flask import before_render_template, render_template_string, template_rendered
from sqlalchemy import event

import factories
from donation_drive.core.extensions import db as _db
from donation_drive.core.rules import today
from donation_drive.models import Drive
from donation_drive.public.caching import clear_caches
from support import Browser

#: The name the spy gives a template rendered from a string.
STRING = "(string)"


class RenderSpy:
    """The SQL statements run while a template renders (its includes and macros with it)."""

    def __init__(self, app) -> None:
        self.app = app
        self.rendering: list[str] = []
        self.during: dict[str, list[str]] = {}

    def __enter__(self) -> "RenderSpy":
        with self.app.app_context():
            self.engine = _db.engine
        event.listen(self.engine, "before_cursor_execute", self._statement)
        before_render_template.connect(self._starts, self.app)
        template_rendered.connect(self._ends, self.app)
        return self

    def __exit__(self, *_exc) -> None:
        event.remove(self.engine, "before_cursor_execute", self._statement)
        before_render_template.disconnect(self._starts, self.app)
        template_rendered.disconnect(self._ends, self.app)

    def _starts(self, _app, template, context) -> None:
        self.rendering.append(template.name or STRING)
        self.during.setdefault(template.name or STRING, [])

    def _ends(self, _app, template, context) -> None:
        self.rendering.remove(template.name or STRING)

    def _statement(self, _conn, _cursor, statement, *_args) -> None:
        for name in self.rendering:
            self.during[name].append(statement)


@pytest.fixture
def busy_drive(app, db):
    """A drive using every part its pages show: people, donations, a visit, an update, a memorial."""
    sam = factories.organiser()
    jack = factories.drive(sam, honoree="Jack")
    ben, ben_link = factories.participant(jack, "Ben", email="ben@example.org")
    factories.participant(jack, "Amira", shown=False)
    factories.reported_donation(ben, donated_on=today() - timedelta(days=3))
    factories.reported_donation(ben, donated_on=today() - timedelta(days=2))  # looks like a repeat
    factories.logged_donation(jack, sam, units=2)
    factories.update(jack, sam)
    factories.group_visit(jack, sam)
    factories.invitation(jack, sam, "cleo@example.org")
    helper = factories.organiser("Helper", "helper@example.org")
    factories.co_organiser(jack, sam, helper)
    db.session.commit()
    return jack, ben_link


def test_no_sql_runs_while_the_organiser_progress_and_private_pages_and_live_parts_render(app, busy_drive):
    jack, ben_link = busy_drive
    organiser = Browser(app.test_client())
    organiser.login("sam@example.org", factories.PASSWORD)
    clear_caches(app)
    with RenderSpy(app) as spy:
        pages = {
            "drives/drive.html": organiser.client.get(f"/drives/{jack.slug}"),
            "drives/donations.html": organiser.client.get(f"/drives/{jack.slug}/donations"),
            "drives/people.html": organiser.client.get(f"/drives/{jack.slug}/people"),
            "drives/updates.html": organiser.client.get(f"/drives/{jack.slug}/updates"),
            "drives/settings.html": organiser.client.get(f"/drives/{jack.slug}/settings"),
            "drives/advanced.html": organiser.client.get(f"/drives/{jack.slug}/advanced"),
            "public/progress.html": app.test_client().get(f"/d/{jack.slug}"),
            "public/live.html": app.test_client().get(f"/d/{jack.slug}/live"),
            "public/embed_live.html": app.test_client().get(f"/d/{jack.slug}/embed/live"),
            "participation/private.html": app.test_client().get(f"/p/{ben_link}"),
        }
    for template, response in pages.items():
        assert response.status_code == 200, template
        assert spy.during[template] == [], f"{template} ran SQL while rendering:\n" + "\n".join(spy.during[template])


def test_the_spy_sees_sql_run_while_rendering(app, busy_drive):
    """Guards the test above: a template that touches an unloaded relationship is caught."""
    jack, _link = busy_drive
    with app.test_request_context(), RenderSpy(app) as spy:
        drive = _db.session.get(Drive, jack.id)
        render_template_string("{{ drive.participants | length }}", drive=drive)
    assert any("FROM participant" in statement for statement in spy.during[STRING])
