"""Bringing people in and back: email invitations, unsubscribing, sharing and passing the challenge on."""

from collections import Counter

from flask import Flask

from ..core.templating import absolute_url
from ..counting import ripple
from . import eligibility, invitations, sharing
from .forms import InvitationForm, RegionForm


def _invitation_counts(invitation_list: list) -> list[tuple[str, int]]:
    """("sent", 3), ("joined", 2)… in the order an invitation moves through them."""
    counts = Counter(invitation.status.value for invitation in invitation_list)
    order = ["sent", "opened", "joined", "failed", "revoked"]
    return [(status, counts[status]) for status in order if counts[status]]


def _new_invitation_form():
    return InvitationForm(formdata=None)


def _region_form(drive):
    return RegionForm(formdata=None, region=drive.region)


def _preview_url(drive, progress) -> str:
    return absolute_url("outreach.preview_image", slug=drive.slug, v=sharing.preview_key(drive, progress))


def init_app(app: Flask) -> None:
    ripple.init_app()
    app.jinja_env.globals.update(
        drive_invitations=invitations.invitations_of,
        invitations_left_today=invitations.left_today,
        invitations_per_day=lambda: invitations.INVITATIONS_PER_DAY,
        invitation_counts=_invitation_counts,
        new_invitation_form=_new_invitation_form,
        region_form=_region_form,
        donate_again=eligibility.donate_again,
        region_of=eligibility.region_of,
        share_links=sharing.share_links,
        preview_url=_preview_url,
        qr_svg=sharing.qr_svg,
        ripple_of=ripple.ripple_of,
        inspired_by=ripple.inspired_by,
    )
