"""What makes a drive easy to pass on: QR codes, share links and the social preview image."""

import hashlib
import io
import secrets
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, urlencode

import segno
from flask import current_app
from flask_babel import gettext as _
from PIL import Image, ImageDraw, ImageFont, features

from ..core.i18n import in_language, ngettext
from ..core.languages import RIGHT_TO_LEFT
from ..counting.progress import Progress
from ..drives.models import Dedication, Drive, UnitNoun

#: Bump when the drawing changes, so cached images, ETags and social caches refresh.
PREVIEW_DESIGN = 2
PREVIEW_SIZE = (1200, 630)
#: WhatsApp drops link previews larger than this.
PREVIEW_MAX_BYTES = 300 * 1024

_BACKGROUND = (250, 248, 246)
_TEXT = (31, 27, 26)
_MUTED = (92, 85, 82)
_ACCENT = (155, 28, 44)
_TRACK = (221, 214, 210)


def qr_code(url: str) -> segno.QRCode:
    # Error correction "M" survives a crease or a smudge on a printed poster.
    return segno.make(url, error="m", micro=False)


def qr_svg(url: str, title: str) -> str:
    """An inline SVG (no scripts, no style attributes) that scales with its container."""
    return qr_code(url).svg_inline(scale=1, border=4, title=title, svgclass="qr", lineclass="qr__modules",
                                   omitsize=True)


def qr_png(url: str, scale: int = 10) -> bytes:
    out = io.BytesIO()
    qr_code(url).save(out, kind="png", scale=scale, border=4)
    return out.getvalue()


@dataclass(frozen=True)
class ShareLink:
    label: str
    href: str
    kind: str


def share_links(url: str, text: str) -> list[ShareLink]:
    """Plain links to each service's own share page: no scripts, no trackers from them here."""
    message = f"{text} {url}"
    return [
        ShareLink(_("Email"), "mailto:?" + urlencode({"subject": text, "body": message}, quote_via=quote), "email"),
        ShareLink("WhatsApp", "https://wa.me/?" + urlencode({"text": message}, quote_via=quote), "whatsapp"),
        ShareLink("X", "https://x.com/intent/post?" + urlencode({"text": text, "url": url}, quote_via=quote), "x"),
        ShareLink("Facebook", "https://www.facebook.com/sharer/sharer.php?" + urlencode({"u": url}, quote_via=quote),
                  "facebook"),
    ]


def preview_key(drive: Drive, progress: Progress) -> str:
    """Changes exactly when what the image shows changes: it names the cached file, and the
    `?v=` of the image's address in the page, so social apps fetch it again after a change."""
    # The drive's language, not the reader's: the image is written in it (see draw_preview).
    shown = [PREVIEW_DESIGN, drive.language, drive.title, drive.dedication.value, drive.honoree,
             progress.units_donated, progress.target_units, drive.status.value, drive.unit_noun.value]
    return hashlib.sha256(repr(shown).encode()).hexdigest()[:20]


def preview_png(drive: Drive, progress: Progress) -> bytes:
    """The 1200×630 preview, drawn once per change and then read from instance/previews/."""
    key = preview_key(drive, progress)
    folder = Path(current_app.instance_path) / "previews"
    path = folder / f"{drive.id}-{key}.png"
    try:
        return path.read_bytes()
    except FileNotFoundError:
        pass
    with in_language(drive.language):
        image = draw_preview(drive, progress)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        for stale in folder.glob(f"{drive.id}-*.png"):
            stale.unlink(missing_ok=True)
        partial = folder / f"{drive.id}-{key}.{secrets.token_hex(4)}.tmp"
        partial.write_bytes(image)
        partial.replace(path)  # atomic: a concurrent reader never sees half a file
    except OSError as error:
        # A full or read-only disk costs a redraw per request, never the image itself.
        current_app.logger.warning("Preview image not cached: %s", error)
    return image


#: DejaVu Sans (fonts/LICENSE): Latin and Arabic in one face, so every offered language draws.
FONT_FOLDER = Path(__file__).resolve().parent / "fonts"
#: Raqm joins Arabic letters and lays out right-to-left text; Pillow's basic layout can do neither,
#: so without raqm the image is still drawn, with Latin text right and Arabic letters unjoined.
_LAYOUT = ImageFont.Layout.RAQM if features.check("raqm") else ImageFont.Layout.BASIC

Font = ImageFont.FreeTypeFont


def _writing_direction(text: str) -> str | None:
    """"rtl" or "ltr" by the first letter that has a direction (as the Unicode bidi rules do), else None."""
    for char in text:
        kind = unicodedata.bidirectional(char)
        if kind == "L":
            return "ltr"
        if kind in ("R", "AL"):
            return "rtl"
    return None


