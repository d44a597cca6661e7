"""CSV exports for organisers: UTF-8 with a BOM, and no cell a spreadsheet would run as a formula."""

import csv
import io
from collections.abc import Iterable, Sequence

from ..core.extensions import db
from ..donations.models import Donation
from ..participation.models import Participant
from .models import Drive

#: A cell starting with one of these is a formula (or can become one) in Excel, LibreOffice
#: and Google Sheets; tab and carriage return can hide such a start.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: object) -> object:
    """Text that a spreadsheet would evaluate gets a leading apostrophe; numbers stay numbers."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def to_csv(header: Sequence[str], rows: Iterable[Sequence[object]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([neutralise("" if cell is None else cell) for cell in row])
    # The BOM tells Excel the file is UTF-8, so names with accents open correctly.
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def participants_csv(drive: Drive) -> bytes:
    participants = db.session.scalars(
        db.select(Participant).where(Participant.drive_id == drive.id).order_by(Participant.id)
    )
    return to_csv(
        ["Name", "Email", "Units pledged", "Donation type", "Planned date", "Shown publicly",
         "Withdrawn", "Signed up"],
        (
            [p.name, p.email, p.units_pledged, p.donation_type.label,
             p.planned_on.isoformat() if p.planned_on else "", "yes" if p.show_name else "no",
             "yes" if p.withdrawn_at else "no", p.created_at.date().isoformat()]
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
    return to_csv(
        ["Date donated", "Who", "Units", "Donation type", "Status", "Logged by"],
        (
            [d.donated_on.isoformat(), name or "The group", d.units, d.donation_type.label,
             d.status.value, d.logged_by.value]
            for d, name in rows
        ),
    )
