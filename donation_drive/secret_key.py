"""A per-installation secret key, generated on first start instead of shipped."""

import os
import secrets
from pathlib import Path

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
