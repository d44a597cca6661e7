from flask_wtf import FlaskForm
from wtforms import PasswordField
from wtforms.validators import DataRequired, Length

from ..core import limits
from ..core.fields import email_field, name_field


def new_password_field(label: str) -> PasswordField:
    """A password being chosen: the length rule said up front, and the browser may suggest one."""
    return PasswordField(
        label,
        description=f"At least {limits.PASSWORD_MIN} characters. "
        "A short sentence is easy to remember and hard to guess.",
        validators=[
            DataRequired("Please choose a password."),
            Length(
                min=limits.PASSWORD_MIN,
                max=limits.PASSWORD_MAX,
                message=f"Please use {limits.PASSWORD_MIN} to {limits.PASSWORD_MAX} characters.",
            ),
        ],
        render_kw={"autocomplete": "new-password", "minlength": limits.PASSWORD_MIN},
    )


class RegisterForm(FlaskForm):
    name = name_field("Name", "Shown to the friends you invite.")
    email = email_field(required=True, description="You'll log in with this. It's never shown publicly.")
    password = new_password_field("Password")


class RequestResetForm(FlaskForm):
    email = email_field(required=True, description="The address you log in with.")


class NewPasswordForm(FlaskForm):
    password = new_password_field("New password")


def current_password_field(label: str = "Password", description: str = "") -> PasswordField:
    """A password being typed again, to prove who is at the keyboard."""
    return PasswordField(
        label,
        description=description,
        validators=[
            DataRequired("Please enter your password."),
            Length(max=limits.PASSWORD_MAX, message="That password is too long."),
        ],
        render_kw={"autocomplete": "current-password"},
    )


class ConfirmEmailForm(FlaskForm):
    """The emailed link proves the address, not who registered it: the password proves that."""

    password = current_password_field(description="The password chosen when this account was created.")


class ConfirmWithNewPasswordForm(FlaskForm):
    """For the address's owner who did not register it, or forgot the password chosen."""

    password = new_password_field("New password")


class LoginForm(FlaskForm):
    email = email_field(required=True)
    password = current_password_field()
