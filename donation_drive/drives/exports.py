"""CSV exports for organisers: UTF-8 with a BOM, and no cell a spreadsheet would run as a formula."""

import csv
import io
from collections.abc import Iterable, Sequence

from flask_babel import LazyString, gettext as _

from ..core.extensions import db
from ..core.i18n import lazy_gettext as _l
from ..donations.models import Donation, DonationStatus, LoggedBy
from ..participation.models import Participant
from .models import Drive

#: A cell starting with one of these is a formula (or can become one) in Excel, LibreOffice
#: and Google Sheets; tab and carriage return can hide such a start.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

#: A donation's status and who logged it, in the words of the organiser reading the export.
STATUS_WORDS = {
    DonationStatus.REPORTED: _l("reported"),
    DonationStatus.CONFIRMED: _l("confirmed"),
    DonationStatus.REJECTED: _l("rejected"),
}
LOGGED_BY_WORDS = {LoggedBy.PARTICIPANT: _l("participant"), LoggedBy.ORGANISER: _l("organiser")}


def neutralise(value: object) -> object:
    """Text that a spreadsheet would evaluate gets a leading apostrophe; numbers stay numbers."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _cell(value: object) -> object:
    """A cell as it is written: translated words (lazy strings) as the text they say."""
    if value is None:
        return ""
    return str(value) if isinstance(value, LazyString) else value


def to_csv(header: Sequence[str], rows: Iterable[Sequence[object]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([neutralise(_cell(cell)) for cell in row])
    # The BOM tells Excel the file is UTF-8, so names with accents open correctly.
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def participants_csv(drive: Drive) -> bytes:
    participants = db.session.scalars(
        db.select(Participant).where(Participant.drive_id == drive.id).order_by(Participant.id)
    )
    yes, no = _("yes"), _("no")
    return to_csv(
        [_("Name"), _("Email"), _("Units pledged"), _("Donation type"), _("Planned date"), _("Shown publicly"),
         _("Withdrawn"), _("Signed up")],
        (
            [p.name, p.email, p.units_pledged, p.donation_type.label,
             p.planned_on.isoformat() if p.planned_on else "", yes if p.show_name else no,
             yes if p.withdrawn_at else no, p.created_at.date().isoformat()]
            for p in participants
        ),
    )


def donations_csv(drive: Drive) -> bytes:
    rows = db.session.execute(
        db.select(Donation, Participant.name)
        .outerjoin(Participant, Donation.participant_id == Participant.id)
        .where(Donation.drive_id == drive.id)
        .order_by(Donation.donated_on, Donation.id)
    )
    the_group = _("The group")
    return to_csv(
        [_("Date donated"), _("Who"), _("Units"), _("Donation type"), _("Status"), _("Logged by")],
        (
            [d.donated_on.isoformat(), name or the_group, d.units, d.donation_type.label,
             STATUS_WORDS[d.status], LOGGED_BY_WORDS[d.logged_by]]
            for d, name in rows
        ),
    )
