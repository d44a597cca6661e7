"""Plain text people write for others to read (a closing message, words of support): kept as
typed, shown escaped with its line breaks, never as markup."""

import re
import unicodedata

from .i18n import lazy_gettext as _l
from .rules import RuleBroken

CONTROL_CHARACTERS = _l("Please remove the invisible control characters from this text; they can't be shown.")

#: Line breaks as typed on any system, and Unicode's own separators, become one "\n".
_LINE_BREAKS = re.compile(r"\r\n?|[\u2028\u2029]")
#: More than one blank line in a row says nothing more than one.
_BLANK_LINES = re.compile(r"\n{3,}")


def has_control_characters(text: str) -> bool:
    # Tabs and line breaks are typed; every other control character (NUL, escape, bell…) is not,
    # and PostgreSQL can't store NUL at all.
    return any(unicodedata.category(char) == "Cc" and char not in "\t\n" for char in text)


def plain_text(text: str | None, field: str, longest: int, too_long: str) -> str:
    """`text` as it is kept: line breaks kept, spaces at line ends and extra blank lines dropped;
    "" for none. Raises RuleBroken on `field` for control characters, or past `longest` characters."""
    kept = _LINE_BREAKS.sub("\n", text or "")
    if has_control_characters(kept):
        # Said now, as plain text: a lazy message would reach the page as trusted markup.
        raise RuleBroken(str(CONTROL_CHARACTERS), field)
    kept = _BLANK_LINES.sub("\n\n", "\n".join(line.rstrip() for line in kept.split("\n"))).strip()
    if len(kept) > longest:
        raise RuleBroken(too_long, field)
    return kept
