"""No text people read is left out of translation.

Every page of page_list.py is read in a pseudo-language: a catalog made from the messages the app
marks today, each written as ⟦the English⟧. Whatever a page shows outside those marks (text,
alt text, labels for assistive technology, the title) must be data people gave — names, titles,
stories, read from the database — or what Babel writes itself (month and day names). A word
found anywhere else was never marked for translation.
"""

import re
from collections.abc import Iterator
from pathlib import Path
from zoneinfo import available_timezones

import pytest
from babel import Locale
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from playwright.sync_api import Page
from sqlalchemy import String, Text

from donation_drive.core import i18n
from donation_drive.core.extensions import db
from donation_drive.core.languages import LANGUAGES
from languages import InLanguage
from livesite import ContextFactory, Seeded, seed, serve
from page_list import PAGES, Logins, PageCase, Tabs, visit_case
from translated import extract_messages

OPEN, CLOSE = "⟦", "⟧"
MARKED = re.compile(f"{OPEN}[^{OPEN}{CLOSE}]*{CLOSE}")
WORD = re.compile(r"[A-Za-z][A-Za-z'’]+")
#: Not words: addresses, e-mail addresses, hosts, file names, secrets in links.
NOT_WORDS = re.compile(r"[^\s⟦⟧]+://[^\s⟦⟧]+|[\w.+-]+@[\w-]+(?:\.[\w-]+)+|\b[\w-]+\.(?:org|com|example|svg|png|ics|csv|json|jpg)\b|\b\w{20,}\b")
#: Names that are the same in every language.
BRANDS = {"Facebook", "WhatsApp", "PNG", "SVG", "JSON", "OpenAPI", "API", "HTML", "CSV"}
#: A name in code, such as a schema's ("DriveProgress"): a capital after the first letter.
IDENTIFIER = re.compile(r"^[A-Za-z][a-z]+[A-Z]\w*$")
#: Read aloud or shown: the text of the page and these attributes. Code, and what a page marks as
#: not for translation (translate="no": the API reference, written in English), are not words.
NOT_TEXT = "script, style, template, code, pre, kbd, samp, [translate=no]"
VISIBLE_TEXT = f"""() => {{
  const parts = [document.title];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT, {{
    acceptNode: node => node.parentElement.closest("{NOT_TEXT}") ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT,
  }});
  const text = [];
  while (walker.nextNode()) text.push(walker.currentNode.textContent);
  parts.push(text.join(" "));
  for (const element of [...document.querySelectorAll(
      "[alt], [title], [placeholder], [aria-label], [aria-description], [data-copied], [data-copy-done], "
      + "[data-copy-failed], [data-live-announce], [data-confirm], meta[name=description], input[type=submit]")]
      .filter(element => !element.closest("[translate=no]"))) {{
    for (const name of ["alt", "title", "placeholder", "aria-label", "aria-description", "data-copied",
                        "data-copy-done", "data-copy-failed", "data-live-announce", "data-confirm", "content"]) {{
      if (element.hasAttribute(name)) parts.push(element.getAttribute(name));
    }}
    if (element.matches("input[type=submit]")) parts.push(element.value);
  }}
  return parts;
}}"""
#: What the person filled in on the page (a preview shows it back): data, like the database's.
TYPED = """() => [...document.querySelectorAll("input:not([type=hidden]), textarea")].map(field => field.value)"""


def pseudo(text: str) -> str:
    return f"{OPEN}{text}{CLOSE}"


def write_pseudo_catalog(folder: Path, marked: Catalog) -> Path:
    """The pseudo-language, as the catalog of the locale English pages are written in."""
    locale = "en_GB"
    catalog = Catalog(locale=locale)
    for message in marked:
        if message.id:
            string = tuple(pseudo(form) for form in message.id) if message.pluralizable else pseudo(message.id)
            catalog.add(message.id, string)
    target = folder / locale / "LC_MESSAGES"
    target.mkdir(parents=True)
    with (target / "messages.mo").open("wb") as file:
        write_mo(file, catalog)
    return folder


