"""Pages anyone may see: the home page and a drive's progress page, or memorial once it closed."""

from flask import Response, render_template, url_for

from ..core.templating import link_host
from ..core.web import or_404
from ..counting.tallies import progress_of_drives
from ..drives import operations as drives
from ..participation.calendars import drive_calendar
from .caching import NOT_FOUND, cached_drive_view
from .pages import progress_page as progress_page_of
from .tribute import tribute_page


def home():
    listed = drives.listed_drives()
    return render_template("public/home.html", drives=listed, progress=progress_of_drives(listed))


@cached_drive_view("page")
def progress_page(slug: str):
    """The drive's page: its progress while open; once closed, its memorial."""
    drive = or_404(drives.public_drive(slug), NOT_FOUND)
    if not drive.is_open:
        return render_template("public/tribute.html", page=tribute_page(drive), drive=drive)
    page = progress_page_of(drive)
    return render_template(
        "public/progress.html",
        page=page,
        drive=page.drive,
        progress=page.progress,
        shown_names=page.shown_names,
        days_left=page.days_left,
        accepting=page.accepting,
    )


def drive_ics(slug: str):
    drive = or_404(drives.public_drive(slug), NOT_FOUND)
    drive_url = url_for("public.progress_page", slug=drive.slug, _external=True)
    return Response(
        drive_calendar(drive, drive_url, link_host()),
        mimetype="text/calendar",
        headers={"Content-Disposition": f'attachment; filename="{drive.slug}.ics"'},
    )
