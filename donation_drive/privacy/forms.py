from flask_wtf import FlaskForm
from wtforms import BooleanField
from wtforms.validators import ValidationError

from ..core.fields import NUL_MESSAGE, email_field
from ..core.i18n import lazy_gettext as _l


def _no_nul(_form: FlaskForm, field: BooleanField) -> None:
    """A tick box reads any text as "ticked"; one holding NUL is no person's click."""
    if any("\x00" in value for value in field.raw_data or ()):
        raise ValidationError(NUL_MESSAGE)


class LostLinkForm(FlaskForm):
    email = email_field(required=True, description=_l("The address you gave when you signed up."))


class SignInForm(FlaskForm):
    """Opening the page is a deliberate click: mail scanners that fetch the link change nothing."""

    replace_old = BooleanField(
        _l("Also replace my old private link"),
        description=_l("Choose this if someone else may have your old link: it stops working."),
        validators=[_no_nul],
    )
