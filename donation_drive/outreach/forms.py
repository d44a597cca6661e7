import unicodedata

from flask_babel import format_decimal, gettext as _
from flask_wtf import FlaskForm
from wtforms import SelectChoice, SelectField, TextAreaField
from wtforms.validators import DataRequired, Length

from ..core.fields import strip
from ..core.i18n import LazyText, lazy_gettext as _l
from .eligibility import REGIONS
from .invitations import ADDRESS_LIST_MAX_CHARS, ADDRESS_LIST_MAX_ENTRIES, INVITATIONS_PER_DAY, MESSAGE_MAX

#: Its number is written the reader's way ("1,000", "1 000"), so it is formatted when shown.
MESSAGE_TOO_LONG = LazyText(lambda: _("Please keep the message under %(most)s characters.",
                                        most=format_decimal(MESSAGE_MAX)))


class InvitationForm(FlaskForm):
    addresses = TextAreaField(
        _l("Email addresses"),
        filters=[strip],
        validators=[
            DataRequired(_l("Please paste at least one email address.")),
            Length(max=ADDRESS_LIST_MAX_CHARS,
                   message=_l("That list is too long. Please paste at most %(most)s addresses at a time.",
                              most=ADDRESS_LIST_MAX_ENTRIES)),
        ],
        render_kw={"rows": 5, "autocomplete": "off", "spellcheck": "false"},
    )
    message = TextAreaField(
        _l("Personal message"),
        description=_l("Optional. Sent with every invitation, under your name."),
        filters=[strip],
        validators=[Length(max=MESSAGE_MAX, message=MESSAGE_TOO_LONG)],
        render_kw={"rows": 4, "maxlength": MESSAGE_MAX},
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # A plain string, not a lazy one: its "<ana@example.org>" must be escaped, not read as HTML.
        self.addresses.description = _(
            "One per line or separated by commas. You can write a name first, like Ana Smith "
            "<ana@example.org>. Up to %(most)s at a time; a drive can send %(per_day)s invitations a day.",
            most=ADDRESS_LIST_MAX_ENTRIES, per_day=INVITATIONS_PER_DAY,
        )


def _alphabetical(text: str) -> str:
    """A sort key that files "États-Unis" among the E's and ignores Arabic vowel marks."""
    return "".join(char for char in unicodedata.normalize("NFD", text)
                   if not unicodedata.combining(char)).casefold()


class RegionForm(FlaskForm):
    region = SelectField(
        _l("Blood service"),
        description=_l("Whose rules to use when telling donors when they may give again."),
        choices=[SelectChoice(key, region.name) for key, region in REGIONS.items()],
        validate_choice=True,
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # By country, as people look for their own, in the reader's language: "Australia — …"
        # first and "United States — …" last in English.
        self.region.choices = sorted(
            (SelectChoice(key, region.name) for key, region in REGIONS.items()),
            key=lambda choice: _alphabetical(str(choice.label)),
        )
