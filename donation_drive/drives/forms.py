from functools import cache
from typing import Any

from flask_babel import format_decimal, gettext as _
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import HiddenField, RadioField, SelectChoice, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, ValidationError

from ..core import limits
from ..core.fields import (
    CHOICE_MESSAGE,
    WholeNumberField,
    date_field,
    donation_type_field,
    name_field,
    strip,
    units_field,
)
from ..core.i18n import LazyText, lazy_gettext as _l, lazy_ngettext
from ..core.languages import DEFAULT_LANGUAGE, LANGUAGES, offered
from ..core.rules import FALLBACK_ZONE, RuleBroken, is_time_zone, time_zone_names
from ..core.submissions import OneTimeForm
from ..public.photos import PHOTO_MAX_BYTES
from .models import PHOTO_ALT_MAX, Dedication, UnitNoun, Visibility
from .operations import DEFAULT_TIME_ZONE, DriveDetails, check_time_zone
from .slugs import ADDRESS_MAX, address_problem

DEDICATION_CHOICES = [
    SelectChoice(Dedication.IN_MEMORY.value, _l("In memory of someone")),
    SelectChoice(Dedication.IN_HONOUR.value, _l("In honour of someone")),
    SelectChoice(Dedication.CAUSE.value, _l("For a cause")),
]
#: The word the drive's page counts in: "5 of 7 bags".
UNIT_NOUN_CHOICES = [
    SelectChoice(UnitNoun.BAGS.value, _l("Bags — “5 of 7 bags”")),
    SelectChoice(UnitNoun.DONATIONS.value, _l("Donations — “5 of 7 donations”")),
    SelectChoice(UnitNoun.UNITS.value, _l("Units — “5 of 7 units”")),
]
#: Unlisted first, and by default: listing a drive for strangers to come across is a choice.
VISIBILITY_CHOICES = [
    SelectChoice(Visibility.UNLISTED.value,
                 _l("Only people you share the link with. The page isn't listed anywhere on this site.")),
    SelectChoice(Visibility.PUBLIC.value,
                 _l("Anyone. The page is also listed on this site's home page, for anyone to find.")),
]
#: The areas of the IANA names people live in. The rest (Etc/GMT+5, US/Eastern, Factory…) are
#: offsets and old aliases: they would only make a long list longer.
TIME_ZONE_AREAS = ("Africa", "America", "Antarctica", "Arctic", "Asia", "Atlantic", "Australia", "Europe",
                   "Indian", "Pacific")
#: The group holding UTC, and a drive's zone outside the areas (one set before the list was short).
OTHER_ZONES = "Other"
#: Each group's name as the select shows it (the IANA areas' English names are also their keys).
ZONE_GROUP_NAMES = {
    "Africa": _l("Africa"),
    "America": _l("America"),
    "Antarctica": _l("Antarctica"),
    "Arctic": _l("Arctic"),
    "Asia": _l("Asia"),
    "Atlantic": _l("Atlantic"),
    "Australia": _l("Australia"),
    "Europe": _l("Europe"),
    "Indian": _l("Indian"),  # the Indian Ocean
    "Pacific": _l("Pacific"),
    OTHER_ZONES: _l("Other"),
}
#: Said when the language sent is none of those offered.
LANGUAGE_MESSAGE = _l("Please choose one of the languages in the list.")


@cache
def _zones_by_area() -> dict[str, list[SelectChoice]]:
    """Every zone of TIME_ZONE_AREAS by area, by place name: "Europe" holds "London" (Europe/London)."""
    by_area: dict[str, list[SelectChoice]] = {area: [] for area in TIME_ZONE_AREAS}
    for name in sorted(time_zone_names()):
        area, _slash, place = name.partition("/")
        if area in by_area and place:
            by_area[area].append(SelectChoice(name, place.replace("_", " ").replace("/", " – ")))
    return by_area


def time_zone_choices(current: str | None) -> dict[str, list[SelectChoice]]:
    """The time zone select's options in groups, with `current` among them if it is a real zone.

    The groups are named in the reader's language; the places keep the names the zones have.
    """
    other = [SelectChoice(FALLBACK_ZONE, _("UTC (no summer time)"))]
    area = (current or "").partition("/")[0]
    if current and area not in TIME_ZONE_AREAS and current != FALLBACK_ZONE and is_time_zone(current):
        other.append(SelectChoice(current, current))
    groups = {**_zones_by_area(), OTHER_ZONES: other}
    return {str(ZONE_GROUP_NAMES[group]): zones for group, zones in groups.items()}


