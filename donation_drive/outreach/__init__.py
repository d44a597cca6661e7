"""Bringing people in and back: email invitations, unsubscribing, sharing and passing the challenge on."""

from flask import Flask

from ..core.templating import absolute_url
from ..counting import ripple
from . import eligibility, sharing


def _preview_url(drive, progress) -> str:
    return absolute_url("outreach.preview_image", slug=drive.slug, v=sharing.preview_key(drive, progress))


def init_app(app: Flask) -> None:
    ripple.init_app()
    app.jinja_env.globals.update(
        region_of=eligibility.region_of,
        share_links=sharing.share_links,
        preview_url=_preview_url,
        qr_svg=sharing.qr_svg,
    )
