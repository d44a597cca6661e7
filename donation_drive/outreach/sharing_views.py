"""QR codes, the printable poster and the social preview image."""

from flask import Response, render_template
from flask_babel import gettext as _
from flask_login import login_required

from ..core.templating import absolute_url
from ..core.web import or_404
from ..counting.tallies import progress_of
from ..drives import operations as drives
from ..drives.access import organised_drive
from ..public.caching import NOT_FOUND, cached_drive_view
from .sharing import PREVIEW_DESIGN, preview_png, qr_png, qr_svg


def share_targets(slug: str, invite_code: str) -> dict[str, str]:
    """What each QR code opens: the invite link (to sign up) or the public progress page."""
    return {
        "invite": absolute_url("join.sign_up", code=invite_code),
        "progress": absolute_url("public.progress_page", slug=slug),
    }


@login_required
def qr_image(slug: str, target: str, kind: str):
    """A QR code to download or print; organisers only, as the invite link is theirs to hand out."""
    drive = organised_drive(slug)
    url = share_targets(drive.slug, drive.invite_code)[target]
    filename = f"{drive.slug}-{target}-qr.{kind}"
    headers = {"Content-Disposition": f'inline; filename="{filename}"', "Cache-Control": "private, no-cache"}
    if kind == "png":
        return Response(qr_png(url), mimetype="image/png", headers=headers)
    svg = qr_svg(url, _("QR code: %(url)s", url=url)).replace("<svg ", '<svg xmlns="http://www.w3.org/2000/svg" ', 1)
    return Response(svg, mimetype="image/svg+xml", headers=headers)


@login_required
def poster(slug: str):
    """A printable A4 poster: title, dedication, the start of the story, a QR code and a short address."""
    drive = organised_drive(slug)
    targets = share_targets(drive.slug, drive.invite_code)
    return render_template(
        "outreach/poster.html",
        drive=drive,
        qr=qr_svg(targets["invite"], _("QR code: scan to join the drive")),
        short_url=targets["progress"].split("://", 1)[1],
    )


@cached_drive_view(f"preview-{PREVIEW_DESIGN}")
def preview_image(slug: str):
    """The 1200×630 image social apps show with a shared link; redrawn only when it changes.

    Cached like the page and the badge (ETag from the drive's version, 304 without SQL); the
    design number in the variant keeps its ETags apart from theirs and changes them on a redesign.
    """
    drive = or_404(drives.public_drive(slug), NOT_FOUND)
    return Response(preview_png(drive, progress_of(drive)), mimetype="image/png")
