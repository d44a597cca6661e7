"""Readable URL slugs from drive titles."""

import re
import unicodedata

from ..core.limits import SLUG_MAX


def slugify(title: str) -> str:
    """"7 for Jack" -> "7-for-jack"; accents folded, anything else dropped."""
    ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_title.lower()).strip("-")
    return slug[: SLUG_MAX - 8].strip("-") or "drive"


#: Slugs that would collide with a fixed route such as /drives/new.
RESERVED_SLUGS = frozenset({"new"})


def numbered(slug: str, number: int) -> str:
    return slug if number == 1 else f"{slug}-{number}"
