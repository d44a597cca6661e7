"""Forms for the organiser tools: field checks only; the rules live in the domain modules."""

from flask_babel import gettext as _
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import BooleanField, RadioField, SelectChoice, StringField, TextAreaField, TimeField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from ..core import limits
from ..core.fields import (
    WholeNumberField,
    date_field,
    donation_type_field,
    email_field,
    name_field,
    strip,
    units_field,
)
from ..core.i18n import lazy_gettext as _l, lazy_ngettext
from ..core.submissions import OneTimeForm
from .models import PHOTO_ALT_MAX, UPDATE_MAX


def _keep_under(maximum: int):
    """The message of a field that takes at most `maximum` characters."""
    return lazy_ngettext("Please keep this under %(num)s character.", "Please keep this under %(num)s characters.",
                         maximum)


class UpdateForm(OneTimeForm):
    body = TextAreaField(
        _l("Update"),
        description=_l('A few words for everyone following the drive, like "We did it — 7 bags in one morning".'),
        filters=[strip],
        validators=[
            DataRequired(_l("Please write something for the update.")),
            Length(max=UPDATE_MAX, message=lazy_ngettext("Please keep an update under %(num)s character.",
                                                         "Please keep an update under %(num)s characters.",
                                                         UPDATE_MAX)),
        ],
        render_kw={"rows": 3, "maxlength": UPDATE_MAX},
    )


class InviteCoOrganiserForm(FlaskForm):
    email = email_field(required=True, description=_l("They accept by logging in or registering with this address."))


class ParticipantForm(FlaskForm):
    """An organiser edits a participant's details.

    Whether their name is shown is not here: that is the participant's choice, made on
    their private page, so a value sent by an organiser is never read.
    """

    name = name_field(_l("Name"))
    units = units_field(_l("Units pledged"), limits.PARTICIPANT_UNITS_MAX)
    donation_type = donation_type_field()
    planned_on = date_field(_l("Planned date"), required=False, description=_l("Optional."))


class NewParticipantForm(ParticipantForm, OneTimeForm):
    """An organiser adds a friend without email by hand, asking them first how to appear."""

    show_name = BooleanField(
        _l("Show their first name on the progress page"),
        description=_l("Only with their agreement. From then on only they can change it, with their private link."),
    )


class StageForm(FlaskForm):
    """Where a participant stands: pledged, booked (date and place) or went but was deferred."""

    stage = RadioField(
        _l("Stage"),
        choices=[
            SelectChoice("pledged", _l("Pledged — no appointment yet")),
            SelectChoice("booked", _l("Booked — an appointment is made")),
            SelectChoice("deferred", _l("Went but was deferred — thank them for trying")),
        ],
        default="pledged",
        validators=[InputRequired(_l("Please choose a stage."))],
    )
    booked_on = date_field(_l("Appointment date"), required=False, description=_l("For a booked appointment."))
    booked_place = StringField(
        _l("Appointment place"),
        description=_l("The donation centre, for a booked appointment."),
        filters=[strip],
        validators=[
            Optional(),
            Length(max=limits.PLACE_MAX, message=_keep_under(limits.PLACE_MAX)),
        ],
        render_kw={"maxlength": limits.PLACE_MAX},
    )
    deferred_on = date_field(_l("Date deferred"), required=False,
                             description=_l("The day they went and were deferred."))


class CountingForm(FlaskForm):
    counts_reported = RadioField(
        _l("Reported donations"),
        choices=[
            SelectChoice("at_once", _l("Count as soon as a participant reports them")),
            SelectChoice("confirmed", _l("Count only once an organiser confirms them")),
        ],
        validators=[InputRequired(_l("Please choose when reported donations count."))],
    )


class PhotoForm(FlaskForm):
    photo = FileField(_l("Cover photo"))
    alt = StringField(
        _l("Describe the photo"),
        description=_l("A text alternative for people who can't see it, e.g. \"Jack smiling on the beach\"."),
        filters=[strip],
        validators=[
            DataRequired(_l("Please describe the photo for people who can't see it.")),
            Length(max=PHOTO_ALT_MAX, message=_keep_under(PHOTO_ALT_MAX)),
        ],
        render_kw={"maxlength": PHOTO_ALT_MAX},
    )


class ExtendForm(FlaskForm):
    ends_on = date_field(_l("New end date"), required=True)


class DeleteDriveForm(FlaskForm):
    confirmation = StringField(
        _l("Type the drive's title to confirm"),
        filters=[strip],
        validators=[DataRequired(_l("Please type the drive's title to confirm."))],
        render_kw={"autocomplete": "off"},
    )


class PlainTimeField(TimeField):
    """A native time input whose parse error says how to fix it."""

    def process_formdata(self, valuelist: list[str]) -> None:
        try:
            super().process_formdata(valuelist)
        except ValueError as error:
            raise ValueError(_("Please give a time, like 09:30.")) from error


class VisitForm(OneTimeForm):
    """Going together: a date, a time, a donation centre and the places available."""

    visit_on = date_field(_l("Date of the visit"), required=True)
    starts_at = PlainTimeField(
        _l("Time"),
        description=_l("Local time at the donation centre."),
        validators=[InputRequired(_l("Please give a time, like 09:30."))],
    )
    centre = StringField(
        _l("Donation centre"),
        filters=[strip],
        validators=[
            DataRequired(_l("Please say which donation centre.")),
            Length(max=limits.PLACE_MAX, message=_keep_under(limits.PLACE_MAX)),
        ],
        render_kw={"maxlength": limits.PLACE_MAX},
    )
    places = WholeNumberField(
        _l("Places available"),
        default=7,
        validators=[
            InputRequired(_l("Please say how many places there are.")),
            NumberRange(1, 50, _l("Please offer from 1 to 50 places.")),
        ],
        render_kw={"min": 1, "max": 50, "inputmode": "numeric"},
    )
