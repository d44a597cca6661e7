"""Mobile first: at 360 px wide no page scrolls sideways, and every control is a 44 px tap target."""

import pytest

from livesite import ContextFactory, Seeded
from page_list import PAGES, Logins, PageCase, Tabs, visit_case

NARROW = {"width": 360, "height": 740}
TAP_TARGET_PX = 44

#: Controls that are not a run of text: WCAG 2.5.8 exempts links inside sentences, nothing else.
#: A checkbox or radio counts by its row, since its label is part of the target.
SMALL_TARGETS = """minimum => {
  const controls = document.querySelectorAll(
    "button, select, textarea, summary, input:not([type=hidden]):not([type=checkbox]):not([type=radio]),"
    + " .button, nav a, .radio, .field--check"
  );
  const small = [];
  for (const el of controls) {
    const box = el.getBoundingClientRect();
    if (box.width === 0 && box.height === 0) continue;  // not shown
    if (el.closest("[aria-hidden=true], .visually-hidden")) continue;  // a honeypot, not for people
    if (box.height < minimum || box.width < minimum) {
      small.push(`${el.outerHTML.slice(0, 120)} is ${Math.round(box.width)}×${Math.round(box.height)}`);
    }
  }
  return small;
}"""


@pytest.fixture(scope="module")
def phone_tabs(module_contexts: ContextFactory, logins: Logins) -> Tabs:
    """Each person's tab on a narrow touch phone."""
    return Tabs(module_contexts, logins, viewport=NARROW, is_mobile=True, has_touch=True)


@pytest.mark.parametrize("case", PAGES, ids=[case.name for case in PAGES])
def test_page_fits_360_px_with_44_px_tap_targets(seeded_site: Seeded, phone_tabs: Tabs, case: PageCase):
    page = phone_tabs.of(case.who)
    visit_case(page, seeded_site, case)
    scroll_width = page.evaluate("document.scrollingElement.scrollWidth")
    assert scroll_width <= NARROW["width"], f"{case.name} is {scroll_width}px wide at 360px"
    small = page.evaluate(SMALL_TARGETS, TAP_TARGET_PX)
    assert not small, f"{case.name}: tap targets under {TAP_TARGET_PX}px:\n" + "\n".join(small)
