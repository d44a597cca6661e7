"""A drive's address, the slug in /d/<slug>: made from its title, or chosen by its organiser."""

import re
import unicodedata

from flask_babel import gettext as _

from ..core.i18n import ngettext
from ..core.limits import SLUG_MAX

#: Room kept under SLUG_MAX for the "-2", "-3"… that tells apart drives wanting one address.
NUMBER_ROOM = 8
#: The longest address a title gives or an organiser may choose.
ADDRESS_MAX = SLUG_MAX - NUMBER_ROOM

#: Lower-case letters and digits, in words joined by single hyphens: "7-for-jack". Every such
#: address is one the public pages look up (public/caching.py plausible_slug).
ADDRESS_PATTERN = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")

#: Slugs that would collide with a fixed route: /drives/new, /drives/co-organise/<token>.
RESERVED_SLUGS = frozenset({"new", "co-organise"})


def slugify(title: str) -> str:
    """"7 for Jack" -> "7-for-jack"; accents folded, anything else dropped."""
    ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_title.lower()).strip("-")
    return slug[:ADDRESS_MAX].strip("-") or "drive"


def numbered(slug: str, number: int) -> str:
    return slug if number == 1 else f"{slug}-{number}"


def address_problem(address: str) -> str | None:
    """Why an organiser can't choose `address`, in words for them; None when they can (if it is free)."""
    if len(address) > ADDRESS_MAX:
        return ngettext("Please keep the address to %(num)s character or fewer.",
                        "Please keep the address to %(num)s characters or fewer.", ADDRESS_MAX)
    if not ADDRESS_PATTERN.fullmatch(address):
        return _("Please use only lower-case letters, numbers and single hyphens between words, like %(example)s.",
                 example=slugify(address))
    if address in RESERVED_SLUGS:
        return _("The address %(address)s belongs to one of this site's own pages. Please choose another.",
                 address=address)
    return None
