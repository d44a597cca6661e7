"""The drive the logged-in organiser may manage: the one lookup every organiser page uses.

Web layer only (it reads the logged-in user); the API looks drives up for a token's owner with
the same operation, drives.operations.drive_for_organiser, and answers in JSON.
"""

from flask_login import current_user

from ..core.i18n import lazy_gettext as _l
from ..core.web import or_404, refuse
from . import coorganisers, operations as drives
from .models import Drive

OWNER_ONLY = _l("Only the drive's owner can do that. Ask them if it needs doing.")


def organised_drive(slug: str) -> Drive:
    """The drive if the logged-in user organises it; 404 for everyone else."""
    return or_404(drives.drive_for_organiser(slug, current_user))


def owned_drive(slug: str) -> Drive:
    """The drive if the logged-in user owns it; co-organisers are told why not (403)."""
    drive = organised_drive(slug)
    if not coorganisers.is_owner(drive, current_user):
        refuse(403, OWNER_ONLY)
    return drive

