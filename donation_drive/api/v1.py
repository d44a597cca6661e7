"""Version 1 of the JSON API: public reads, and organiser actions with a personal API token."""

import hashlib
from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import Response, jsonify, request
from sqlalchemy import func

from ..core import ratelimits
from ..core.extensions import db
from ..core.limits import GROUP_UNITS_MAX, ID_MAX
from ..core.rules import RuleBroken
from ..counting import milestones
from ..counting.ripple import ripple_of
from ..counting.tallies import progress_of, progress_of_drives
from ..donations import operations as donations
from ..donations.models import Donation, DonationStatus, DonationType
from ..drives import operations as drives
from ..drives.models import Drive, Update
from ..participation import operations as participation
from ..participation.models import Participant
from ..privacy.names import shown_name
from ..public.caching import cached_drive_view, plausible_slug
from . import representations
from .errors import refuse
from .requests import (
    FieldErrors,
    api_user,
    choice_field,
    date_field,
    flag_field,
    integer_field,
    json_object,
    page_meta,
    pagination,
)

DRIVE_NOT_FOUND = "There is no drive with that slug."
MY_DRIVE_NOT_FOUND = "You organise no drive with that slug."
DONATION_FIELDS = {"units", "donation_type", "donated_on", "participant_id", "confirm"}
DONATION_STATUSES = [status.value for status in DonationStatus]


def public_read(view: Callable[..., Any]) -> Callable[..., Any]:
    """Anyone's page may read public progress, so any origin may fetch it (no credentials)."""

    @wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        response: Response = view(*args, **kwargs)
        response.headers["Access-Control-Allow-Origin"] = "*"
        response.headers["Access-Control-Expose-Headers"] = "ETag, Last-Modified"
        return response

    return wrapper


def _query_variant(name: str) -> Callable[[], str]:
    # Each page of a list is its own representation; hash the query so any input is a safe token.
    return lambda: f"{name}.{hashlib.sha256(request.query_string).hexdigest()[:10]}"


def _public_drive(slug: str) -> Drive:
    drive = drives.public_drive(slug) if plausible_slug(slug) else None
    if drive is None:
        refuse(404, DRIVE_NOT_FOUND)
    return drive


def _private(response: Response) -> Response:
    """Organiser data: never kept by a shared cache."""
    response.headers["Cache-Control"] = "private, no-store"
    return response


# --- Public reads ---


@public_read
@cached_drive_view("json-v1")
def drive_progress(slug: str) -> Response:
    drive = _public_drive(slug)
    return jsonify(representations.drive_progress_v1(
        drive, progress_of(drive), participation.shown_names(drive), milestones.timeline(drive), ripple_of(drive)
    ))


@public_read
@cached_drive_view(_query_variant("participants"))
def drive_participants(slug: str) -> Response:
    """The names of participants who agreed to be shown, as each chose to show it, a page at a time."""
    page, per_page = pagination()
    drive = _public_drive(slug)
    shown = (Participant.drive_id == drive.id) & Participant.show_name.is_(True)
    total = db.session.scalar(db.select(func.count(Participant.id)).where(shown)) or 0
    rows = db.session.execute(
        db.select(Participant.name, Participant.name_shown_as).where(shown).order_by(Participant.id)
        .offset((page - 1) * per_page).limit(per_page)
    )
    return jsonify({
        "participants": [{"display_name": shown_name(name, shown_as)} for name, shown_as in rows],
        "pagination": page_meta(page, per_page, total),
    })


# --- Organiser actions, with a token ---


def _my_drive(slug: str) -> Drive:
    user = api_user()
    drive = drives.drive_for_organiser(slug, user) if plausible_slug(slug) else None
    if drive is None:
        refuse(404, MY_DRIVE_NOT_FOUND)
    return drive


def my_drives() -> Response:
    mine = drives.drives_of(api_user())
    progress = progress_of_drives(mine)
    return _private(jsonify({
        "drives": [representations.drive_progress(drive, progress[drive.id]) for drive in mine]
    }))


