"""What makes a password acceptable: long enough, not too long, and not one everyone guesses.

No composition rules (ASVS 2.1.9): length and a list of common passwords do more good.
"""

from functools import cache
from pathlib import Path

from flask import current_app
from werkzeug.security import generate_password_hash

from ..core import limits
from ..core.i18n import lazy_gettext as _l, lazy_ngettext
from ..core.rules import RuleBroken

COMMON_PASSWORDS_FILE = Path(__file__).resolve().parent / "data" / "common-passwords.txt"
#: Words of this app that a guesser would try first.
SITE_WORDS = ("donationdrive", "donation drive")

# Lazy, so each is said in the reader's language; made a str (which pages escape) where it is used.
TOO_SHORT = lazy_ngettext("Please use at least %(num)s character.", "Please use at least %(num)s characters.",
                          limits.PASSWORD_MIN)
TOO_LONG = lazy_ngettext("Please use at most %(num)s character.", "Please use at most %(num)s characters.",
                         limits.PASSWORD_MAX)
TOO_COMMON = _l(
    "That password is one of the most common and easy to guess. "
    "A short sentence you'll remember works well."
)
TOO_PERSONAL = _l("Please don't use your name or email address as your password.")


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
        raise RuleBroken(str(TOO_SHORT), "password")
    if len(password) > limits.PASSWORD_MAX:
        raise RuleBroken(str(TOO_LONG), "password")
    if is_common(password):
        raise RuleBroken(str(TOO_COMMON), "password")
    folded = password.strip().lower()
    personal = {email.strip().lower(), email.strip().lower().partition("@")[0], name.strip().lower()}
    if folded in personal - {""}:
        raise RuleBroken(str(TOO_PERSONAL), "password")
