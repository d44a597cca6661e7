"""Organiser views for group visits: propose one, cancel one."""

from flask import flash, render_template
from flask_babel import gettext as _
from flask_login import current_user

from ..core.rules import RuleBroken
from ..core.submissions import REPEAT_NOTE, SentBefore, create_once, sent_form
from ..core.web import INVALID_FORM_STATUS, or_404, show_rule_broken
from ..participation import visits
from ..participation.models import GroupVisit
from .access import organised_drive
from .tools_forms import VisitForm
from .views import back_to


def propose_visit(slug: str):
    drive = organised_drive(slug)
    form = VisitForm()
    if form.validate_on_submit():
        try:
            create_once(sent_form("propose visit", form, f"user:{current_user.id} drive:{drive.id}"), GroupVisit,
                        lambda: visits.propose_visit(drive, current_user, form.visit_on.data, form.starts_at.data,
                                                     form.centre.data, form.places.data))
        except SentBefore:
            flash(REPEAT_NOTE, "info")
            return back_to(drive, "visits")
        except RuleBroken as error:
            show_rule_broken(form, error)
        else:
            flash(_("The group visit is proposed. Participants can join it from their private page."), "success")
            return back_to(drive, "visits")
    status = INVALID_FORM_STATUS if form.errors else 200
    return render_template("drives/visit_form.html", drive=drive, form=form), status


def cancel_visit(slug: str, visit_id: int):
    drive = organised_drive(slug)
    visit = or_404(visits.visit_of_drive(drive.id, visit_id))
    visits.cancel_visit(drive, current_user, visit)
    flash(_("The group visit is cancelled."), "success")
    return back_to(drive, "visits")
