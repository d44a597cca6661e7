"""The emailed sign-in link a friend asks for when they have lost their private link.

Anyone who knows a friend's address can ask, so asking changes nothing: the link is signed
and timed rather than stored, and it names the participant and a fingerprint of their private
links. Opening the private page through it adds a link (or replaces them, if the friend
chooses), which changes the fingerprint: each emailed link works once, and replacing the
private links or deleting the details voids every sign-in link sent before.
"""

import hashlib
import hmac

from itsdangerous import BadSignature, URLSafeTimedSerializer

from ..core.extensions import db
from ..core.secret_key import current_secret_key
from ..participation.models import Participant, PrivateLink

#: Long enough to find the message today, short enough that an old message is harmless.
LIFETIME_SECONDS = 24 * 60 * 60
_SALT = "donation-drive participant sign-in"


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_secret_key(), salt=_SALT)


def _fingerprint(participant: Participant) -> str:
    newest_link = db.session.scalar(
        db.select(db.func.max(PrivateLink.id)).where(PrivateLink.participant_id == participant.id)
    )
    state = f"{participant.private_link_hash}:{newest_link or 0}"
    return hashlib.sha256(state.encode()).hexdigest()[:32]


def sign_in_token(participant: Participant) -> str:
    """The secret part of the emailed link that opens `participant`'s private page once."""
    return _serializer().dumps({"participant": participant.id, "links": _fingerprint(participant)})


def pending_sign_in(token: str) -> Participant | None:
    """The participant a sign-in link belongs to; None if forged, expired or used."""
    try:
        claims = _serializer().loads(token, max_age=LIFETIME_SECONDS)
    except BadSignature:  # also raised, as its subclass, when the link has expired
        return None
    if not isinstance(claims, dict) or not isinstance(claims.get("participant"), int):
        return None
    participant = db.session.get(Participant, claims["participant"])
    if participant is None or participant.email is None:
        return None
    if not hmac.compare_digest(_fingerprint(participant), str(claims.get("links"))):
        return None
    return participant
