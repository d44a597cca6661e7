"""Starting and ending an organiser's session, so nothing of one carries into the next.

Before there is a session to start, the browser that registered remembers which address its
confirmation link went to and where the visitor was going, for the check-email page.
"""

from dataclasses import dataclass

from flask import current_app, g, session
from flask_login import login_user, logout_user

from .models import User

#: The session key of the registration waiting for its emailed link to be followed.
_AWAITING_CONFIRMATION = "awaiting_confirmation"


@dataclass(frozen=True)
class AwaitingConfirmation:
    """The address this browser registered, and the local path to go to once it is confirmed."""

    email: str
    next_path: str | None


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


def remember_awaiting_confirmation(email: str, next_path: str | None) -> None:
    """Kept in the session, never in a URL, where the address would reach logs and history."""
    session[_AWAITING_CONFIRMATION] = {"email": email, "next": next_path}


def awaiting_confirmation() -> AwaitingConfirmation | None:
    """The registration this browser made and has not yet confirmed (logging in forgets it)."""
    stored = session.get(_AWAITING_CONFIRMATION)
    if not isinstance(stored, dict) or not isinstance(stored.get("email"), str):
        return None
    next_path = stored.get("next")
    return AwaitingConfirmation(stored["email"], next_path if isinstance(next_path, str) else None)


def forget_awaiting_confirmation() -> None:
    session.pop(_AWAITING_CONFIRMATION, None)
