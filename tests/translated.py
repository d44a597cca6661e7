"""What the app says in a language, read from its own catalogs as Flask-Babel reads them, so
that tests in every language find text the way a reader of that language would."""

from functools import cache
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.frontend import CommandLineInterface
from babel.messages.pofile import read_po
from babel.support import Translations

from donation_drive.core.languages import format_locale

TRANSLATIONS = Path(__file__).resolve().parents[1] / "donation_drive" / "translations"


@cache
def catalog(language: str) -> Translations:
    return Translations.load(str(TRANSLATIONS), [format_locale(language)])


def say(language: str, message: str, **values: object) -> str:
    """`message` as the app writes it in `language` (English is the message itself)."""
    text = catalog(language).gettext(message)
    return text % values if values else text


def say_count(language: str, one: str, many: str, count: int, **values: object) -> str:
    """A message with a number, in the plural form `language` uses for `count`."""
    return catalog(language).ngettext(one, many, count) % {"num": count, **values}


ROOT = TRANSLATIONS.parents[1]
#: pybabel's options besides its defaults, as the README's extract command gives them: our lazy
#: keywords, and folders starting with "_" read too (templates/_macros, _email), which pybabel skips.
OPTIONS = ["-k", "_l", "-k", "lazy_gettext", "-k", "lazy_ngettext:1,2", "--ignore-dirs", ".* __pycache__"]


def extract_messages(into: Path) -> Catalog:
    """Every message the code and templates mark today, extracted as the README says."""
    pot = into / "messages.pot"
    CommandLineInterface().run(["pybabel", "-q", "extract", "-F", str(ROOT / "babel.cfg"), *OPTIONS,
                                "-o", str(pot), str(ROOT / "donation_drive"), str(ROOT / "templates")])
    with pot.open("rb") as file:
        return read_po(file)
