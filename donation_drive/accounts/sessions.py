"""Starting and ending an organiser's session, so nothing of one carries into the next."""

from flask import current_app, g, session
from flask_login import login_user, logout_user

from .models import User


def _clear_session() -> None:
    """Forget everything in the session, and the CSRF token Flask-WTF cached from it."""
    session.clear()
    g.pop(current_app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token"), None)


def start_session(user: User) -> None:
    """A fresh session on login: nothing from before (a planted session, a flash) carries over."""
    _clear_session()
    login_user(user)


def end_session() -> None:
    """Log out in this browser: nothing of the session, nor its CSRF token, remains."""
    logout_user()
    _clear_session()
