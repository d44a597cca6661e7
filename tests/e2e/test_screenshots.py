"""Each photographed page still looks as its reference image, so a layout regression fails too.

Every page of page_list.PHOTOGRAPHED is photographed whole on a touch phone 390 px wide and on a
1280 px screen, on the steady site (livesite.steady_site: the clock stopped, the same links and
secrets on every run, a fresh site for each picture), and compared with its reference image,
tests/e2e/screenshots/<page>-<width>.png. Anti-aliasing and font hinting differ a little from one
machine to another, so small differences pass; a moved block, a new line or a changed colour
does not. A page changed on purpose gets new references with

    pytest tests/e2e/test_screenshots.py --update-screenshots

whose images are looked at (git diff shows them) before they are committed.
"""

import io
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from PIL import Image, ImageChops
from playwright.sync_api import Browser

from livesite import SCREENS, Seeded, steady_site
from page_list import PAGES, PHOTOGRAPHED, PageCase, photograph

REFERENCES = Path(__file__).parent / "screenshots"
UPDATE_COMMAND = "pytest tests/e2e/test_screenshots.py --update-screenshots"
#: A pixel differs when one of its colour channels moved by more than this (of 255): anti-aliased
#: text edges move by less from one machine's fonts to another's, a changed colour by more.
CHANNEL_THRESHOLD = 48
#: The share of a page's pixels that may differ: 0.1%, about 800 pixels of a phone-sized page
#: 2,000 px tall — a few glyphs drawn differently, not a block moved, a line added or the links
#: recoloured. (On one machine a page comes out the same to the pixel; this is for another's.)
MAX_DIFFERING_SHARE = 0.001
#: How far the page's whole height may move: less than any line of text, whose loss or gain is
#: a change of layout even where the pixels above it all match.
MAX_HEIGHT_CHANGE_PX = 4

CASES = [case for case in PAGES if case.name in PHOTOGRAPHED]


@dataclass(frozen=True)
class Difference:
    """How an image differs from its reference, and a picture of where."""

    differing: int
    total: int
    width_change: int
    height_change: int
    #: The reference faded to grey, with the pixels that differ in red.
    picture: Image.Image

    @property
    def share(self) -> float:
        return self.differing / self.total

    @property
    def acceptable(self) -> bool:
        return (self.width_change == 0 and abs(self.height_change) <= MAX_HEIGHT_CHANGE_PX
                and self.share <= MAX_DIFFERING_SHARE)

    def __str__(self) -> str:
        return (f"{self.differing:,} of {self.total:,} pixels differ ({self.share:.2%}, at most "
                f"{MAX_DIFFERING_SHARE:.1%} may); width {self.width_change:+d} px, height "
                f"{self.height_change:+d} px (at most ±{MAX_HEIGHT_CHANGE_PX} px)")


def compare(reference: Image.Image, actual: Image.Image) -> Difference:
    """Pixels of the area both images cover that differ by more than CHANNEL_THRESHOLD, plus every
    pixel only one of them has."""
    width, height = min(reference.width, actual.width), min(reference.height, actual.height)
    before = reference.convert("RGB").crop((0, 0, width, height))
    after = actual.convert("RGB").crop((0, 0, width, height))
    channels = ImageChops.difference(before, after).split()
    moved = [channel.point(lambda value: 255 if value > CHANNEL_THRESHOLD else 0) for channel in channels]
    mask = ImageChops.lighter(ImageChops.lighter(moved[0], moved[1]), moved[2])
    total = max(reference.width, actual.width) * max(reference.height, actual.height)
    faded = Image.blend(before.convert("L").convert("RGB"), Image.new("RGB", before.size, "white"), 0.6)
    return Difference(
        differing=mask.histogram()[255] + total - width * height,
        total=total,
        width_change=actual.width - reference.width,
        height_change=actual.height - reference.height,
        picture=Image.composite(Image.new("RGB", before.size, "red"), faded, mask),
    )


@pytest.fixture
def steady(database_template: Path, tmp_path: Path) -> Iterator[Seeded]:
    """The steady site, fresh for each picture, so no page's visits show in another's counts."""
    with steady_site(database_template, tmp_path / "site") as (server, seeded):
        yield seeded
    assert not server.server_errors, f"the server answered with errors: {server.server_errors}"


@pytest.mark.parametrize("screen", SCREENS)
@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_page_looks_as_its_reference(steady: Seeded, chromium: Browser, case: PageCase, screen: str,
                                     request: pytest.FixtureRequest, tmp_path: Path):
    reference = REFERENCES / f"{case.name}-{SCREENS[screen]['viewport']['width']}.png"
    shot = photograph(chromium, steady, case, screen)
    if request.config.getoption("--update-screenshots", default=False):
        REFERENCES.mkdir(exist_ok=True)
        reference.write_bytes(shot)
        return
    actual = tmp_path / reference.name
    actual.write_bytes(shot)
    if not reference.exists():
        pytest.fail(f"No reference image {reference} (this run's picture: "
                    f"{actual}). Make the references with `{UPDATE_COMMAND}` and look at them before "
                    "committing them.")
    difference = compare(Image.open(reference), Image.open(io.BytesIO(shot)))
    if not difference.acceptable:
        marked = tmp_path / f"{reference.stem}-diff.png"
        difference.picture.save(marked)
        pytest.fail(f"{reference.name} no longer matches: {difference}.\n  this run's picture: {actual}\n"
                    f"  where it differs (red): {marked}\nIf the change is meant, `{UPDATE_COMMAND}`.")