class _Page:
    """One preview being drawn in one language: its fonts, and the side its lines start from."""

    def __init__(self, image: Image.Image, language: str, margin: int) -> None:
        self.draw = ImageDraw.Draw(image)
        self.rtl = language in RIGHT_TO_LEFT
        self.margin = margin
        self.width = image.width - 2 * margin
        self._start = image.width - margin if self.rtl else margin
        self._fonts: dict[tuple[int, bool], Font] = {}

    def font(self, size: int, bold: bool = False) -> Font:
        if (size, bold) not in self._fonts:
            name = "DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf"
            self._fonts[size, bold] = ImageFont.truetype(str(FONT_FOLDER / name), size, layout_engine=_LAYOUT)
        return self._fonts[size, bold]

    def direction(self, text: str, own: bool) -> str | None:
        """The page's direction for its own wording; for what people wrote (`own`: a drive's
        title), the text's own, so an Arabic title on an English drive still reads right to left.

        A line of an Arabic page with no right-to-left letter in it (wording not translated yet)
        is laid out left to right, so that it still reads in order."""
        if _LAYOUT is not ImageFont.Layout.RAQM:
            return None  # the basic layout takes no direction
        page = "rtl" if self.rtl else "ltr"
        if own:
            return _writing_direction(text) or page
        if self.rtl and not any(unicodedata.bidirectional(char) in ("R", "AL") for char in text):
            return "ltr"
        return page

    def length(self, text: str, font: Font, own: bool = False) -> float:
        return self.draw.textlength(text, font=font, direction=self.direction(text, own))

    def write(self, top: int, text: str, font: Font, fill: tuple[int, int, int], own: bool = False) -> None:
        """One line from the page's starting side: the left margin, or the right one in Arabic."""
        self.draw.text((self._start, top), text, fill=fill, font=font, anchor="ra" if self.rtl else "la",
                       direction=self.direction(text, own))

    def fit(self, text: str, size: int, bold: bool = False, own: bool = False) -> tuple[str, Font]:
        """Shrink the font, then shorten with an ellipsis, until `text` fits the page's width."""
        while size > 36 and self.length(text, self.font(size, bold), own) > self.width:
            size -= 4
        font = self.font(size, bold)
        return self.shorten(text, font, own), font

    def shorten(self, text: str, font: Font, own: bool = False) -> str:
        # The end in reading order: the left end of an Arabic line.
        while self.length(text, font, own) > self.width and len(text) > 1:
            text = text[:-2].rstrip() + "…"
        return text

    def title_lines(self, title: str) -> tuple[list[str], Font]:
        """One line in large type if it fits, else two lines in smaller type, the second shortened."""
        text, font = self.fit(title, 96, bold=True, own=True)
        if not text.endswith("…") or text == title:
            return [text], font
        font, words, first = self.font(64, bold=True), title.split(), ""
        while words and self.length((first + " " + words[0]).strip(), font, own=True) <= self.width:
            first = (first + " " + words.pop(0)).strip()
        second = self.shorten(" ".join(words), font, own=True)
        return [first, second] if first else [second], font


def draw_preview(drive: Drive, progress: Progress) -> bytes:
    """The preview in the active language, which preview_png makes the drive's: the crawlers of
    social apps carry no reader's preference, and everyone who sees the shared link sees this one."""
    image = Image.new("RGB", PREVIEW_SIZE, _BACKGROUND)
    page = _Page(image, drive.language, margin=80)
    page.draw.rectangle([0, 0, image.width, 16], fill=_ACCENT)
    dedication, font = page.fit(_dedication_line(drive), 40)
    page.write(90, dedication, font, _MUTED)
    lines, font = page.title_lines(drive.title)
    for number, line in enumerate(lines):
        page.write(150 + number * 80, line, font, _TEXT, own=True)
    count, font = page.fit(_count_line(drive, progress), 64)
    page.write(330, count, font, _ACCENT)
    if drive.is_open:
        _draw_bar(page, progress)
    page.write(530, _("A blood-donation drive · Donation Drive"), page.font(32), _MUTED)
    out = io.BytesIO()
    # A few flat colours: a palette PNG is a fraction of the size, far under WhatsApp's limit.
    image.quantize(colors=64).save(out, format="PNG", optimize=True)
    return out.getvalue()


def _dedication_line(drive: Drive) -> str:
    if drive.dedication is Dedication.IN_MEMORY:
        return _("In memory of %(name)s", name=drive.honoree)
    if drive.dedication is Dedication.IN_HONOUR:
        return _("In honour of %(name)s", name=drive.honoree)
    return _("For %(name)s", name=drive.honoree)


def _count_line(drive: Drive, progress: Progress) -> str:
    """"5 of 7 bags" while the drive runs; once it is a memorial, what was given ("5 bags of blood
    given"), never a shortfall, as its page says (public/tribute.py)."""
    if drive.is_open:
        return progress.summary
    given = progress.units_donated
    if drive.unit_noun is UnitNoun.BAGS:
        return ngettext("%(num)s bag of blood given", "%(num)s bags of blood given", given)
    if drive.unit_noun is UnitNoun.DONATIONS:
        return ngettext("%(num)s donation of blood given", "%(num)s donations of blood given", given)
    return ngettext("%(num)s unit of blood given", "%(num)s units of blood given", given)


def _draw_bar(page: _Page, progress: Progress) -> None:
    """The track, filled from the side the page reads from: the right in Arabic."""
    bar_top, bar_height, left, right = 440, 48, page.margin, page.margin + page.width
    page.draw.rounded_rectangle([left, bar_top, right, bar_top + bar_height], radius=24, fill=_TRACK)
    filled = page.width * progress.bar_value // progress.target_units
    if filled > 0:
        filled = max(filled, bar_height)
        start, end = (right - filled, right) if page.rtl else (left, left + filled)
        page.draw.rounded_rectangle([start, bar_top, end, bar_top + bar_height], radius=24, fill=_ACCENT)
