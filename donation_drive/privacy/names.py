"""What public pages, the JSON API and badges may show of a participant's name."""

from ..participation.models import NameShownAs


def first_name(name: str) -> str:
    words = name.split()
    return words[0] if words else name


def initials(name: str) -> str:
    """ "Amira Haddad" -> "A. H." """
    return " ".join(f"{word[0].upper()}." for word in name.split() if word[:1].isalnum()) or "?"


def public_name(name: str, show_name: bool, shown_as: NameShownAs | None) -> str | None:
    """The name as its owner chose to show it, or None: they are anonymous."""
    return shown_name(name, shown_as) if show_name else None


def shown_name(name: str, shown_as: NameShownAs | None) -> str:
    """The name of someone who agreed to be shown, as they chose to show it."""
    if shown_as is NameShownAs.FULL_NAME:
        return " ".join(name.split())
    if shown_as is NameShownAs.INITIALS:
        return initials(name)
    return first_name(name)
