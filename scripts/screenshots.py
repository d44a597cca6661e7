"""Photograph every page at phone and desktop widths, with the demo data, into docs/screenshots/.

    python scripts/screenshots.py                      # every page, 390 and 1280 wide
    python scripts/screenshots.py progress-open join   # only these pages
    python scripts/screenshots.py --dark               # the dark colour scheme
    python scripts/screenshots.py --language ar progress-open   # as a reader of Arabic sees it

Each page is photographed on a site of its own, a throwaway SQLite database filled by the demo
command's data (plus a closed and an over-target drive), held still as the screenshot test holds
it (livesite.steady_site: the clock stopped on 14 June 2026, links on drive.test, the same invite
codes and private links), so a rerun makes the same pictures as tests/e2e/test_screenshots.py
compares. It walks the browser tests' page list (tests/e2e/page_list.py), so a page added there
is photographed here too, with the fonts the tests use (tests/e2e/headless.py). Needs Chromium:
Debian's /usr/bin/chromium or CHROMIUM_PATH.
"""

import argparse
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "tests" / "e2e"), str(ROOT / "tests")]  # livesite uses tests/factories.py

from playwright.sync_api import sync_playwright  # noqa: E402

from donation_drive.core.languages import LANGUAGES  # noqa: E402
from headless import launch  # noqa: E402
from livesite import SCREENS, migrate_template, steady_site  # noqa: E402
from page_list import PAGES, photograph  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("pages", nargs="*", help="page names from tests/e2e/page_list.py (default: all)")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    parser.add_argument("--dark", action="store_true", help="use the dark colour scheme")
    parser.add_argument("--language", default="en", choices=list(LANGUAGES),
                        help="the language the browser asks for (default: en)")
    args = parser.parse_args()
    unknown = set(args.pages) - {case.name for case in PAGES}
    if unknown:
        parser.error(f"unknown pages: {', '.join(sorted(unknown))}")
    cases = [case for case in PAGES if not args.pages or case.name in args.pages]
    args.out.mkdir(parents=True, exist_ok=True)

    server_errors: list[str] = []
    with tempfile.TemporaryDirectory() as folder, sync_playwright() as driver:
        template = migrate_template(Path(folder))
        browser = launch(driver, Path(folder) / "chromium")
        for case in cases:
            for screen, options in SCREENS.items():
                with steady_site(template, Path(folder) / f"{case.name}-{screen}") as (server, seeded):
                    shot = photograph(browser, seeded, case, screen, language=args.language,
                                      color_scheme="dark" if args.dark else "light")
                server_errors += server.server_errors
                suffix = ("-dark" if args.dark else "") + ("" if args.language == "en" else f"-{args.language}")
                target = args.out / f"{case.name}-{options['viewport']['width']}{suffix}.png"
                target.write_bytes(shot)
                print(target.relative_to(ROOT) if target.is_relative_to(ROOT) else target)
        browser.close()
    if server_errors:
        print("The server answered with errors:", *server_errors, sep="\n  ", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
