"""What the API takes and answers, said once: these schemas validate input, serialise output and
generate /api/openapi.json (flask-smorest with marshmallow, see api/documented.py).

Never an email address or a private link in an answer: organisers see a participant's name only.

Refused input is explained in the request's language (Accept-Language): our own messages, and
marshmallow's for the input fields below (`Said`). The descriptions in /api/openapi.json stay English.
"""

from datetime import datetime
from typing import Any

from flask import url_for
from marshmallow import Schema, ValidationError, fields, validate

from ..core.i18n import lazy_gettext as _l
from ..core.limits import GROUP_UNITS_MAX, ID_MAX
from ..counting.milestones import EXCEEDED
from ..donations.models import DonationStatus, DonationType, LoggedBy
from ..drives.models import Dedication, DriveStatus
from ..participation.operations import SHOWN_NAMES_MAX
from ..public.caching import as_utc

PER_PAGE_DEFAULT = 20
PER_PAGE_MAX = 100
#: Deep pages cost a large OFFSET and nobody reads them; cursors can come later if needed.
PAGE_MAX = 10_000
MILESTONE_PERCENTS = [25, 50, 75, 100]


def _whole_numbers(low: int, high: int) -> validate.Range:
    # marshmallow fills in {min} and {max} when it refuses a number, in the language of that request.
    return validate.Range(low, high, error=_l("Use a whole number from {min} to {max}."))


class Said:
    """Marshmallow's own messages for an input field, in the request's language.

    Put first among an input field's bases; each field below names its own "invalid" message.
    """

    default_error_messages: dict[str, Any] = {  # noqa: RUF012 (marshmallow reads the class's own)
        "required": _l("Missing data for required field."),
        "null": _l("Field may not be null."),
        "validator_failed": _l("Invalid value."),
    }
    error_messages: dict[str, Any]

    def make_error(self, key: str, **kwargs: Any) -> ValidationError:
        # A lazy message is said now, then its {placeholders} are filled in as marshmallow would.
        return ValidationError(str(self.error_messages[key]).format(**kwargs))


class InputSchema(Schema):
    """A body or query the API takes: its refusals of the whole input, in the request's language."""

    error_messages: dict[str, Any] = {  # noqa: RUF012 (marshmallow reads the class's own)
        "type": _l("Invalid input type."),
        "unknown": _l("Unknown field."),
    }


class Count(Said, fields.Integer):
    """A JSON whole number: not true or false (Python counts them as ints), not "7", not 1.5."""

    default_error_messages: dict[str, Any] = {  # noqa: RUF012 (marshmallow reads the class's own)
        "invalid": _l("Not a valid integer."), "too_large": _l("Number too large."),
    }

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise self.make_error("invalid")
        return super()._deserialize(value, attr, data, **kwargs)


class QueryNumber(Said, fields.Integer):
    """A whole number in a query string, ASCII digits only: int() would also take "１" or " 1"."""

    default_error_messages: dict[str, Any] = {  # noqa: RUF012 (marshmallow reads the class's own)
        "invalid": _l("Not a valid integer."), "too_large": _l("Number too large."),
    }

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> int:
        if not isinstance(value, str) or not value.isascii() or not value.isdigit():
            raise self.make_error("invalid")
        return super()._deserialize(value, attr, data, **kwargs)


class Flag(Said, fields.Boolean):
    """JSON true or false only, not "yes" or 1."""

    default_error_messages: dict[str, Any] = {"invalid": _l("Use true or false.")}  # noqa: RUF012 (marshmallow reads the class's own)

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> bool:
        if not isinstance(value, bool):
            raise self.make_error("invalid")
        return value


class Day(Said, fields.Date):
    """A date as the API takes it, e.g. 2026-11-27."""

    default_error_messages: dict[str, Any] = {"invalid": _l("Not a valid date.")}  # noqa: RUF012 (marshmallow reads the class's own)


class Choice(Said, fields.Enum):
    """One of an enumeration's values."""

    default_error_messages: dict[str, Any] = {"unknown": _l("Must be one of: {choices}.")}  # noqa: RUF012 (marshmallow reads the class's own)


class Moment(fields.DateTime):
    """A stored moment in UTC to the second, e.g. 2026-11-27T10:00:00+00:00."""

    def _serialize(self, value: datetime | None, attr: str | None, obj: Any, **kwargs: Any) -> str | None:
        return as_utc(value).replace(microsecond=0).isoformat() if value else None


class Link(fields.String):
    """The absolute address of a drive's resource, from the drive's slug."""

    def __init__(self, endpoint: str, **kwargs: Any) -> None:
        super().__init__(dump_only=True, **kwargs)
        self.metadata = {"format": "uri", **self.metadata}
        self.endpoint = endpoint

    def _serialize(self, value: Any, attr: str | None, obj: Any, **kwargs: Any) -> str:
        return url_for(self.endpoint, slug=value, _external=True)


