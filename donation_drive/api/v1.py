"""Version 1 of the JSON API: public reads, and organiser actions with a personal API token.

Each view is described by its decorators: the schemas in api/schemas.py check what comes in and
shape what goes out, and the same decorators write /api/openapi.json.
"""

import hashlib
from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import Response, request
from flask_babel import gettext as _
from sqlalchemy import func

from ..core import ratelimits
from ..core.extensions import db
from ..core.i18n import lazy_gettext as _l
from ..core.rules import RuleBroken
from ..counting import milestones
from ..counting.ripple import ripple_of
from ..counting.tallies import progress_of, progress_of_drives
from ..donations import operations as donations
from ..donations.models import Donation, DonationStatus
from ..drives import operations as drives
from ..drives.models import Drive, Update
from ..participation import operations as participation
from ..participation.models import Participant
from ..privacy.names import shown_name
from ..public.caching import cached_drive_view, plausible_slug
from . import schemas
from .access import JSON_BODY_MAX, api_user, json_body, token_required
from .documented import BEARER, Blueprint
from .errors import refuse

DRIVE_NOT_FOUND = _l("There is no drive with that slug.")
MY_DRIVE_NOT_FOUND = _l("You organise no drive with that slug.")

v1 = Blueprint("v1", __name__, url_prefix="/v1")

SLUG = {"name": "slug", "in": "path", "required": True, "example": "7-for-jack",
        "description": "The drive's slug, as in its public address /d/{slug}."}
IF_NONE_MATCH = {
    "name": "If-None-Match", "in": "header", "required": False,
    "description": "An ETag from an earlier answer: unchanged, the answer is 304 with no body.",
    "schema": {"type": "string"},
}
#: The parameters of every cached public read.
READ_PARAMETERS = [SLUG, IF_NONE_MATCH]
CACHED_HEADERS = {
    "ETag": {"description": "Strong validator; changes with every change to the drive.", "schema": {"type": "string"}},
    "Last-Modified": {"description": "When the drive last changed.", "schema": {"type": "string"}},
    "Cache-Control": {"description": "public for anonymous readers, private otherwise.", "schema": {"type": "string"}},
}


def public_read(view: Callable[..., Any]) -> Callable[..., Any]:
    """Anyone's page may read public progress, so any origin may fetch it (no credentials)."""

    @wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        response: Response = view(*args, **kwargs)
        response.headers["Access-Control-Allow-Origin"] = "*"
        response.headers["Access-Control-Expose-Headers"] = "ETag, Last-Modified"
        return response

    return wrapper