def drive_donations(slug: str) -> Response:
    drive = _my_drive(slug)
    page, per_page = pagination()
    wanted = request.args.get("status")
    if wanted is not None and wanted not in DONATION_STATUSES:
        refuse(400, "'status' must be one of: " + ", ".join(DONATION_STATUSES) + ".",
               {"status": ["Unknown status."]}, "invalid_parameter")
    where = Donation.drive_id == drive.id
    if wanted is not None:
        where = where & (Donation.status == DonationStatus(wanted))
    total = db.session.scalar(db.select(func.count(Donation.id)).where(where)) or 0
    rows = db.session.scalars(
        db.select(Donation).where(where).order_by(Donation.id.desc())
        .offset((page - 1) * per_page).limit(per_page)
    )
    return _private(jsonify({
        "donations": [representations.donation(row) for row in rows],
        "pagination": page_meta(page, per_page, total),
    }))


def _participant_of(drive: Drive, participant_id: int | None) -> Participant | None:
    if participant_id is None:
        return None
    participant = db.session.get(Participant, participant_id)
    if participant is None or participant.drive_id != drive.id:
        refuse(422, "Some fields are not valid.", {"participant_id": ["No such participant in this drive."]})
    return participant


def _done(drive: Drive, record: Donation, status: int) -> Response:
    body = {
        "donation": representations.donation(record),
        "progress": representations.drive_progress(drive, progress_of(drive)),
    }
    response = _private(jsonify(body))
    response.status_code = status
    return response


@ratelimits.api_write
def log_donation(slug: str) -> Response:
    """Log units for the group or one participant, as the organiser page does; they are confirmed."""
    drive = _my_drive(slug)
    body = json_object(DONATION_FIELDS)
    errors = FieldErrors()
    units = integer_field(body, "units", 1, GROUP_UNITS_MAX, errors)
    donation_type = choice_field(body, "donation_type", [kind.value for kind in DonationType], errors)
    donated_on = date_field(body, "donated_on", errors)
    participant_id = integer_field(body, "participant_id", 1, ID_MAX, errors, required=False)
    confirm = flag_field(body, "confirm", errors)
    errors.raise_if_any()
    if units is None or donation_type is None or donated_on is None:
        # A required field is None only beside its error, and raise_if_any has just refused those.
        raise RuntimeError("a required field was left empty without an error")
    participant = _participant_of(drive, participant_id)
    try:
        record = donations.log_donation(
            drive, api_user(), units, DonationType(donation_type), donated_on, participant, confirm
        )
    except donations.NeedsConfirming as question:
        refuse(422, question.message + " Send the same body with \"confirm\": true to log it.",
               {"confirm": ["Send true to log units far beyond what is left of the target."]})
    except RuleBroken as error:
        refuse(422, error.message, {error.field: [error.message]} if error.field else {})
    return _done(drive, record, 201)


def _decide(slug: str, donation_id: int, status: DonationStatus) -> Response:
    drive = _my_drive(slug)
    record = donations.donation_of_drive(drive, donation_id)  # the URL converter caps the id
    if record is None:
        refuse(404, "This drive has no donation with that id.")
    donations.set_donation_status(record, api_user(), status)
    return _done(drive, record, 200)


@ratelimits.api_write
def confirm_donation(slug: str, donation_id: int) -> Response:
    return _decide(slug, donation_id, DonationStatus.CONFIRMED)


@ratelimits.api_write
def reject_donation(slug: str, donation_id: int) -> Response:
    return _decide(slug, donation_id, DonationStatus.REJECTED)


# --- Public reads of what organisers post and what the drive reached ---


@public_read
@cached_drive_view(_query_variant("updates"))
def drive_updates(slug: str) -> Response:
    """The organisers' updates, newest first, a page at a time."""
    page, per_page = pagination()
    drive = _public_drive(slug)
    total = db.session.scalar(db.select(func.count(Update.id)).where(Update.drive_id == drive.id)) or 0
    rows = db.session.scalars(
        db.select(Update).where(Update.drive_id == drive.id)
        .order_by(Update.created_at.desc(), Update.id.desc())
        .offset((page - 1) * per_page).limit(per_page)
    )
    return jsonify({
        "updates": [representations.update(row) for row in rows],
        "pagination": page_meta(page, per_page, total),
    })


@public_read
@cached_drive_view("milestones")
def drive_milestones(slug: str) -> Response:
    """The days the count first reached 25, 50, 75 and 100 % of the target, and passed it."""
    drive = _public_drive(slug)
    return jsonify({"milestones": [representations.milestone(entry) for entry in milestones.timeline(drive)]})