# --- Errors ---


class ErrorDetail(Schema):
    code = fields.Integer(required=True, metadata={"description": "The HTTP status, as in the first API."})
    reason = fields.String(required=True, metadata={"description": "Stable, e.g. not_found, invalid, token_invalid."})
    message = fields.String(required=True, metadata={"description": "What went wrong, in plain words."})
    fields_ = fields.Dict(
        data_key="fields", attribute="fields", required=True, keys=fields.String(),
        values=fields.List(fields.String()),
        metadata={"description": "Messages per input field, when the input was refused."},
    )


class Error(Schema):
    """Every error under /api/."""

    error = fields.Nested(ErrorDetail, required=True)


# --- Drives and their progress ---


class DriveProgress(Schema):
    """/api/drives/<slug> since the first release, dumped from {"drive", "progress"}; scripts rely on it."""

    slug = fields.String(required=True, attribute="drive.slug")
    title = fields.String(required=True, attribute="drive.title")
    dedication = fields.Enum(Dedication, by_value=True, required=True, attribute="drive.dedication")
    honoree = fields.String(required=True, attribute="drive.honoree")
    target_units = fields.Integer(required=True, attribute="progress.target_units", validate=validate.Range(1))
    units_donated = fields.Integer(
        required=True, attribute="progress.units_donated", validate=validate.Range(0),
        metadata={"description": "Units of donations that count: not rejected, and confirmed when the "
                                 "drive counts only confirmed donations."},
    )
    units_pledged = fields.Integer(required=True, attribute="progress.units_pledged", validate=validate.Range(0))
    participant_count = fields.Integer(required=True, attribute="progress.participant_count",
                                       validate=validate.Range(0))
    percent = fields.Integer(required=True, attribute="progress.percent", validate=validate.Range(0),
                             metadata={"description": "Not capped: 9 of 7 is 128."})
    target_reached = fields.Boolean(required=True, attribute="progress.target_reached")
    summary = fields.String(required=True, attribute="progress.summary", metadata={"examples": ["5 of 7 units"]})
    status = fields.Enum(DriveStatus, by_value=True, required=True, attribute="drive.status")
    starts_on = fields.Date(required=True, attribute="drive.starts_on")
    ends_on = fields.Date(required=True, attribute="drive.ends_on")
    place = fields.String(required=True, attribute="drive.place")
    url = Link("public.progress_page", required=True, attribute="drive.slug",
               metadata={"description": "The public progress page."})


class Milestone(Schema):
    """A milestone as the progress page's timeline shows it, dumped from a TimelineEntry."""

    threshold = fields.Function(
        lambda entry: "exceeded" if entry.percent == EXCEEDED else str(entry.percent), required=True,
        metadata={"type": "string", "enum": [*map(str, MILESTONE_PERCENTS), "exceeded"]},
    )
    percent = fields.Function(lambda entry: min(entry.percent, 100), required=True,
                              metadata={"type": "integer", "enum": MILESTONE_PERCENTS})
    target_exceeded = fields.Function(lambda entry: entry.percent == EXCEEDED, required=True,
                                      metadata={"type": "boolean"})
    reached_on = fields.Date(required=True)


class Ripple(Schema):
    """Drives started inspired by this one (at any depth), and the units given across this drive and all of them."""

    inspired_count = fields.Integer(required=True, validate=validate.Range(0))
    units_total = fields.Integer(required=True, validate=validate.Range(0))


class DriveLinks(Schema):
    """Where a drive's other resources are, dumped from the drive."""

    participants = Link("api.v1.drive_participants", required=True, attribute="slug")
    badge = Link("public.badge", required=True, attribute="slug")
    embed = Link("public.embed_page", required=True, attribute="slug")


