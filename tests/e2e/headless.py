"""Headless Chromium as the browser tests and scripts/screenshots.py start it.

It sees only the fonts this repository carries (the DejaVu Sans of the share image, which has
Latin and Arabic), not the machine's: `system-ui` is whatever font a machine happens to have,
and a wider one moves every line of every page, so the reference screenshots and the 360 px
layout checks would pass or fail by machine instead of by change.
"""

import os
import shutil
from pathlib import Path
from xml.sax.saxutils import escape

from playwright.sync_api import Browser, Playwright

ARGS = [
    "--no-sandbox",
    "--headless",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
FONTS = Path(__file__).resolve().parents[2] / "donation_drive" / "outreach" / "fonts"


def chromium_path() -> str | None:
    """Debian's /usr/bin/chromium, or the binary CHROMIUM_PATH names; None without one."""
    path = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
    return path if os.path.isfile(path) and os.access(path, os.X_OK) else shutil.which(path)


def launch(playwright: Playwright, folder: Path, *args: str) -> Browser:
    """Chromium with ARGS and `args`; `folder` keeps its font configuration and cache."""
    path = chromium_path()
    if path is None:
        raise FileNotFoundError("no Chromium: apt-get install chromium, or set CHROMIUM_PATH")
    return playwright.chromium.launch(executable_path=path, args=[*ARGS, *args], env=_only_our_fonts(folder))


def _only_our_fonts(folder: Path) -> dict[str, str]:
    folder.mkdir(parents=True, exist_ok=True)
    config = folder / "fonts.conf"
    config.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">\n'
        f"<fontconfig><dir>{escape(str(FONTS))}</dir><cachedir>{escape(str(folder / 'cache'))}</cachedir></fontconfig>\n"
    )
    return {**os.environ, "FONTCONFIG_FILE": str(config)}
