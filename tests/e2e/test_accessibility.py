"""axe-core finds no WCAG 2.2 A or AA violations on any page, in light and dark, phone and desktop.

axe-core's script comes with the PyPI package axe-playwright-python (in the `test` extra). It is
injected inline, which the app's Content-Security-Policy rightly forbids, so these contexts
bypass the CSP.
"""

from importlib.resources import files

import pytest

from livesite import DESKTOP, PHONE, ContextFactory, Seeded
from page_list import PAGES, PageCase, open_case

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
LOOKS = {
    "phone-light": {"viewport": PHONE, "color_scheme": "light"},
    "phone-dark": {"viewport": PHONE, "color_scheme": "dark"},
    "desktop-light": {"viewport": DESKTOP, "color_scheme": "light"},
}
RUN_AXE = """tags => axe.run(document, {runOnly: {type: "tag", values: tags}, resultTypes: ["violations"]})"""


@pytest.fixture(scope="session")
def axe_source() -> str:
    try:
        return files("axe_playwright_python").joinpath("axe.min.js").read_text(encoding="utf-8")
    except ModuleNotFoundError:
        pytest.fail("axe-core is missing: pip install -e '.[test]' (it comes with axe-playwright-python)")


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
def test_page_has_no_wcag_violations(seeded_site: Seeded, new_context: ContextFactory,
                                     axe_source: str, case: PageCase, look: str):
    page = new_context(bypass_csp=True, **LOOKS[look]).new_page()
    open_case(page, seeded_site, case)
    page.add_script_tag(content=axe_source)
    violations = page.evaluate(RUN_AXE, WCAG_TAGS)["violations"]
    assert not violations, f"{case.name} ({look}):\n{describe(violations)}"