def described_read(summary: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """What every cached public read answers besides its body: 304, and 404 for an unknown drive."""

    def decorate(view: Callable[..., Any]) -> Callable[..., Any]:
        view = v1.alt_response(304, description="Not modified since the ETag you sent.", headers=CACHED_HEADERS)(view)
        view = v1.alt_response(404, schema=schemas.Error, description="No drive has this slug.")(view)
        return v1.doc(summary=summary, tags=["Public"], security=[])(view)

    return decorate


def described_for_organisers(summary: str, writes: bool = False) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """What every organiser action answers besides its body: 401 without a good token, 404, and
    429 for writes past their rate limit."""

    def decorate(view: Callable[..., Any]) -> Callable[..., Any]:
        view = v1.alt_response(401, schema=schemas.Error,
                               description="The bearer token is missing, malformed, unknown or revoked.")(view)
        view = v1.alt_response(404, schema=schemas.Error,
                               description="You organise no drive with this slug (or it has no such donation).")(view)
        if writes:
            view = v1.alt_response(429, schema=schemas.Error,
                                   description="Too many writes in a short time; wait and retry.")(view)
        return v1.doc(summary=summary, tags=["Organiser"], security=BEARER)(view)

    return decorate


def _query_variant(name: str) -> Callable[[], str]:
    # Each page of a list is its own representation; hash the query so any input is a safe token.
    return lambda: f"{name}.{hashlib.sha256(request.query_string).hexdigest()[:10]}"


def _public_drive(slug: str) -> Drive:
    drive = drives.public_drive(slug) if plausible_slug(slug) else None
    if drive is None:
        refuse(404, DRIVE_NOT_FOUND)
    return drive


def _private(view: Callable[..., Any]) -> Callable[..., Any]:
    """Organiser data: never kept by a shared cache."""

    @wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        response: Response = view(*args, **kwargs)
        response.headers["Cache-Control"] = "private, no-store"
        return response

    return wrapper


def page_of(query: Any, page: int, per_page: int) -> tuple[list[Any], dict[str, int]]:
    """One page of a select's rows, and the pagination every list answers with."""
    total = db.session.scalar(db.select(func.count()).select_from(query.order_by(None).subquery())) or 0
    rows = list(db.session.execute(query.offset((page - 1) * per_page).limit(per_page)))
    return rows, {"page": page, "per_page": per_page, "total": total, "pages": (total + per_page - 1) // per_page}


# --- Public reads ---


@v1.route("/drives/<slug>", methods=["GET"], parameters=READ_PARAMETERS)
@described_read("A drive's progress")
@public_read
@cached_drive_view("json-v1")
@v1.response(200, schemas.DriveProgressV1, description="The current state.", headers=CACHED_HEADERS)
def drive_progress(slug: str) -> dict[str, Any]:
    drive = _public_drive(slug)
    return {"drive": drive, "progress": progress_of(drive), "shown_names": participation.shown_names(drive),
            "milestones": milestones.timeline(drive), "ripple": ripple_of(drive)}


@v1.route("/drives/<slug>/participants", methods=["GET"], parameters=READ_PARAMETERS)
@described_read("Participants who agreed to be shown, named as each chose, a page at a time")
@public_read
@cached_drive_view(_query_variant("participants"))
@v1.arguments(schemas.PageQuery, location="query", as_kwargs=True, error_status_code=400)
@v1.alt_response(400, schema=schemas.Error, description="A query parameter is not valid.")
@v1.response(200, schemas.PublicParticipants, description="One page of names.", headers=CACHED_HEADERS)
def drive_participants(slug: str, page: int, per_page: int) -> dict[str, Any]:
    drive = _public_drive(slug)
    rows, pagination = page_of(
        db.select(Participant.name, Participant.name_shown_as)
        .where(Participant.drive_id == drive.id, Participant.show_name.is_(True)).order_by(Participant.id),
        page, per_page,
    )
    return {"participants": [{"display_name": shown_name(name, shown_as)} for name, shown_as in rows],
            "pagination": pagination}


@v1.route("/drives/<slug>/updates", methods=["GET"], parameters=READ_PARAMETERS)
@described_read("The organisers' updates, newest first, a page at a time")
@public_read
@cached_drive_view(_query_variant("updates"))
@v1.arguments(schemas.PageQuery, location="query", as_kwargs=True, error_status_code=400)
@v1.alt_response(400, schema=schemas.Error, description="A query parameter is not valid.")
@v1.response(200, schemas.Updates, description="One page of updates.", headers=CACHED_HEADERS)
def drive_updates(slug: str, page: int, per_page: int) -> dict[str, Any]:
    drive = _public_drive(slug)
    rows, pagination = page_of(
        db.select(Update).where(Update.drive_id == drive.id).order_by(Update.created_at.desc(), Update.id.desc()),
        page, per_page,
    )
    return {"updates": [update for update, in rows], "pagination": pagination}


@v1.route("/drives/<slug>/milestones", methods=["GET"], parameters=READ_PARAMETERS)
@described_read("The days the count first reached 25%, 50%, 75% and 100% of the target, and passed it")
@public_read
@cached_drive_view("milestones")
@v1.response(200, schemas.Milestones, description="The milestones reached so far.", headers=CACHED_HEADERS)
def drive_milestones(slug: str) -> dict[str, Any]:
    return {"milestones": milestones.timeline(_public_drive(slug))}


# --- Organiser actions, with a token ---


def _my_drive(slug: str) -> Drive:
    drive = drives.drive_for_organiser(slug, api_user()) if plausible_slug(slug) else None
    if drive is None:
        refuse(404, MY_DRIVE_NOT_FOUND)
    return drive


@v1.route("/me/drives", methods=["GET"])
@described_for_organisers("The drives you organise")
@token_required
@_private
@v1.response(200, schemas.MyDrives, description="Your drives, newest first.")
def my_drives() -> dict[str, Any]:
    mine = drives.drives_of(api_user())
    progress = progress_of_drives(mine)
    return {"drives": [{"drive": drive, "progress": progress[drive.id]} for drive in mine]}


@v1.route("/drives/<slug>/donations", methods=["GET"], parameters=[SLUG])
@described_for_organisers("A drive's donations, newest first")
@token_required
@_private
@v1.arguments(schemas.DonationsQuery, location="query", as_kwargs=True, error_status_code=400)
@v1.alt_response(400, schema=schemas.Error, description="A query parameter is not valid.")
@v1.response(200, schemas.Donations, description="One page of donations.")
def drive_donations(slug: str, page: int, per_page: int, status: DonationStatus | None) -> dict[str, Any]:
    drive = _my_drive(slug)
    query = db.select(Donation).where(Donation.drive_id == drive.id)
    if status is not None:
        query = query.where(Donation.status == status)
    rows, pagination = page_of(query.order_by(Donation.id.desc()), page, per_page)
    return {"donations": [donation for donation, in rows], "pagination": pagination}


def _participant_of(drive: Drive, participant_id: int | None) -> Participant | None:
    if participant_id is None:
        return None
    participant = db.session.get(Participant, participant_id)
    if participant is None or participant.drive_id != drive.id:
        refuse(422, _("Some fields are not valid."), {"participant_id": [_("No such participant in this drive.")]})
    return participant


def _done(drive: Drive, record: Donation) -> dict[str, Any]:
    return {"donation": record, "progress": {"drive": drive, "progress": progress_of(drive)}}


@v1.route("/drives/<slug>/donations", methods=["POST"], parameters=[SLUG])
@described_for_organisers("Log donated units (they count as confirmed)", writes=True)
@ratelimits.api_write
@token_required
@_private
@json_body
@v1.arguments(schemas.NewDonation, as_kwargs=True)
@v1.alt_response(400, schema=schemas.Error, description="The body is not valid JSON.")
@v1.alt_response(413, schema=schemas.Error, description=f"The body is larger than {JSON_BODY_MAX} bytes.")
@v1.alt_response(415, schema=schemas.Error, description="The body is not sent as application/json.")
@v1.alt_response(422, schema=schemas.Error,
                 description="The body is JSON but its fields are refused; see error.fields.")
@v1.response(201, schemas.DonationDone, description="Logged.")
def log_donation(slug: str, units: int, donation_type: Any, donated_on: Any, participant_id: int | None,
                 confirm: bool) -> dict[str, Any]:
    """Log units for the group or one participant, as the organiser page does; they are confirmed."""
    drive = _my_drive(slug)
    participant = _participant_of(drive, participant_id)
    try:
        record = donations.log_donation(drive, api_user(), units, donation_type, donated_on, participant, confirm)
    except donations.NeedsConfirming as question:
        refuse(422, _("%(question)s Send the same body with \"confirm\": true to log it.", question=question.message),
               {"confirm": [_("Send true to log units far beyond what is left of the target.")]})
    except RuleBroken as error:
        refuse(422, error.message, {error.field: [error.message]} if error.field else {})
    return _done(drive, record)


def _decide(slug: str, donation_id: int, status: DonationStatus) -> dict[str, Any]:
    drive = _my_drive(slug)
    record = donations.donation_of_drive(drive, donation_id)  # the URL converter caps the id
    if record is None:
        refuse(404, _("This drive has no donation with that id."))
    donations.set_donation_status(record, api_user(), status)
    return _done(drive, record)


@v1.route("/drives/<slug>/donations/<int:donation_id>/confirm", methods=["POST"])
@described_for_organisers("Confirm a donation (it counts)", writes=True)
@ratelimits.api_write
@token_required
@_private
@v1.response(200, schemas.DonationDone, description="The donation and the drive's new progress.")
def confirm_donation(slug: str, donation_id: int) -> dict[str, Any]:
    return _decide(slug, donation_id, DonationStatus.CONFIRMED)


@v1.route("/drives/<slug>/donations/<int:donation_id>/reject", methods=["POST"])
@described_for_organisers("Reject a donation (it stops counting)", writes=True)
@ratelimits.api_write
@token_required
@_private
@v1.response(200, schemas.DonationDone, description="The donation and the drive's new progress.")
def reject_donation(slug: str, donation_id: int) -> dict[str, Any]:
    return _decide(slug, donation_id, DonationStatus.REJECTED)
