from flask_wtf import FlaskForm
from wtforms import BooleanField, RadioField, SelectChoice

from ..core import limits
from ..core.fields import CHOICE_MESSAGE, date_field, donation_type_field, email_field, name_field, units_field
from ..core.i18n import lazy_gettext as _l
from ..core.submissions import OneTimeForm
from .models import NameShownAs
from .spam import SpamGuard


def show_name_field(description: str) -> BooleanField:
    """Whether a name is shown publicly: off unless its owner chooses (sign-up, words of support)."""
    return BooleanField(_l("Show my name on the progress page"), description=description)


def name_shown_as_field() -> RadioField:
    """How a shown name appears: in full, the first name only or initials."""
    return RadioField(
        _l("If shown, show"),
        choices=[SelectChoice(choice.value, choice.label) for choice in NameShownAs],
        default=NameShownAs.FIRST_NAME.value,
        invalid_choice_message=CHOICE_MESSAGE,
    )


class PledgeFields(FlaskForm):
    """What a participant pledges; shared by sign-up and by changing a pledge later."""

    units = units_field(
        _l("Units you'll give"),
        limits.PARTICIPANT_UNITS_MAX,
        description=_l(
            "A unit is what the blood service counts: one bag of whole blood is one unit. Most people give 1."
        ),
    )
    donation_type = donation_type_field()
    planned_on = date_field(
        _l("Planned date"),
        required=False,
        description=_l("Optional. When you hope to donate; you can change it later."),
    )
    show_name = show_name_field(_l("Leave this off to appear as anonymous. Your email and dates are never shown."))
    name_shown_as = name_shown_as_field()


class SignUpForm(SpamGuard, OneTimeForm, PledgeFields):
    name = name_field(_l("Name"), _l("Your name, as the organiser knows you."))
    email = email_field(
        required=False,
        description=_l("Optional: to get your private link and a reminder. Never shown to anyone else."),
    )
