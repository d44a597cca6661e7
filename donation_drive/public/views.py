"""Pages anyone may see: the home page and a drive's progress page."""

from flask import Response, render_template, url_for

from ..core.rules import today
from ..core.templating import link_host
from ..core.web import or_404
from ..counting.progress import days_left
from ..counting.tallies import progress_of, progress_of_drives
from ..drives import operations as drives
from ..participation import operations as participation
from ..participation.calendars import drive_calendar
from .caching import cached_drive_view

DRIVE_NOT_FOUND = "There is no drive at this address. Check the link was copied in full."


def home():
    listed = drives.listed_drives()
    return render_template("public/home.html", drives=listed, progress=progress_of_drives(listed))


@cached_drive_view("page")
def progress_page(slug: str):
    drive = or_404(drives.public_drive(slug), DRIVE_NOT_FOUND)
    progress = progress_of(drive)
    return render_template(
        "public/progress.html",
        drive=drive,
        progress=progress,
        shown_names=participation.shown_names(drive),
        days_left=days_left(drive.starts_on, drive.ends_on, today()),
        accepting=participation.accepting_sign_ups(drive),
    )


def drive_ics(slug: str):
    drive = or_404(drives.public_drive(slug), DRIVE_NOT_FOUND)
    drive_url = url_for("public.progress_page", slug=drive.slug, _external=True)
    return Response(
        drive_calendar(drive, drive_url, link_host()),
        mimetype="text/calendar",
        headers={"Content-Disposition": f'attachment; filename="{drive.slug}.ics"'},
    )
