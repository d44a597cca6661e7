"""What the API says about drives and donations: never an email, never a secret."""

from datetime import datetime
from typing import Any

from flask import url_for

from ..counting.milestones import EXCEEDED, TimelineEntry
from ..counting.progress import Progress
from ..counting.ripple import Ripple
from ..donations.models import Donation
from ..drives.models import Drive, Update
from ..public.caching import as_utc


def drive_progress(drive: Drive, progress: Progress) -> dict[str, Any]:
    """The fields of /api/drives/<slug> since the first release; scripts rely on them."""
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


def drive_progress_v1(
    drive: Drive, progress: Progress, shown_names: list[str], timeline: list[TimelineEntry], ripple: Ripple
) -> dict[str, Any]:
    """Version 1 adds when the drive last changed, and everything else its progress page counts
    (so live-progress.js can keep each figure there current): people booked and deferred, the
    names it lists (see participation.shown_names) and how many it leaves out, its milestones,
    its ripple; and where its other resources are."""
    return {
        **drive_progress(drive, progress),
        "changed_at": as_utc(drive.changed_at).replace(microsecond=0).isoformat(),
        "people_booked": progress.people_booked,
        "attempts_deferred": progress.attempts_deferred,
        "shown_names": shown_names,
        "people_shown": progress.people_shown,
        "people_anonymous": progress.people_anonymous,
        "milestones": [milestone(entry) for entry in timeline],
        "ripple": {"inspired_count": ripple.inspired_count, "units_total": ripple.units_total},
        "links": {
            "participants": url_for("api.v1.drive_participants", slug=drive.slug, _external=True),
            "badge": url_for("public.badge", slug=drive.slug, _external=True),
            "embed": url_for("public.embed_page", slug=drive.slug, _external=True),
        },
    }


def donation(record: Donation) -> dict[str, Any]:
    """A donation as its drive's organisers see it: the participant's name, not their email."""
    participant = record.participant
    return {
        "id": record.id,
        "units": record.units,
        "donation_type": record.donation_type.value,
        "donated_on": record.donated_on.isoformat(),
        "status": record.status.value,
        "logged_by": record.logged_by.value,
        "participant": {"id": participant.id, "name": participant.name} if participant else None,
    }


def _moment(value: datetime | None) -> str | None:
    return as_utc(value).replace(microsecond=0).isoformat() if value else None


def update(record: Update) -> dict[str, Any]:
    """An organiser's update as the progress page shows it: text and dates, no author email."""
    return {
        "id": record.id,
        "body": record.body,
        "created_at": _moment(record.created_at),
        "edited_at": _moment(record.edited_at),
    }


def milestone(entry: TimelineEntry) -> dict[str, Any]:
    """A milestone as the progress page's timeline shows it."""
    exceeded = entry.percent == EXCEEDED
    return {
        "threshold": "exceeded" if exceeded else str(entry.percent),
        "percent": min(entry.percent, 100),
        "target_exceeded": exceeded,
        "reached_on": entry.reached_on.isoformat(),
    }
