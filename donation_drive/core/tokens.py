"""Secrets in links: long, random, and for private links stored only as a hash."""

import hashlib
import secrets

#: 32 bytes = 256 bits for a private link, the participant's only credential.
PRIVATE_LINK_BYTES = 32
#: 16 bytes = 128 bits for the shareable invite code.
INVITE_CODE_BYTES = 16


def new_private_link_token() -> str:
    return secrets.token_urlsafe(PRIVATE_LINK_BYTES)


def new_invite_code() -> str:
    return secrets.token_urlsafe(INVITE_CODE_BYTES)


def token_hash(token: str) -> str:
    """SHA-256 hex of a token: a leaked database hands out no working links.

    Look-ups compare this digest in the database, so the raw secret is never compared.
    """
    return hashlib.sha256(token.encode()).hexdigest()

