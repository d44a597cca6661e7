"""axe-core finds no WCAG 2.2 A or AA violations on any page, in light and dark, phone and desktop,
and none on the Arabic (right-to-left) pages in light and dark. On those, people's own words in
Latin letters (names, titles, places) are isolated from the Arabic around them.

axe-core's script comes with the PyPI package axe-playwright-python (in the `test` extra). It is
injected inline, which the app's Content-Security-Policy rightly forbids, so these contexts
bypass the CSP.

The looks of a page differ only in the viewport's size and the colour scheme, both of which a
page takes on without a reload: each page is opened once and checked in every look, one test per
look (the tests of one page run one after another, in one worker; one that runs elsewhere opens
the page itself). Opening a page, not checking it, was most of what these tests cost; each person
goes from page to page in one tab of their own (page_list.Tabs).
"""

from collections.abc import Callable
from importlib.resources import files

import pytest
from playwright.sync_api import Page

from languages import InLanguage
from livesite import DESKTOP, PHONE, ContextFactory, Seeded
from page_list import PAGES, Logins, PageCase, Tabs, visit_case
from translated import say

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
LOOKS = {
    "phone-light": {"viewport": PHONE, "color_scheme": "light"},
    "phone-dark": {"viewport": PHONE, "color_scheme": "dark"},
    "desktop-light": {"viewport": DESKTOP, "color_scheme": "light"},
}
RUN_AXE = """tags => axe.run(document, {runOnly: {type: "tag", values: tags}, resultTypes: ["violations"]})"""
#: What the page itself says of its look: its width, and whether it is drawn dark.
LOOK_SEEN = """() => ({
  width: window.innerWidth,
  height: window.innerHeight,
  dark: matchMedia("(prefers-color-scheme: dark)").matches,
})"""
#: A change of colour scheme starts any CSS transition on a colour; axe must see where it ends.
#: Text in Latin letters only, on a right-to-left page, that shares its line with other text and
#: is not isolated from it (<bdi>, or an element with its own dir): the Unicode bidi algorithm
#: then lets a Latin name pull the digits and punctuation beside it into its own direction, and
#: "Amira · 14/06/2026" is drawn "2026/06/Amira · 14", "إلى 7 for Jack" as "for Jack 7". Left
#: out: what machines write (times, code, addresses) and form fields, which hold their own line.
#: Returns each such text with the line it is on.
UNISOLATED_LATIN = r"""() => {
  const latinOnly = text => /[A-Za-z]/.test(text) && !/[\u0600-\u06FF]/.test(text);
  const flat = text => text.replace(/\s+/g, " ").trim();
  const blockOf = element => {
    while (element.parentElement && getComputedStyle(element).display.startsWith("inline")) {
      element = element.parentElement;
    }
    return element;
  };
  const found = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const text = flat(node.data), element = node.parentElement;
    if (!latinOnly(text) || /^(https?:\/\/|\/)\S*$/.test(text)
        || element.closest("bdi, body [dir], time, code, pre, kbd, samp, textarea, select, script, style, noscript, template")) continue;
    const block = blockOf(element), line = flat(block.innerText);
    if (!element.checkVisibility() || line === "" || line === text) continue;
    found.push(`"${text}" in "${line}"`);
  }
  return found;
}"""
NO_TRANSITION_RUNNING = """() => document.getAnimations()
  .every(animation => !(animation instanceof CSSTransition) || animation.playState === "finished")"""


@pytest.fixture(scope="session")
def axe_source() -> str:
    try:
        return files("axe_playwright_python").joinpath("axe.min.js").read_text(encoding="utf-8")
    except ModuleNotFoundError:
        pytest.fail("axe-core is missing: pip install -e '.[test]' (it comes with axe-playwright-python)")