def forget_loaded_translations() -> None:
    """Flask-Babel keeps loaded catalogs per process, by locale: the pseudo one must not outlive this module."""
    domain = vars(i18n.babel).get("domain_instance")  # made on first use, in some app's context
    if domain is not None:
        domain.cache.clear()


def data_words(app) -> set[str]:
    """Every word of every text the database holds: what people typed, and what seeding gave."""
    found: set[str] = set()
    with app.app_context():
        for table in db.metadata.sorted_tables:
            columns = [column for column in table.columns if isinstance(column.type, String | Text)]
            if columns:
                for row in db.session.execute(db.select(*columns)):
                    for value in row:
                        found.update(WORD.findall(NOT_WORDS.sub(" ", str(value or ""))))
    return found


def words_babel_writes() -> set[str]:
    english = Locale.parse("en_GB")
    names = [*english.months["format"]["wide"].values(), *english.months["format"]["abbreviated"].values(),
             *english.days["format"]["wide"].values(), *english.days["format"]["abbreviated"].values()]
    zones = {part for zone in available_timezones() for part in re.split(r"[/_-]", zone)}
    languages = {word for name in LANGUAGES.values() for word in WORD.findall(name)}
    return {*names, *zones, *languages, "GMT", "BST", "UTC", "Donation", "Drive"}


@pytest.fixture(scope="module")
def pseudo_site(database_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Seeded, set]]:
    folder = tmp_path_factory.mktemp("pseudo-site")
    translations = write_pseudo_catalog(folder / "translations", extract_messages(folder))
    forget_loaded_translations()
    server = serve(database_template, folder, BABEL_TRANSLATION_DIRECTORIES=str(translations))
    try:
        seeded = seed(server.app, server.url)
        yield seeded, data_words(server.app) | words_babel_writes()
    finally:
        server.stop()
        forget_loaded_translations()


@pytest.fixture(scope="module")
def pseudo_logins(module_contexts: ContextFactory, pseudo_site: tuple[Seeded, set]) -> Logins:
    return Logins(lambda **options: InLanguageContext(module_contexts(**options)), pseudo_site[0])


class InLanguageContext:
    """A browser context whose pages are read in the pseudo-language (for Logins' login form)."""

    def __init__(self, context) -> None:
        self._context = context

    def new_page(self) -> InLanguage:
        return InLanguage(self._context.new_page(), pseudo)

    def __getattr__(self, name: str):
        return getattr(self._context, name)


def unmarked_words(page: Page, allowed: set[str]) -> list[str]:
    typed = {word for value in page.evaluate(TYPED) for word in WORD.findall(value)}
    allowed = allowed | typed | BRANDS
    found = []
    for text in page.evaluate(VISIBLE_TEXT):
        left = NOT_WORDS.sub(" ", text or "")
        while MARKED.search(left):
            left = MARKED.sub(" ", left)
        found += [word for word in WORD.findall(left)
                  if word not in allowed and word.strip("'’") not in allowed and not IDENTIFIER.match(word)]
    return sorted(set(found))


@pytest.fixture(scope="module")
def pseudo_tabs(module_contexts: ContextFactory, pseudo_logins: Logins) -> Tabs:
    return Tabs(module_contexts, pseudo_logins)


@pytest.mark.parametrize("case", PAGES, ids=[case.name for case in PAGES])
def test_every_word_on_the_page_was_marked_for_translation(pseudo_site, pseudo_tabs: Tabs, case: PageCase):
    seeded, allowed = pseudo_site
    tab = InLanguage(pseudo_tabs.of(case.who), pseudo)
    visit_case(tab, seeded, case)
    words = unmarked_words(tab, allowed)
    assert not words, f"{case.name} shows words never marked for translation: {' '.join(words)}"


def test_the_check_finds_a_word_nobody_marked(pseudo_site, module_contexts):
    """Guards the test above: text outside the marks is reported, data and marked text are not."""
    page = module_contexts().new_page()
    page.set_content(f"<title>{pseudo('Home')}</title><p>{pseudo('Hello, Jack')} Forgotten words</p>"
                     f'<img alt="Unmarked picture" src="x.png">')
    assert unmarked_words(page, {"Jack"}) == ["Forgotten", "Unmarked", "picture", "words"]
