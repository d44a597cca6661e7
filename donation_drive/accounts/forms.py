from flask_babel import LazyString
from flask_wtf import FlaskForm
from wtforms import PasswordField
from wtforms.validators import DataRequired, Length

from ..core import limits
from ..core.fields import email_field, name_field
from ..core.i18n import lazy_gettext as _l, lazy_ngettext

#: The label of a password field unless a form gives another.
PASSWORD_LABEL = _l("Password")


def new_password_field(label: str | LazyString) -> PasswordField:
    """A password being chosen: the length rule said up front, and the browser may suggest one."""
    return PasswordField(
        label,
        description=lazy_ngettext(
            "At least %(num)s character. A short sentence is easy to remember and hard to guess.",
            "At least %(num)s characters. A short sentence is easy to remember and hard to guess.",
            limits.PASSWORD_MIN,
        ),
        validators=[
            DataRequired(_l("Please choose a password.")),
            Length(
                min=limits.PASSWORD_MIN,
                max=limits.PASSWORD_MAX,
                message=_l("Please use %(min)s to %(max)s characters.",
                           min=limits.PASSWORD_MIN, max=limits.PASSWORD_MAX),
            ),
        ],
        render_kw={"autocomplete": "new-password", "minlength": limits.PASSWORD_MIN},
    )


class RegisterForm(FlaskForm):
    name = name_field(_l("Name"), _l("Shown to the friends you invite."))
    email = email_field(required=True, description=_l("You'll log in with this. It's never shown publicly."))
    password = new_password_field(PASSWORD_LABEL)


class RequestResetForm(FlaskForm):
    email = email_field(required=True, description=_l("The address you log in with."))


class NewPasswordForm(FlaskForm):
    password = new_password_field(_l("New password"))


def current_password_field(label: str | LazyString = PASSWORD_LABEL,
                           description: str | LazyString = "") -> PasswordField:
    """A password being typed again, to prove who is at the keyboard."""
    return PasswordField(
        label,
        description=description,
        validators=[
            DataRequired(_l("Please enter your password.")),
            Length(max=limits.PASSWORD_MAX, message=_l("That password is too long.")),
        ],
        render_kw={"autocomplete": "current-password"},
    )


class ConfirmEmailForm(FlaskForm):
    """The emailed link proves the address, not who registered it: the password proves that."""

    password = current_password_field(description=_l("The password chosen when this account was created."))


class ConfirmWithNewPasswordForm(FlaskForm):
    """For the address's owner who did not register it, or forgot the password chosen."""

    password = new_password_field(_l("New password"))


class LoginForm(FlaskForm):
    email = email_field(required=True)
    password = current_password_field()
