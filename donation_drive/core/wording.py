"""Wording with a number: the one plural helper, for Python and (as filters) for templates.

Every call names both forms, as gettext's ngettext does, so that translating the app can take
them over as they are: `quantity(3, "unit", "units")` is "3 units".
"""


def plural(count: int, one: str, many: str) -> str:
    """The form of a word that agrees with `count`: plural(1, "unit", "units") is "unit"."""
    return one if count == 1 else many


def quantity(count: int, one: str, many: str) -> str:
    """The count and the word that agrees with it: quantity(2, "person", "people") is "2 people"."""
    return f"{count} {plural(count, one, many)}"
