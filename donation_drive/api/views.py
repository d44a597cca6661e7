"""Read-only JSON about a drive: what the progress page shows, never an email or a secret."""

from flask import Blueprint, url_for

from .. import drives
from ..tallies import progress_of
from ..web import or_404

bp = Blueprint("api", __name__, url_prefix="/api")


@bp.get("/drives/<slug>")
def drive_progress(slug: str):
    drive = or_404(drives.public_drive(slug), "There is no drive with that slug.")
    progress = progress_of(drive)
    return {
        "slug": drive.slug,
        "title": drive.title,
        "dedication": drive.dedication.value,
        "honoree": drive.honoree,
        "target_units": progress.target_units,
        "units_donated": progress.units_donated,
        "units_pledged": progress.units_pledged,
        "participant_count": progress.participant_count,
        "percent": progress.percent,
        "target_reached": progress.target_reached,
        "summary": progress.summary,
        "status": drive.status.value,
        "starts_on": drive.starts_on.isoformat(),
        "ends_on": drive.ends_on.isoformat(),
        "place": drive.place,
        "url": url_for("public.progress_page", slug=drive.slug, _external=True),
    }
