"""A per-installation secret key, generated on first start instead of shipped."""

import os
import secrets
from pathlib import Path

from flask import current_app

FILENAME = "secret_key"


def load_or_create_secret_key(instance_path: Path) -> str:
    """Read instance/secret_key, creating it atomically (0600) if absent.

    O_EXCL makes the first of several starting workers win; the others read its key.
    """
    path = instance_path / FILENAME
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text().strip()
    with os.fdopen(fd, "w") as handle:
        handle.write(secrets.token_hex(32))
    return path.read_text().strip()


def current_secret_key() -> str:
    """The running app's SECRET_KEY, which signs links and derives private-link tokens.

    create_app always sets one (from the environment, the test config or instance/secret_key),
    and always as text.
    """
    key = current_app.secret_key
    if not isinstance(key, str) or not key:
        raise RuntimeError("SECRET_KEY must be a non-empty string; create_app sets one when it is missing")
    return key
