from flask_babel import gettext as _
from flask_wtf import FlaskForm
from wtforms import HiddenField, PasswordField, SelectChoice, SelectField, StringField
from wtforms.validators import DataRequired, Length

from ..core import limits
from ..core.fields import strip
from ..core.i18n import lazy_gettext as _l, lazy_ngettext
from ..drives.models import Drive
from .deletion import NOT_A_CO_ORGANISER, SUCCESSOR_FIELD_PREFIX, DriveFate, successor_field
from .models import TOKEN_NAME_MAX


class NewTokenForm(FlaskForm):
    name = StringField(
        _l("What is this token for?"),
        description=_l('A name to recognise it by, like "Blood service feed" or "Spreadsheet script".'),
        filters=[strip],
        validators=[
            DataRequired(_l("Please give the token a name.")),
            Length(max=TOKEN_NAME_MAX, message=lazy_ngettext(
                "Please keep the name under %(num)s character.",
                "Please keep the name under %(num)s characters.",
                TOKEN_NAME_MAX,
            )),
        ],
        render_kw={"maxlength": TOKEN_NAME_MAX, "autocomplete": "off"},
    )


class DeleteAccountForm(FlaskForm):
    """The password again, before the account and the drives only it holds are deleted."""

    #: The plan the page showed (account_deletion.plan_fingerprint): confirming applies only to it.
    plan = HiddenField()
    password = PasswordField(
        _l("Your password"),
        description=_l("To be sure it's you, type the password you log in with."),
        validators=[
            DataRequired(_l("Please type your password to confirm.")),
            Length(max=limits.PASSWORD_MAX, message=_l("That password is too long.")),
        ],
        render_kw={"autocomplete": "current-password"},
    )

    def successor_choice(self, drive: Drive) -> SelectField | None:
        """The field that picks `drive`'s new owner, when it has more than one co-organiser."""
        return self._fields.get(successor_field(drive))

    def chosen_successors(self) -> dict[int, int]:
        """Drive id -> the user id chosen as its new owner."""
        return {
            int(name.removeprefix(SUCCESSOR_FIELD_PREFIX)): int(field.data)
            for name, field in self._fields.items()
            if name.startswith(SUCCESSOR_FIELD_PREFIX)
        }


def delete_account_form(plan: list[DriveFate]) -> DeleteAccountForm:
    """The form with a choice of new owner for each drive that more than one co-organiser could take."""

    class Form(DeleteAccountForm):
        pass

    for item in plan:
        if len(item.successors) > 1:
            setattr(Form, successor_field(item.drive), SelectField(
                _("New owner of “%(title)s”", title=item.drive.title),
                choices=[SelectChoice(str(user.id), user.name) for user in item.successors],
                default=str(item.successors[0].id),
                validate_choice=True,
                invalid_choice_message=str(NOT_A_CO_ORGANISER),
            ))
    return Form()
