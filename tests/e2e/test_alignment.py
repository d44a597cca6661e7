"""On a desktop screen the site's name, the page's heading and its content start at one left
edge: the header, the main column and the footer share one box (static/css/main.css, --page),
and no column inside it is centred on its own."""

import pytest

from livesite import ContextFactory, Seeded
from page_list import PAGES, Logins, PageCase, Tabs, visit_case

DESKTOP = {"width": 1280, "height": 800}
TOLERANCE_PX = 1

#: A friend's pages, the drive's public pages and an organiser's, and an error.
ALIGNED = ["home", "join", "private", "private-before-donating", "progress-open", "progress-closed",
           "memorial", "organiser-page", "new-drive", "error-404"]

#: Where each part starts, in CSS pixels from the left of the window: the header's inner box and
#: the main column at their content edge (inside their padding), the rest at their border edge.
LEFT_EDGES = """() => {
  const start = el => el.getBoundingClientRect().left;
  const contentStart = el => start(el) + parseFloat(getComputedStyle(el).paddingLeft);
  const main = document.querySelector("main");
  const firstBlock = [...main.children].find(el => !el.matches(".flashes") && el.getBoundingClientRect().width > 0);
  return {
    "header's inner box": contentStart(document.querySelector(".site-header__inner")),
    "site name": start(document.querySelector(".site-header .brand")),
    "main column": contentStart(main),
    "first block of the page": start(firstBlock),
    "page heading": start(main.querySelector("h1")),
    "footer": contentStart(document.querySelector(".site-footer .wrap")),
  };
}"""


@pytest.fixture(scope="module")
def desktop_tabs(module_contexts: ContextFactory, logins: Logins) -> Tabs:
    return Tabs(module_contexts, logins, viewport=DESKTOP)


@pytest.mark.parametrize("case", [case for case in PAGES if case.name in ALIGNED], ids=lambda case: case.name)
def test_header_and_content_start_at_one_left_edge_at_1280_px(seeded_site: Seeded, desktop_tabs: Tabs,
                                                               case: PageCase):
    page = desktop_tabs.of(case.who)
    visit_case(page, seeded_site, case)
    edges = page.evaluate(LEFT_EDGES)
    header = edges["header's inner box"]
    # The box is narrower than the screen, so a shared edge is one it centres, not the window's.
    assert header > 100, f"{case.name}: the header's box starts at {header}px"
    off = {part: round(x - header, 1) for part, x in edges.items() if abs(x - header) > TOLERANCE_PX}
    assert not off, f"{case.name}: not on the header's left edge ({header}px): {off}"
