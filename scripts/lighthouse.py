"""Lighthouse 12 on the progress page and the sign-up page, with the demo data; prints the scores.

    npm ci && python scripts/lighthouse.py            # reports go to lighthouse-reports/
    python scripts/lighthouse.py --preset desktop     # desktop instead of the default phone

Serves the app like the browser tests do (tests/e2e/livesite.py): a throwaway SQLite database
holding the demo drive. Chrome is Debian's chromium unless CHROME_PATH says otherwise.
Targets: accessibility, best practices and SEO 100; performance 95 or more. Exits 1 if missed.
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "tests" / "e2e"), str(ROOT / "tests")]  # livesite uses tests/factories.py

from livesite import migrate_template, seed, serve  # noqa: E402

LIGHTHOUSE = ROOT / "node_modules" / ".bin" / "lighthouse"
CATEGORIES = ["performance", "accessibility", "best-practices", "seo"]
TARGETS = {"performance": 95, "accessibility": 100, "best-practices": 100, "seo": 100}
CHROME_FLAGS = "--headless=new --no-sandbox --disable-gpu --disable-dev-shm-usage"


def run_lighthouse(url: str, report: Path, preset: str) -> dict[str, int]:
    command = [
        str(LIGHTHOUSE), url, "--quiet", "--output=json", "--output=html",
        f"--output-path={report}", f"--only-categories={','.join(CATEGORIES)}",
        f"--chrome-flags={CHROME_FLAGS}",
    ]
    if preset == "desktop":
        command.append("--preset=desktop")
    env = {**os.environ, "CHROME_PATH": os.environ.get("CHROME_PATH", "/usr/bin/chromium")}
    subprocess.run(command, check=True, env=env, timeout=300)
    result = json.loads(report.with_suffix(".report.json").read_text(encoding="utf-8"))
    failed = [
        f"    {audit['id']}: {audit['title']}"
        for audit in result["audits"].values()
        if audit.get("score") is not None and audit["score"] < 1 and audit.get("scoreDisplayMode") == "binary"
    ]
    if failed:
        print("  audits not passed:", *failed, sep="\n")
    return {name: round(result["categories"][name]["score"] * 100) for name in CATEGORIES}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--preset", choices=["mobile", "desktop"], default="mobile")
    parser.add_argument("--out", type=Path, default=ROOT / "lighthouse-reports")
    args = parser.parse_args()
    if not LIGHTHOUSE.exists():
        parser.error("Lighthouse is not installed: run `npm ci` in the repository root.")
    args.out.mkdir(parents=True, exist_ok=True)

    missed = False
    with tempfile.TemporaryDirectory() as folder:
        server = serve(migrate_template(Path(folder)), Path(folder) / "site")
        try:
            seeded = seed(server.app, server.url)
            pages = {
                "progress page": f"{seeded.url}/d/{seeded.open_slug}",
                "sign-up page": f"{seeded.url}/join/{seeded.invite_code}",
            }
            for name, url in pages.items():
                report = args.out / f"{name.replace(' ', '-')}-{args.preset}"
                print(f"{name} ({args.preset}): {url}")
                scores = run_lighthouse(url, report, args.preset)
                print("  " + "  ".join(f"{category} {score}" for category, score in scores.items()))
                missed |= any(scores[category] < target for category, target in TARGETS.items())
        finally:
            server.stop()
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
