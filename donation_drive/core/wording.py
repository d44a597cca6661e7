"""English with a number, for what only operators read: the `flask` commands' output.

What people read goes through gettext's ngettext (core/i18n.py), in their language.
"""


def quantity(count: int, one: str, many: str) -> str:
    """The count and the word that agrees with it: quantity(2, "message", "messages") is "2 messages"."""
    return f"{count} {one if count == 1 else many}"