def _number(value: int) -> LazyText:
    """`value` as the reader's language writes numbers ("10,000"), when a message is shown."""
    return LazyText(format_decimal, value)


class DriveForm(OneTimeForm):
    title = StringField(
        _l("Title"),
        description=_l('A short name people will recognise, like "7 for Jack".'),
        filters=[strip],
        validators=[
            DataRequired(_l("Please give the drive a title.")),
            Length(max=limits.TITLE_MAX, message=lazy_ngettext(
                "Please keep the title under %(num)s character.", "Please keep the title under %(num)s characters.",
                limits.TITLE_MAX)),
        ],
        render_kw={"maxlength": limits.TITLE_MAX, "autocomplete": "off"},
    )
    dedication = RadioField(
        _l("Dedication"),
        choices=DEDICATION_CHOICES,
        default=Dedication.IN_MEMORY.value,
        invalid_choice_message=CHOICE_MESSAGE,
        validators=[InputRequired(_l("Please choose who or what the drive is for."))],
    )
    honoree = name_field(_l("Name of the person or cause"), _l('For example "Jack Smith" or "our local hospital".'))
    story = TextAreaField(
        _l("Story"),
        description=_l("Why this drive matters. Friends read this before they sign up."),
        filters=[strip],
        validators=[
            Length(max=limits.STORY_MAX, message=lazy_ngettext(
                "Please keep the story under %(num)s character.", "Please keep the story under %(num)s characters.",
                limits.STORY_MAX)),
        ],
        render_kw={"rows": 6, "maxlength": limits.STORY_MAX},
    )
    target_units = WholeNumberField(
        _l("Target units"),
        default=7,
        description=_l("One unit is one bag of blood, one donation."),
        validators=[
            InputRequired(_l("Please set a target.")),
            NumberRange(
                1, limits.TARGET_UNITS_MAX,
                _l("Please choose a target from 1 to %(max)s units.", max=_number(limits.TARGET_UNITS_MAX)),
            ),
        ],
        render_kw={"min": 1, "max": limits.TARGET_UNITS_MAX, "inputmode": "numeric"},
    )
    #: Optional: a form that doesn't send it (one rendered before the choice, a script) leaves the
    #: drive counting as it did.
    unit_noun = RadioField(
        _l("Count in"),
        description=_l(
            "The word your drive's page uses for what friends give. Each is one donation at the blood service."
        ),
        choices=UNIT_NOUN_CHOICES,
        # The drive's own UnitNoun in and out (the edit form starts from the drive itself).
        coerce=UnitNoun,
        default=UnitNoun.UNITS,
        invalid_value_message=CHOICE_MESSAGE,
        invalid_choice_message=CHOICE_MESSAGE,
    )
    starts_on = date_field(_l("Start date"), required=True)
    ends_on = date_field(_l("End date"), required=True)
    #: Any name zoneinfo knows is taken (validate_timezone), so a zone outside the list stays valid.
    timezone = SelectField(
        _l("Time zone"),
        description=_l("Dates and reminders follow this time zone."),
        default=DEFAULT_TIME_ZONE,
        validate_choice=False,
        validators=[DataRequired(_l("Please choose the time zone the drive's dates follow."))],
        # A zone is always selected, and every option sits in an area's <optgroup>: HTML allows
        # `required` on a select only with a placeholder option, which this one has no need of.
        render_kw={"required": False},
    )
    #: Optional like unit_noun: a form that doesn't send it keeps the drive's language (a new drive's
    #: view passes its organiser's). Each language is named in itself, as the switcher names it.
    language = SelectField(
        _l("Language of the drive's emails"),
        choices=[SelectChoice(code, name) for code, name in LANGUAGES.items()],
        description=_l("Friends whose own language we don't know get the drive's emails in this one."),
        default=DEFAULT_LANGUAGE,
        invalid_choice_message=LANGUAGE_MESSAGE,
    )
    place = StringField(
        _l("Place"),
        description=_l("Optional: the town or donation centre."),
        filters=[strip],
        validators=[Length(max=limits.PLACE_MAX, message=lazy_ngettext(
            "Please keep this under %(num)s character.", "Please keep this under %(num)s characters.",
            limits.PLACE_MAX))],
        render_kw={"maxlength": limits.PLACE_MAX, "autocomplete": "address-level2"},
    )
    visibility = RadioField(
        _l("Who can find the drive's page"),
        description=_l("Either way, anyone who has the link can open the page, so friends can send it on."),
        choices=VISIBILITY_CHOICES,
        default=Visibility.UNLISTED.value,
        invalid_choice_message=CHOICE_MESSAGE,
        validators=[InputRequired(_l("Please choose who can find the drive."))],
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.timezone.raw_data and not is_time_zone(self.timezone.data or ""):
            # A drive whose stored zone is no zone counts its days in UTC: show the form so.
            self.timezone.data = FALLBACK_ZONE
        self.timezone.choices = time_zone_choices(self.timezone.data)
        if not self.language.raw_data:
            # Shown as the drive has it ("pt-br" is "pt_BR"); a code no longer offered shows English.
            self.language.data = offered(self.language.data) or DEFAULT_LANGUAGE

    def validate_timezone(self, field: SelectField) -> None:
        try:
            check_time_zone(field.data)
        except RuleBroken as error:
            raise ValidationError(error.message) from error

    def details(self) -> DriveDetails:
        """What the organiser wrote, as the drive operations take it."""
        return DriveDetails(
            title=self.title.data,
            dedication=Dedication(self.dedication.data),
            honoree=self.honoree.data,
            story=self.story.data or "",
            target_units=self.target_units.data,
            unit_noun=self.unit_noun.data,
            starts_on=self.starts_on.data,
            ends_on=self.ends_on.data,
            timezone=self.timezone.data,
            place=self.place.data or "",
            visibility=Visibility(self.visibility.data),
            language=self.language.data,
        )


class NewDriveForm(DriveForm):
    """The drive form for a new drive: it also chooses the drive's address, which never changes after."""

    slug = StringField(
        _l("Web address"),
        description=_l("The page's link ends with this, as in …/d/7-for-jack. Use lower-case letters, numbers and "
                       "hyphens, or leave it empty to have it made from the title. It stays the same for good, "
                       "so the links you share keep working."),
        filters=[strip],
        render_kw={"maxlength": ADDRESS_MAX, "autocomplete": "off", "autocapitalize": "none", "spellcheck": "false"},
    )

    def validate_slug(self, field: StringField) -> None:
        # A NUL was refused already (strip); one message about it is enough.
        problem = address_problem(field.data) if field.data and not field.errors else None
        if problem:
            raise ValidationError(problem)


class NewDriveWithPhotoForm(NewDriveForm):
    """The new-drive form of "Start a drive": it may bring the cover photo too (sent as multipart)."""

    photo = FileField(
        _l("Cover photo (optional)"),
        description=_l("A photo of the person or the cause, at the top of the drive's page. "
                       "A JPEG, PNG or WebP under %(size)s MB. You can add or change it later.",
                       size=PHOTO_MAX_BYTES // (1024 * 1024)),
        render_kw={"accept": "image/jpeg,image/png,image/webp"},
    )
    photo_alt = StringField(
        _l("Describe the photo"),
        description=_l("Only with a photo: a text alternative for people who can't see it, "
                       "e.g. \"Jack smiling on the beach\"."),
        filters=[strip],
        validators=[Length(max=PHOTO_ALT_MAX, message=lazy_ngettext(
            "Please keep this under %(num)s character.", "Please keep this under %(num)s characters.",
            PHOTO_ALT_MAX))],
        render_kw={"maxlength": PHOTO_ALT_MAX},
    )

    def validate_photo_alt(self, field: StringField) -> None:
        if self.photo.data and not field.data:
            raise ValidationError(_("Please describe the photo for people who can't see it."))


class LogDonationForm(OneTimeForm):
    participant_id = SelectField(
        _l("For"),
        coerce=int,
        default=0,
        invalid_value_message=CHOICE_MESSAGE,
        invalid_choice_message=CHOICE_MESSAGE,
    )
    units = units_field(_l("Units"), limits.GROUP_UNITS_MAX, description=_l("Bags donated."))
    donation_type = donation_type_field()
    donated_on = date_field(_l("Date donated"), required=True)
    #: "yes" once the organiser took a second look at units far beyond the target (donations.NeedsConfirming).
    confirmed = HiddenField()

    def set_participants(self, participants: list) -> None:
        self.participant_id.choices = [SelectChoice(0, _("The group (nobody in particular)"))] + [
            SelectChoice(participant.id, participant.name) for participant in participants
        ]


class ActionForm(FlaskForm):
    """A button that changes something: only the CSRF token is sent."""
