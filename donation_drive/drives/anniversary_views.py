"""Organiser views for yearly memorial rounds: repeat every year, start the next round, stop."""

from flask import flash
from flask_babel import gettext as _
from flask_login import current_user

from ..core.rules import RuleBroken
from ..core.web import refuse
from . import anniversaries
from .access import organised_drive
from .views import back_to


def repeat_yearly(slug: str):
    drive = organised_drive(slug)
    anniversaries.repeat_yearly(drive, current_user)
    flash(_("This drive will come back every year on its start date. Each year is its own round."), "success")
    return back_to(drive, "anniversary")


def start_next_round(slug: str):
    drive = organised_drive(slug)
    try:
        new_drive = anniversaries.start_next_round(drive, current_user)
    except RuleBroken as error:
        refuse(409, error.message)
    flash(_("“%(title)s” is ready. Share its invite link when you're ready.", title=new_drive.title), "success")
    return back_to(new_drive)


def stop_repeating(slug: str):
    drive = organised_drive(slug)
    try:
        anniversaries.stop_repeating(drive, current_user)
    except RuleBroken as error:
        refuse(409, error.message)
    flash(_("No more yearly rounds. Every past round keeps its page."), "success")
    return back_to(drive, "anniversary")
