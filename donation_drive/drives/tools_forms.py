"""Forms for the organiser tools: field checks only; the rules live in the domain modules."""

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
from ..core.submissions import OneTimeForm
from .models import PHOTO_ALT_MAX, UPDATE_MAX


class UpdateForm(OneTimeForm):
    body = TextAreaField(
        "Update",
        description='A few words for everyone following the drive, like "We did it — 7 bags in one morning".',
        filters=[strip],
        validators=[
            DataRequired("Please write something for the update."),
            Length(max=UPDATE_MAX, message=f"Please keep an update under {UPDATE_MAX} characters."),
        ],
        render_kw={"rows": 3, "maxlength": UPDATE_MAX},
    )


class InviteCoOrganiserForm(FlaskForm):
    email = email_field(required=True, description="They accept by logging in or registering with this address.")


class ParticipantForm(FlaskForm):
    """An organiser edits a participant's details.

    Whether their name is shown is not here: that is the participant's choice, made on
    their private page, so a value sent by an organiser is never read.
    """

    name = name_field("Name")
    units = units_field("Units pledged", limits.PARTICIPANT_UNITS_MAX)
    donation_type = donation_type_field()
    planned_on = date_field("Planned date", required=False, description="Optional.")


class NewParticipantForm(ParticipantForm, OneTimeForm):
    """An organiser adds a friend without email by hand, asking them first how to appear."""

    show_name = BooleanField(
        "Show their first name on the progress page",
        description="Only with their agreement. From then on only they can change it, with their private link.",
    )


class StageForm(FlaskForm):
    """Where a participant stands: pledged, booked (date and place) or went but was deferred."""

    stage = RadioField(
        "Stage",
        choices=[
            SelectChoice("pledged", "Pledged — no appointment yet"),
            SelectChoice("booked", "Booked — an appointment is made"),
            SelectChoice("deferred", "Went but was deferred — thank them for trying"),
        ],
        default="pledged",
        validators=[InputRequired("Please choose a stage.")],
    )
    booked_on = date_field("Appointment date", required=False, description="For a booked appointment.")
    booked_place = StringField(
        "Appointment place",
        description="The donation centre, for a booked appointment.",
        filters=[strip],
        validators=[
            Optional(),
            Length(max=limits.PLACE_MAX, message=f"Please keep this under {limits.PLACE_MAX} characters."),
        ],
        render_kw={"maxlength": limits.PLACE_MAX},
    )
    deferred_on = date_field("Date deferred", required=False, description="The day they went and were deferred.")


class CountingForm(FlaskForm):
    counts_reported = RadioField(
        "Reported donations",
        choices=[
            SelectChoice("at_once", "Count as soon as a participant reports them"),
            SelectChoice("confirmed", "Count only once an organiser confirms them"),
        ],
        validators=[InputRequired("Please choose when reported donations count.")],
    )


class PhotoForm(FlaskForm):
    photo = FileField("Cover photo")
    alt = StringField(
        "Describe the photo",
        description="A text alternative for people who can't see it, e.g. \"Jack smiling on the beach\".",
        filters=[strip],
        validators=[
            DataRequired("Please describe the photo for people who can't see it."),
            Length(max=PHOTO_ALT_MAX, message=f"Please keep this under {PHOTO_ALT_MAX} characters."),
        ],
        render_kw={"maxlength": PHOTO_ALT_MAX},
    )


class ExtendForm(FlaskForm):
    ends_on = date_field("New end date", required=True)


class DeleteDriveForm(FlaskForm):
    confirmation = StringField(
        "Type the drive's title to confirm",
        filters=[strip],
        validators=[DataRequired("Please type the drive's title to confirm.")],
        render_kw={"autocomplete": "off"},
    )


class PlainTimeField(TimeField):
    """A native time input whose parse error says how to fix it."""

    def process_formdata(self, valuelist: list[str]) -> None:
        try:
            super().process_formdata(valuelist)
        except ValueError as error:
            raise ValueError("Please give a time, like 09:30.") from error


class VisitForm(OneTimeForm):
    """Going together: a date, a time, a donation centre and the places available."""

    visit_on = date_field("Date of the visit", required=True)
    starts_at = PlainTimeField(
        "Time",
        description="Local time at the donation centre.",
        validators=[InputRequired("Please give a time, like 09:30.")],
    )
    centre = StringField(
        "Donation centre",
        filters=[strip],
        validators=[
            DataRequired("Please say which donation centre."),
            Length(max=limits.PLACE_MAX, message=f"Please keep this under {limits.PLACE_MAX} characters."),
        ],
        render_kw={"maxlength": limits.PLACE_MAX},
    )
    places = WholeNumberField(
        "Places available",
        default=7,
        validators=[
            InputRequired("Please say how many places there are."),
            NumberRange(1, 50, "Please offer from 1 to 50 places."),
        ],
        render_kw={"min": 1, "max": 50, "inputmode": "numeric"},
    )
