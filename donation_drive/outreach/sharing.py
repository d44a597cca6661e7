"""What makes a drive easy to pass on: QR codes, share links and the social preview image."""

import hashlib
import io
import secrets
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, urlencode

import segno
from flask import current_app
from PIL import Image, ImageDraw, ImageFont

from ..core.wording import quantity
from ..counting.progress import Progress
from ..drives.models import Drive

#: Bump when the drawing changes, so cached images, ETags and social caches refresh.
PREVIEW_DESIGN = 1
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
        ShareLink("Email", "mailto:?" + urlencode({"subject": text, "body": message}, quote_via=quote), "email"),
        ShareLink("WhatsApp", "https://wa.me/?" + urlencode({"text": message}, quote_via=quote), "whatsapp"),
        ShareLink("X", "https://x.com/intent/post?" + urlencode({"text": text, "url": url}, quote_via=quote), "x"),
        ShareLink("Facebook", "https://www.facebook.com/sharer/sharer.php?" + urlencode({"u": url}, quote_via=quote),
                  "facebook"),
    ]


def preview_key(drive: Drive, progress: Progress) -> str:
    """Changes exactly when what the image shows changes: it names the cached file, and the
    `?v=` of the image's address in the page, so social apps fetch it again after a change."""
    shown = [PREVIEW_DESIGN, drive.title, drive.dedication.phrase, drive.honoree,
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


#: Pillow's built-in font: a scalable FreeType font, or its bitmap fallback when Pillow is built without FreeType.
Font = ImageFont.FreeTypeFont | ImageFont.ImageFont


def _font(size: int) -> Font:
    return ImageFont.load_default(size=size)


def _fit(draw: ImageDraw.ImageDraw, text: str, size: int, width: int) -> tuple[str, Font]:
    """Shrink the font, then shorten with an ellipsis, until `text` fits in `width`."""
    while size > 36 and draw.textlength(text, font=_font(size)) > width:
        size -= 4
    font = _font(size)
    return _shorten(draw, text, font, width), font


def _shorten(draw: ImageDraw.ImageDraw, text: str, font: Font, width: int) -> str:
    while draw.textlength(text, font=font) > width and len(text) > 1:
        text = text[:-2].rstrip() + "…"
    return text


def _title_lines(draw: ImageDraw.ImageDraw, title: str, width: int) -> tuple[list[str], Font]:
    """One line in large type if it fits, else two lines in smaller type, the second shortened."""
    text, font = _fit(draw, title, 96, width)
    if not text.endswith("…") or text == title:
        return [text], font
    font, words, first = _font(64), title.split(), ""
    while words and draw.textlength((first + " " + words[0]).strip(), font=font) <= width:
        first = (first + " " + words.pop(0)).strip()
    second = _shorten(draw, " ".join(words), font, width)
    return [first, second] if first else [second], font


def _plain(text: str) -> str:
    # The built-in font has no dashes beyond the hyphen; a middle dot reads the same.
    return text.replace(" — ", " · ").replace("—", "-").replace("–", "-")


def draw_preview(drive: Drive, progress: Progress) -> bytes:
    width, _height = PREVIEW_SIZE
    image = Image.new("RGB", PREVIEW_SIZE, _BACKGROUND)
    draw = ImageDraw.Draw(image)
    margin = 80
    draw.rectangle([0, 0, width, 16], fill=_ACCENT)
    dedication, font = _fit(draw, _plain(f"{drive.dedication.phrase} {drive.honoree}"), 40, width - 2 * margin)
    draw.text((margin, 90), dedication, fill=_MUTED, font=font)
    lines, font = _title_lines(draw, _plain(drive.title), width - 2 * margin)
    for number, line in enumerate(lines):
        draw.text((margin, 150 + number * 80), line, fill=_TEXT, font=font)
    count, font = _fit(draw, _plain(_count_line(drive, progress)), 64, width - 2 * margin)
    draw.text((margin, 330), count, fill=_ACCENT, font=font)
    if drive.is_open:
        _draw_bar(draw, progress, margin, width)
    draw.text((margin, 530), "A blood-donation drive · Donation Drive", fill=_MUTED, font=_font(32))
    out = io.BytesIO()
    # A few flat colours: a palette PNG is a fraction of the size, far under WhatsApp's limit.
    image.quantize(colors=64).save(out, format="PNG", optimize=True)
    return out.getvalue()


def _count_line(drive: Drive, progress: Progress) -> str:
    """"5 of 7 bags" while the drive runs; once it is a memorial, what was given ("5 bags of blood
    given"), never a shortfall, as its page says (public/tribute.py)."""
    if drive.is_open:
        return progress.summary
    return f"{quantity(progress.units_donated, drive.unit_noun.one, drive.unit_noun.many)} of blood given"


def _draw_bar(draw: ImageDraw.ImageDraw, progress: Progress, margin: int, width: int) -> None:
    bar_top, bar_height = 440, 48
    draw.rounded_rectangle([margin, bar_top, width - margin, bar_top + bar_height], radius=24, fill=_TRACK)
    filled = (width - 2 * margin) * progress.bar_value // progress.target_units
    if filled > 0:
        draw.rounded_rectangle([margin, bar_top, margin + max(filled, bar_height), bar_top + bar_height],
                               radius=24, fill=_ACCENT)
