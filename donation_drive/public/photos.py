"""Cover photos: check what was really uploaded, re-encode it small and without metadata.

The stored file is named by the hash of its content, so its URL changes whenever the photo
does; the file is deleted once no drive uses it (photo_files.py).
"""

import hashlib
import io
import re
import warnings
from pathlib import Path
from typing import BinaryIO

from flask_babel import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from ..accounts.models import User
from ..core.extensions import db
from ..core.i18n import lazy_gettext as _l
from ..core.rules import RuleBroken
from ..drives import activity
from ..drives.lifecycle import settings_for
from ..drives.models import Drive, DriveSettings
from .photo_files import in_use, photo_folder, remove_after_commit

#: The largest upload accepted, in bytes: a phone photo fits.
PHOTO_MAX_BYTES = 8 * 1024 * 1024
#: The most pixels a photo may have, by format, read from the file's header before anything is
#: decoded (a "decompression bomb" is a small file that would expand to gigabytes in memory).
#: Each is chosen so the worst photo let through costs under 1 s of CPU and 150 MB
#: (bench/photo_upload.py measures it). A JPEG decodes at a half, a quarter or an eighth of its
#: size (draft), so a phone's 12 to 24 megapixel photo is cheap; PNG and WebP decode whole, and
#: WebP more slowly.
MAX_PIXELS = {"JPEG": 24_000_000, "PNG": 6_000_000, "WEBP": 4_000_000}
#: Longest side of the stored photo, in pixels.
STORED_MAX_SIDE = 1600
ACCEPTED_FORMATS = set(MAX_PIXELS)
#: The largest request that may carry a photo: room for the form's other fields and the
#: multipart framing around it. Views taking a photo raise the site-wide limit to this.
UPLOAD_MAX_BYTES = PHOTO_MAX_BYTES + 64 * 1024
#: Stored photos are named "<64 hex digits>.jpg"; nothing else is ever served.
STORED_NAME = re.compile(r"^[0-9a-f]{64}\.jpg$")

TOO_BIG = _l("Please choose a photo under %(size)s MB.", size=PHOTO_MAX_BYTES // (1024 * 1024))
NOT_A_PHOTO = _l("That file isn't a JPEG, PNG or WebP photo. Please choose a photo file.")


def _too_many_pixels(size: tuple[int, int] | None = None, cap: int = min(MAX_PIXELS.values())) -> RuleBroken:
    megapixels = cap // 1_000_000
    if size:
        message = _("That photo has too many pixels for us to handle (%(width)s × %(height)s pixels). Please "
                    "choose one of at most %(megapixels)s megapixels, or make it smaller first.",
                    width=size[0], height=size[1], megapixels=megapixels)
    else:
        message = _("That photo has too many pixels for us to handle. Please choose one of at most "
                    "%(megapixels)s megapixels, or make it smaller first.", megapixels=megapixels)
    return RuleBroken(message, "photo")


def _open_checked(upload: BinaryIO) -> Image.Image:
    """The uploaded image, decoded, after checking its real type and size.

    Image.open reads only the header, so the pixel count is checked before any decoding. A JPEG
    decodes straight at a fraction of its size (draft) when it will be stored smaller anyway.
    """
    data = upload.read(PHOTO_MAX_BYTES + 1)
    if len(data) > PHOTO_MAX_BYTES:
        raise RuleBroken(str(TOO_BIG), "photo")
    if not data:
        raise RuleBroken(_("Please choose a photo to upload."), "photo")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data), formats=sorted(ACCEPTED_FORMATS))
            if image.format is None:  # Pillow names the format of every file it opens
                raise UnidentifiedImageError("Pillow opened the photo without naming its format")
            cap = MAX_PIXELS[image.format]
            if image.width * image.height > cap:
                raise _too_many_pixels(image.size, cap)
            if image.format == "JPEG":
                image.draft("RGB", (STORED_MAX_SIDE, STORED_MAX_SIDE))
            image.load()
    except RuleBroken:
        raise  # the pixel cap: a RuleBroken is a ValueError, not a damaged file
    except UnidentifiedImageError as error:
        raise RuleBroken(str(NOT_A_PHOTO), "photo") from error
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        # Pillow's own check, at open, for sizes far past ours.
        raise _too_many_pixels() from error
    except (OSError, SyntaxError, ValueError) as error:
        # A truncated or corrupt file that only claims to be an image.
        raise RuleBroken(_("That photo file seems damaged. Please choose another."), "photo") from error
    return image


