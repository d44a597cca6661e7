"""One renderer for every HTTP error; a 500 rolls the session back first."""

from flask import Flask, render_template, request
from flask_wtf.csrf import CSRFError
from jinja2 import TemplateNotFound
from sqlalchemy.exc import OperationalError
from werkzeug.exceptions import HTTPException, InternalServerError

from ..api.errors import error_payload
from .extensions import db, login_manager
from .security import CrossSiteRequest

#: What a person is told for each status, in plain words.
MESSAGES = {
    400: ("Something was wrong with that request", "Please go back and try again."),
    403: ("Not allowed", "You don't have permission to do that."),
    404: (
        "Page not found",
        "This page doesn't exist. If someone sent you a link, check it was copied in full.",
    ),
    405: ("Not allowed", "That page can't be used this way."),
    410: ("This link has changed", "This link no longer works."),
    413: ("Too much sent", "What you sent is larger than we accept. Please send less."),
    429: ("Please slow down", "Too many tries in a short time. Please wait a moment."),
    500: ("Something went wrong on our side", "Nothing you did caused this. Please try again."),
    503: ("Temporarily unavailable", "We can't reach our database right now. Please try again shortly."),
}

#: Addresses friends and viewers open from a link (invite, private link, reminder email, sign-in
#: link, unsubscribe, a drive's pages): an error there gets the friend's header, with nothing
#: meant for organisers (base.html).
FRIEND_PATHS = ("/join/", "/p/", "/i/", "/r/", "/d/", "/memorial/", "/sign-in/", "/unsubscribe/")

CSRF_MESSAGE = (
    "This form had expired or was not sent from our page, so nothing was saved. "
    "Go back, reload the page and try again."
)


def render_error(status: int, message: str | None = None):
    title, default_message = MESSAGES.get(status, (f"Error {status}", "Please go back and try again."))
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