def pages_with_axe(seeded_site: Seeded, tabs: Tabs, axe_source: str,
                   language: str = "en") -> Callable[[PageCase], Page]:
    """The page of a case, reached in its visitor's tab (read in `language`) and with axe-core
    injected; it stays there for the case's next look."""
    showing: dict[str | None, str] = {}  # the case each person's tab is on

    def page_of(case: PageCase) -> Page:
        page = tabs.of(case.who)
        if showing.get(case.who) != case.name:
            showing.pop(case.who, None)  # a failed visit leaves no case shown
            visit_case(InLanguage(page, lambda text: say(language, text)), seeded_site, case)
            page.add_script_tag(content=axe_source)
            showing[case.who] = case.name
        return page

    return page_of


@pytest.fixture(scope="module")
def page_with_axe(seeded_site: Seeded, module_contexts: ContextFactory, logins: Logins,
                  axe_source: str) -> Callable[[PageCase], Page]:
    return pages_with_axe(seeded_site, Tabs(module_contexts, logins, bypass_csp=True), axe_source)


@pytest.fixture(scope="module")
def arabic_page_with_axe(seeded_site: Seeded, module_contexts: ContextFactory, logins: Logins,
                         axe_source: str) -> Callable[[PageCase], Page]:
    """Pages in Arabic, right to left: the browser asks for Arabic as an Arabic reader's does."""
    tabs = Tabs(module_contexts, logins, bypass_csp=True, locale="ar")
    return pages_with_axe(seeded_site, tabs, axe_source, "ar")


def show_in_look(page: Page, look: str) -> None:
    """Give the page the look's viewport and colour scheme, and check it took both on."""
    viewport, scheme = LOOKS[look]["viewport"], LOOKS[look]["color_scheme"]
    page.set_viewport_size(viewport)
    page.emulate_media(color_scheme=scheme)
    seen = page.evaluate(LOOK_SEEN)
    assert seen == {**viewport, "dark": scheme == "dark"}, f"{look} asked, the page shows {seen}"
    page.wait_for_function(NO_TRANSITION_RUNNING)


def describe(violations: list[dict]) -> str:
    """One line per failing element: rule, impact, what axe says, and where."""
    lines = []
    for violation in violations:
        for node in violation["nodes"]:
            lines.append(
                f"{violation['id']} ({violation['impact']}): {violation['help']} — "
                f"{' '.join(node['target'])}: {node['failureSummary']}"
            )
    return "\n".join(lines)


@pytest.mark.parametrize("look", LOOKS, ids=list(LOOKS))
@pytest.mark.parametrize("case", PAGES, ids=[case.name for case in PAGES])
def test_page_has_no_wcag_violations(page_with_axe: Callable[[PageCase], Page], case: PageCase, look: str):
    page = page_with_axe(case)
    show_in_look(page, look)
    violations = page.evaluate(RUN_AXE, WCAG_TAGS)["violations"]
    assert not violations, f"{case.name} ({look}):\n{describe(violations)}"


@pytest.mark.parametrize("look", ["phone-light", "phone-dark"])
@pytest.mark.parametrize("case", PAGES, ids=[case.name for case in PAGES])
def test_arabic_page_has_no_wcag_violations(arabic_page_with_axe: Callable[[PageCase], Page], case: PageCase,
                                            look: str):
    page = arabic_page_with_axe(case)
    assert page.evaluate("() => [document.documentElement.lang, document.documentElement.dir]") == ["ar", "rtl"]
    show_in_look(page, look)
    violations = page.evaluate(RUN_AXE, WCAG_TAGS)["violations"]
    assert not violations, f"{case.name} in Arabic ({look}):\n{describe(violations)}"


@pytest.mark.parametrize("case", PAGES, ids=[case.name for case in PAGES])
def test_arabic_page_isolates_peoples_words(arabic_page_with_axe: Callable[[PageCase], Page], case: PageCase):
    unisolated = arabic_page_with_axe(case).evaluate(UNISOLATED_LATIN)
    assert not unisolated, f"{case.name} in Arabic: Latin text not isolated from the Arabic beside it:\n" + "\n".join(unisolated)
