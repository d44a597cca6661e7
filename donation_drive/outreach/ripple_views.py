"""Pass the challenge on: one click from a drive to a new drive inspired by it."""

from flask import flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..core.i18n import current_language
from ..core.rules import today_in
from ..core.web import or_404
from ..counting import ripple
from ..drives import operations as drives
from ..drives.creating import create_from_form
from ..drives.forms import NewDriveForm
from ..drives.models import Drive
from ..public.caching import NOT_FOUND


def _prefill(form: NewDriveForm, original: Drive) -> None:
    form.title.data = _("Inspired by %(title)s", title=original.title)
    form.dedication.data = original.dedication.value
    form.honoree.data = original.honoree
    form.story.data = _("Inspired by “%(title)s”, we are giving blood too — and we challenge "
                        "you to do the same, wherever you live.", title=original.title)
    form.target_units.data = original.target_units
    form.unit_noun.data = original.unit_noun
    # Friends passing it on mostly live near the first drive: its zone is the best first guess.
    form.timezone.data = original.timezone
    start = today_in(original.timezone)
    form.starts_on.data = start
    form.ends_on.data = drives.suggested_end(start)


def start_inspired(slug: str):
    """A new-drive form prefilled from `slug`; visitors register (or log in) first and come back."""
    original = or_404(drives.public_drive(slug), NOT_FOUND)
    if not current_user.is_authenticated:
        flash(_("Create an account to start your own drive, inspired by %(title)s.", title=original.title), "info")
        return redirect(url_for("auth.register", next=request.path))
    form = NewDriveForm(language=current_language())
    if not form.is_submitted():
        _prefill(form, original)
        flash(_("Your drive will be linked to %(title)s: its page shows every drive it inspired.",
                title=original.title), "info")
    return create_from_form(
        form, "pass it on", f"user:{current_user.id} drive:{original.id}",
        lambda: ripple.start_inspired_drive(
            drives.create_drive(current_user, form.details(), form.slug.data or ""), original
        ),
    )
