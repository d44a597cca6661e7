"""What makes a password acceptable: long enough, not too long, and not one everyone guesses.

No composition rules (ASVS 2.1.9): length and a list of common passwords do more good.
"""

from functools import cache
from pathlib import Path

from flask import current_app
from werkzeug.security import generate_password_hash

from ..core import limits
from ..core.rules import RuleBroken

COMMON_PASSWORDS_FILE = Path(__file__).resolve().parent / "data" / "common-passwords.txt"
#: Words of this app that a guesser would try first.
SITE_WORDS = ("donationdrive", "donation drive")

TOO_SHORT = f"Please use at least {limits.PASSWORD_MIN} characters."
TOO_LONG = f"Please use at most {limits.PASSWORD_MAX} characters."
TOO_COMMON = (
    "That password is one of the most common and easy to guess. "
    "A short sentence you'll remember works well."
)
TOO_PERSONAL = "Please don't use your name or email address as your password."


def hash_password(password: str) -> str:
    """The password hashed by the configured method (PASSWORD_HASH_METHOD: scrypt by default)."""
    return generate_password_hash(password, method=current_app.config["PASSWORD_HASH_METHOD"])


@cache
def dummy_hash(method: str) -> str:
    """A hash to check when no account matches, so a wrong email takes as long as a wrong password."""
    return generate_password_hash("not a real password", method=method)


@cache
def common_passwords() -> frozenset[str]:
    lines = COMMON_PASSWORDS_FILE.read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip().lower() for line in lines if line.strip() and not line.startswith("#"))


def is_common(password: str) -> bool:
    """In the list, made of one or two characters repeated, or built on this site's name."""
    folded = password.strip().lower()
    return (
        folded in common_passwords()
        or len(set(folded)) <= 2
        or any(folded.startswith(word) for word in SITE_WORDS)
    )


def check_password(password: str, *, email: str = "", name: str = "") -> None:
    """Raise RuleBroken (for the "password" field) if the password should not be used."""
    if len(password) < limits.PASSWORD_MIN:
        raise RuleBroken(TOO_SHORT, "password")
    if len(password) > limits.PASSWORD_MAX:
        raise RuleBroken(TOO_LONG, "password")
    if is_common(password):
        raise RuleBroken(TOO_COMMON, "password")
    folded = password.strip().lower()
    personal = {email.strip().lower(), email.strip().lower().partition("@")[0], name.strip().lower()}
    if folded in personal - {""}:
        raise RuleBroken(TOO_PERSONAL, "password")
