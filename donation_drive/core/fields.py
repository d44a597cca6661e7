"""Form fields shared by several journeys, with messages a person understands."""

from flask_babel import gettext as _
from wtforms import DateField, EmailField, IntegerField, SelectChoice, SelectField, StringField
from wtforms.validators import DataRequired, Email, InputRequired, Length, NumberRange, Optional

from ..donations.models import DonationType
from . import limits
from .i18n import lazy_gettext as _l, lazy_ngettext


def N_(message: str) -> str:
    """Marks `message` for translation and leaves it as it is: said later with `_(message)`."""
    return message


#: Said when a text field holds a NUL character: PostgreSQL can't store one, and no person types it.
#: Kept as the English message id (tests look for it in pages); say it with `_(NUL_MESSAGE)`.
NUL_MESSAGE = N_("Please remove the invisible control character (NUL) from this text.")


def refuse_nul(value: str | None) -> None:
    """A filter's ValueError becomes the field's error, so the form is refused and shown again."""
    if isinstance(value, str) and "\x00" in value:
        raise ValueError(_(NUL_MESSAGE))


def normalise_email(value: str | None) -> str | None:
    """One address, one spelling: trimmed and lower-cased; empty becomes None; NUL is refused."""
    refuse_nul(value)
    value = (value or "").strip().lower()
    return value or None


def strip(value: str | None) -> str | None:
    """Trimmed text; NUL is refused. The filter of every form field whose text is kept."""
    refuse_nul(value)
    return value.strip() if isinstance(value, str) else value


def name_field(label: str = _l("Name"), description: str = "") -> StringField:
    return StringField(
        label,
        description=description,
        filters=[strip],
        validators=[
            DataRequired(_l("Please enter a name.")),
            Length(max=limits.NAME_MAX, message=lazy_ngettext(
                "Please keep this under %(num)s character.", "Please keep this under %(num)s characters.",
                limits.NAME_MAX)),
        ],
        render_kw={"autocomplete": "name", "maxlength": limits.NAME_MAX},
    )


def email_field(required: bool, description: str = "") -> EmailField:
    presence = DataRequired(_l("Please enter your email address.")) if required else Optional()
    return EmailField(
        _l("Email"),
        description=description,
        filters=[normalise_email],
        validators=[
            presence,
            Length(max=limits.EMAIL_MAX, message=_l("That email address is too long.")),
            Email(_l("Please enter an email address like name@example.com.")),
        ],
        render_kw={"autocomplete": "email", "maxlength": limits.EMAIL_MAX},
    )


def units_field(label: str, maximum: int, default: int = 1, description: str = "") -> IntegerField:
    return WholeNumberField(
        label,
        default=default,
        description=description,
        validators=[
            InputRequired(_l("Please enter a number of units.")),
            NumberRange(1, maximum, _l("Please enter a whole number from 1 to %(max)s.", max=maximum)),
        ],
        render_kw={"min": 1, "max": maximum, "inputmode": "numeric"},
    )


#: Said when a choice field gets a value that is not one of its options.
CHOICE_MESSAGE = _l("Please choose one of the options.")


def donation_type_field(label: str = _l("Donation type")) -> SelectField:
    return SelectField(
        label,
        choices=[SelectChoice(kind.value, kind.label) for kind in DonationType],
        default=DonationType.WHOLE_BLOOD.value,
        invalid_choice_message=CHOICE_MESSAGE,
    )


def date_field(label: str, required: bool, description: str = "") -> DateField:
    presence = InputRequired(_l("Please enter a date.")) if required else Optional()
    return PlainDateField(label, description=description, validators=[presence])


class PlainDateField(DateField):
    """A native date input whose parse error says how to fix it."""

    def process_formdata(self, valuelist: list[str]) -> None:
        try:
            super().process_formdata(valuelist)
        except ValueError as error:
            raise ValueError(_("Please enter a real date, like 2026-12-01.")) from error


class WholeNumberField(IntegerField):
    """An integer input whose parse error speaks plainly."""

    def process_formdata(self, valuelist: list[str]) -> None:
        try:
            super().process_formdata(valuelist)
        except ValueError as error:
            raise ValueError(_("Please enter a whole number, like 1.")) from error
