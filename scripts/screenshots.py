"""Photograph every page at phone and desktop widths, with the demo data, into docs/screenshots/.

    python scripts/screenshots.py                      # every page, 390 and 1280 wide
    python scripts/screenshots.py progress-open join   # only these pages
    python scripts/screenshots.py --dark               # the dark colour scheme

It serves the app on a throwaway SQLite database filled by the demo command's data (plus a
closed and an over-target drive), and walks the same page list as the browser tests
(tests/e2e/page_list.py), so a page added there is photographed here too. Needs Chromium:
Debian's /usr/bin/chromium or CHROMIUM_PATH.
"""

import argparse
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "tests" / "e2e"), str(ROOT / "tests")]  # livesite uses tests/factories.py

from playwright.sync_api import sync_playwright  # noqa: E402

from livesite import migrate_template, seed, serve  # noqa: E402
from page_list import PAGES, open_case  # noqa: E402

WIDTHS = {390: 844, 1280: 800}
CHROMIUM_ARGS = ["--no-sandbox", "--headless", "--disable-gpu", "--no-first-run"]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("pages", nargs="*", help="page names from tests/e2e/page_list.py (default: all)")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    parser.add_argument("--dark", action="store_true", help="use the dark colour scheme")
    args = parser.parse_args()
    unknown = set(args.pages) - {case.name for case in PAGES}
    if unknown:
        parser.error(f"unknown pages: {', '.join(sorted(unknown))}")
    cases = [case for case in PAGES if not args.pages or case.name in args.pages]
    args.out.mkdir(parents=True, exist_ok=True)

    with tempfile.TemporaryDirectory() as folder:
        server = serve(migrate_template(Path(folder)), Path(folder) / "site")
        try:
            seeded = seed(server.app, server.url)
            with sync_playwright() as driver:
                browser = driver.chromium.launch(
                    executable_path=os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"),
                    args=CHROMIUM_ARGS,
                )
                for case in cases:
                    for width, height in WIDTHS.items():
                        context = browser.new_context(
                            viewport={"width": width, "height": height},
                            color_scheme="dark" if args.dark else "light",
                        )
                        page = context.new_page()
                        open_case(page, seeded, case)
                        suffix = "-dark" if args.dark else ""
                        target = args.out / f"{case.name}-{width}{suffix}.png"
                        page.screenshot(path=str(target), full_page=True)
                        print(target.relative_to(ROOT) if target.is_relative_to(ROOT) else target)
                        context.close()
                browser.close()
        finally:
            server.stop()
    if server.server_errors:
        print("The server answered with errors:", *server.server_errors, sep="\n  ", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
