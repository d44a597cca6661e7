"""One renderer for every HTTP error; a 500 rolls the session back first."""

from flask import Flask, render_template, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from jinja2 import TemplateNotFound
from sqlalchemy.exc import OperationalError
from werkzeug.exceptions import HTTPException, InternalServerError

from ..api.errors import error_payload
from .extensions import db, login_manager
from .i18n import lazy_gettext as _l
from .security import CrossSiteRequest

#: What a person is told for each status, in plain words.
MESSAGES = {
    400: (_l("Something was wrong with that request"), _l("Please go back and try again.")),
    403: (_l("Not allowed"), _l("You don't have permission to do that.")),
    404: (
        _l("Page not found"),
        _l("This page doesn't exist. If someone sent you a link, check it was copied in full."),
    ),
    405: (_l("Not allowed"), _l("That page can't be used this way.")),
    410: (_l("This link has changed"), _l("This link no longer works.")),
    413: (_l("Too much sent"), _l("What you sent is larger than we accept. Please send less.")),
    429: (_l("Please slow down"), _l("Too many tries in a short time. Please wait a moment.")),
    500: (_l("Something went wrong on our side"), _l("Nothing you did caused this. Please try again.")),
    503: (_l("Temporarily unavailable"), _l("We can't reach our database right now. Please try again shortly.")),
}

#: Addresses friends and viewers open from a link (invite, private link, reminder email, sign-in
#: link, unsubscribe, a drive's pages): an error there gets the friend's header, with nothing
#: meant for organisers (base.html).
FRIEND_PATHS = ("/join/", "/p/", "/i/", "/r/", "/d/", "/memorial/", "/sign-in/", "/unsubscribe/")

CSRF_MESSAGE = _l(
    "This form had expired or was not sent from our page, so nothing was saved. "
    "Go back, reload the page and try again."
)


def render_error(status: int, message: str | None = None):
    # Each text becomes a str here, in the reader's language: the page, the JSON and the plain
    # fallback below all say the same words.
    if status in MESSAGES:
        title, default_message = (str(text) for text in MESSAGES[status])
    else:
        title, default_message = _("Error %(status)s", status=status), _("Please go back and try again.")
    if message is not None:
        message = str(message)
    if request.accept_mimetypes.best == "application/json" or request.path.startswith("/api/"):
        return error_payload(status, message or default_message), status
    try:
        return render_template(
            "core/error.html", status=status, title=title, message=message or default_message,
            header="friend" if request.path.startswith(FRIEND_PATHS) else "",
        ), status
    except TemplateNotFound:
        return f"{status} {title}: {message or default_message}", status


def _http_error(error: HTTPException):
    # Werkzeug's stock descriptions are technical; a description given to abort() is ours.
    custom = error.description != type(error).description
    return render_error(error.code or 500, error.description if custom else None)


def _csrf_error(error: CSRFError):
    # Flask-WTF's reasons are technical; a form sent from another site gets its own words.
    return render_error(400, error.description if isinstance(error, CrossSiteRequest) else CSRF_MESSAGE)


def _server_error(_error: Exception):
    db.session.rollback()
    return render_error(500)


def _database_unavailable(_error: OperationalError):
    db.session.rollback()
    # Render the page as for a visitor: loading the logged-in user would need the database.
    login_manager._update_request_context_with_user()
    return render_error(503)


def init_app(app: Flask) -> None:
    app.register_error_handler(OperationalError, _database_unavailable)
    app.register_error_handler(CSRFError, _csrf_error)
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(InternalServerError, _server_error)