class DriveProgressV1(DriveProgress):
    """Version 1 adds when the drive last changed, and everything else its progress page counts:
    people booked and deferred, the names it lists and how many it leaves out, its milestones, its
    ripple; and where its other resources are. Dumped from {"drive", "progress", "shown_names",
    "milestones", "ripple"}."""

    changed_at = Moment(required=True, attribute="drive.changed_at")
    people_booked = fields.Integer(
        required=True, attribute="progress.people_booked", validate=validate.Range(0),
        metadata={"description": "People with an appointment booked who have not donated yet."},
    )
    attempts_deferred = fields.Integer(
        required=True, attribute="progress.attempts_deferred", validate=validate.Range(0),
        metadata={"description": "People who went to donate and were deferred (no units)."},
    )
    shown_names = fields.List(
        fields.String(), required=True, validate=validate.Length(max=SHOWN_NAMES_MAX),
        metadata={
            "description": "The names the progress page lists: participants who agreed to be shown, each as "
                           "they chose (first name, initials or full name), earliest first, at most "
                           f"{SHOWN_NAMES_MAX}. Anonymous participants are only counted; links.participants "
                           "pages through every shown name.",
            "examples": [["Amira", "C. M.", "Erin Walsh"]],
        },
    )
    people_shown = fields.Integer(
        required=True, attribute="progress.people_shown", validate=validate.Range(0),
        metadata={"description": f"Participants who agreed to be shown; beyond the first {SHOWN_NAMES_MAX} "
                                 "(shown_names) the page only counts them."},
    )
    people_anonymous = fields.Integer(
        required=True, attribute="progress.people_anonymous", validate=validate.Range(0),
        metadata={"description": "Participants not named (the default): participant_count minus people_shown."},
    )
    milestones = fields.List(fields.Nested(Milestone), required=True, validate=validate.Length(max=5),
                             metadata={"description": "The milestones reached so far, lowest first."})
    ripple = fields.Nested(Ripple, required=True)
    links = fields.Nested(DriveLinks, required=True, attribute="drive")


class Pagination(Schema):
    page = fields.Integer(required=True, validate=validate.Range(1))
    per_page = fields.Integer(required=True, validate=validate.Range(1, PER_PAGE_MAX))
    total = fields.Integer(required=True, validate=validate.Range(0))
    pages = fields.Integer(required=True, validate=validate.Range(0))


class PublicParticipant(Schema):
    display_name = fields.String(
        required=True, metadata={"description": "As its owner chose: first name (the default), initials or full name."}
    )


class PublicParticipants(Schema):
    participants = fields.List(fields.Nested(PublicParticipant), required=True)
    pagination = fields.Nested(Pagination, required=True)


class Update(Schema):
    """An organiser's update as the progress page shows it: text and dates, no author email."""

    id = fields.Integer(required=True)
    body = fields.String(required=True)
    created_at = Moment(required=True)
    edited_at = Moment(required=True, allow_none=True)


class Updates(Schema):
    updates = fields.List(fields.Nested(Update), required=True)
    pagination = fields.Nested(Pagination, required=True)


class Milestones(Schema):
    milestones = fields.List(fields.Nested(Milestone), required=True)


class MyDrives(Schema):
    drives = fields.List(fields.Nested(DriveProgress), required=True)


# --- Donations, for organisers ---


class ParticipantRef(Schema):
    id = fields.Integer(required=True)
    name = fields.String(required=True)


class Donation(Schema):
    """A donation as its drive's organisers see it: the participant's name, not their email."""

    id = fields.Integer(required=True)
    units = fields.Integer(required=True, validate=validate.Range(1))
    donation_type = fields.Enum(DonationType, by_value=True, required=True)
    donated_on = fields.Date(required=True)
    status = fields.Enum(DonationStatus, by_value=True, required=True)
    logged_by = fields.Enum(LoggedBy, by_value=True, required=True)
    participant = fields.Nested(ParticipantRef, required=True, allow_none=True)


class Donations(Schema):
    donations = fields.List(fields.Nested(Donation), required=True)
    pagination = fields.Nested(Pagination, required=True)


class DonationDone(Schema):
    """The donation and the drive's progress after it, dumped from {"donation", "progress": {"drive", "progress"}}."""

    donation = fields.Nested(Donation, required=True)
    progress = fields.Nested(DriveProgress, required=True)


# --- Input ---


class PageQuery(InputSchema):
    page = QueryNumber(load_default=1, validate=_whole_numbers(1, PAGE_MAX))
    per_page = QueryNumber(load_default=PER_PAGE_DEFAULT, validate=_whole_numbers(1, PER_PAGE_MAX))


class DonationsQuery(PageQuery):
    status = Choice(DonationStatus, by_value=True, load_default=None)


class NewDonation(InputSchema):
    """Units donated, for the group or one participant; they count as confirmed."""

    units = Count(required=True, validate=_whole_numbers(1, GROUP_UNITS_MAX))
    donation_type = Choice(DonationType, by_value=True, required=True)
    donated_on = Day(required=True, metadata={"description": "Not in the future, not before the drive started."})
    participant_id = Count(
        load_default=None, allow_none=True, validate=_whole_numbers(1, ID_MAX),
        metadata={"description": "Leave out to log units for the group. Units for one participant are at most "
                                 "what one donation of the type gives: whole blood 1, double red cells 2, "
                                 "platelets 3, plasma 1."},
    )
    confirm = Flag(
        load_default=False,
        metadata={"description": "Units beyond what is left of the target by more than a tenth of the target "
                                 "(at least 2) are refused with 422 unless this is true: a second look, as the "
                                 "organiser page asks, before everyone sees the count."},
    )