def reencode(upload: BinaryIO) -> bytes:
    """A fresh JPEG of the upload: upright, at most STORED_MAX_SIDE, with no EXIF or GPS data.

    It is made smaller first, so turning and flattening copy the small image, not the upload.
    """
    image = _open_checked(upload)
    if image.mode not in ("RGB", "RGBA", "L", "LA"):
        # Palette and 16-bit images resize poorly or not at all in their own mode.
        image = image.convert("RGBA" if image.has_transparency_data else "RGB")
    image.thumbnail((STORED_MAX_SIDE, STORED_MAX_SIDE))
    image = ImageOps.exif_transpose(image)
    if image.mode in ("RGBA", "LA"):
        image = image.convert("RGBA")
        background = Image.new("RGB", image.size, "white")
        background.paste(image, mask=image.getchannel("A"))
        image = background
    else:
        image = image.convert("RGB")
    out = io.BytesIO()
    # No exif= and no icc_profile: the new file carries pixels only.
    image.save(out, "JPEG", quality=85, optimize=True, progressive=True)
    return out.getvalue()


def store(data: bytes) -> str:
    name = hashlib.sha256(data).hexdigest() + ".jpg"
    path = photo_folder() / name
    if not path.exists():
        temporary = path.with_suffix(".tmp")
        temporary.write_bytes(data)
        temporary.replace(path)
    return name


def _described(alt: str) -> str:
    alt = (alt or "").strip()
    if not alt:
        raise RuleBroken(_("Please describe the photo for people who can't see it."), "alt")
    return alt


def set_cover_photo(drive: Drive, actor: User, upload: BinaryIO | None, alt: str) -> None:
    """Replace (or, with no file, re-describe) the cover photo; a text alternative is required."""
    alt = _described(alt)
    settings = settings_for(drive)
    if upload is None:
        if settings.cover_photo is None:
            raise RuleBroken(_("Please choose a photo to upload."), "photo")
        settings.cover_photo_alt = alt
        db.session.flush()
        activity.record(drive, _l("changed the cover photo's description"), actor)
        return
    _put_cover_photo(drive, actor, settings, reencode(upload), alt)


def add_cover_photo(drive: Drive, actor: User, photo: bytes, alt: str) -> None:
    """Give a new drive the photo its creation form brought, checked and re-encoded (`reencode`)
    before the drive was made, so a photo we can't take creates nothing."""
    _put_cover_photo(drive, actor, settings_for(drive), photo, _described(alt))


def _put_cover_photo(drive: Drive, actor: User, settings: DriveSettings, photo: bytes, alt: str) -> None:
    name = store(photo)
    old = settings.cover_photo
    settings.cover_photo = name
    settings.cover_photo_alt = alt
    db.session.flush()
    if old != name:
        remove_after_commit(old)
    activity.record(drive, _l("changed the cover photo") if old else _l("added a cover photo"), actor)


def remove_cover_photo(drive: Drive, actor: User) -> None:
    settings = settings_for(drive)
    if settings.cover_photo is None:
        raise RuleBroken(_("This drive has no cover photo."))
    removed = settings.cover_photo
    settings.cover_photo = None
    settings.cover_photo_alt = ""
    db.session.flush()
    remove_after_commit(removed)
    activity.record(drive, _l("removed the cover photo"), actor)


def cover_of(drive: Drive) -> DriveSettings | None:
    """The settings row when the drive has a cover photo, else None."""
    settings = db.session.get(DriveSettings, drive.id)
    return settings if settings is not None and settings.cover_photo else None


def stored_path(name: str) -> Path | None:
    """The file to serve for /photos/<name>: only while a drive uses it as its cover photo."""
    if not STORED_NAME.match(name) or not in_use(name):
        return None
    path = photo_folder() / name
    return path if path.is_file() else None
