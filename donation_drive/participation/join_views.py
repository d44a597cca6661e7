"""A friend opens the invite link, reads the story and signs up."""

from flask import redirect, url_for
from flask_babel import gettext as _

from ..core import ratelimits
from ..core.i18n import current_language
from ..core.web import refuse
from ..drives.models import Drive
from . import operations as participation
from .join_forms import SignUpForm
from .signing_up import sign_up_from, sign_up_page


def _drive_for_code(code: str) -> Drive:
    drive = participation.drive_by_invite_code(code)
    if drive is not None:
        return drive
    if participation.drive_of_retired_code(code) is not None:
        refuse(
            410,
            _("The organiser has changed this drive's invite link, so this one no longer "
              "works. Please ask them for the new link."),
        )
    refuse(404, _("This invite link isn't valid. Please check it was copied in full, "
                  "or ask the organiser for it again."))


@ratelimits.sign_up
def sign_up(code: str):
    drive = _drive_for_code(code)
    form = SignUpForm()
    # The friend's mail is written in the language of the page they signed up on.
    if form.validate_on_submit() and (signed_up := sign_up_from(drive, form, language=current_language())):
        return redirect(url_for("participant.welcome", token=signed_up[1]))
    return sign_up_page(drive, form)
