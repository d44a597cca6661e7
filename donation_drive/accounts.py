"""Organiser accounts: registering and checking a password."""

from werkzeug.security import check_password_hash, generate_password_hash

from .database import add_unique
from .extensions import db
from .models import User
from .rules import RuleBroken

# Checked when no account matches, so a wrong email takes as long as a wrong password.
_DUMMY_HASH = generate_password_hash("not a real password")


def register(name: str, email: str, password: str) -> User:
    if db.session.scalar(db.select(User.id).where(User.email == email)) is not None:
        raise _email_taken()
    user = User(name=name, email=email, password_hash=generate_password_hash(password))
    add_unique(user, _email_taken)
    return user


def _email_taken() -> RuleBroken:
    return RuleBroken(
        "An account with this email already exists. Log in instead, or use another address.",
        "email",
    )


def authenticate(email: str, password: str) -> User | None:
    user = db.session.scalar(db.select(User).where(User.email == email))
    if user is None:
        check_password_hash(_DUMMY_HASH, password)
        return None
    return user if check_password_hash(user.password_hash, password) else None


def load_user(user_id: str) -> User | None:
    return db.session.get(User, int(user_id)) if user_id.isdigit() else None
