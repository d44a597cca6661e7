"""Creating a drive from the drive form, once: from "New drive" and from "Pass it on" alike."""

from collections.abc import Callable

from flask import flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue

from ..core.rules import RuleBroken
from ..core.submissions import REPEAT_NOTE, SentBefore, create_once, sent_form
from ..core.web import INVALID_FORM_STATUS, show_rule_broken
from .forms import DriveForm
from .models import Drive


def create_from_form(form: DriveForm, form_name: str, scope: str, create: Callable[[], Drive]) -> ResponseReturnValue:
    """Create the drive the form describes (`create`), once however often the form is sent (`scope`:
    whose sending it is), and go to its page; or show the form again with what was wrong."""
    if form.validate_on_submit():
        try:
            drive = create_once(sent_form(form_name, form, scope), Drive, create)
        except SentBefore as earlier:
            flash(REPEAT_NOTE, "info")
            return redirect(url_for("organiser.drive_page", slug=earlier.created.slug))
        except RuleBroken as error:
            show_rule_broken(form, error)
        else:
            flash("Your drive is ready. Share the invite link with your friends.", "success")
            return redirect(url_for("organiser.drive_page", slug=drive.slug))
    status = INVALID_FORM_STATUS if form.errors else 200
    return render_template("drives/drive_form.html", form=form, drive=None), status
