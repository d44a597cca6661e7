"""A participant's side of going together: see a visit, take or give up a place, add it to a calendar."""

from flask import Response, flash, redirect, render_template, url_for
from flask_babel import gettext as _

from ..core.i18n import lazy_gettext as _l
from ..core.rules import RuleBroken
from ..core.templating import link_host
from ..core.web import or_404, refuse
from ..drives.forms import ActionForm
from . import operations as participation, visits
from .models import GroupVisit, Participant
from .views import NOT_FOUND

VISIT_NOT_FOUND = _l("There is no such group visit for this drive. It may have been cancelled.")


def _participant_and_visit(token: str, visit_id: int) -> tuple[Participant, GroupVisit]:
    participant = or_404(participation.participant_by_private_link(token), NOT_FOUND)
    visit = or_404(visits.visit_of_drive(participant.drive_id, visit_id), VISIT_NOT_FOUND)
    return participant, visit


def visit_page(token: str, visit_id: int):
    participant, visit = _participant_and_visit(token, visit_id)
    shown, others = visits.who_is_going(visit)
    view = next(v for v in visits.visits_of(participant.drive) if v.visit.id == visit.id)
    return render_template(
        "participation/visit.html", token=token, participant=participant, drive=participant.drive,
        view=view, shown=shown, others=others, joined=visit.id in visits.joined_visit_ids(participant),
        action_form=ActionForm(),
    )


def change_place(token: str, visit_id: int, action: str):
    participant, visit = _participant_and_visit(token, visit_id)
    try:
        if action == "join":
            visits.join_visit(participant, visit)
        else:
            visits.leave_visit(participant, visit)
    except RuleBroken as error:
        refuse(409, error.message)
    flash(_("See you there — thank you for going together.") if action == "join" else _("Your place is given up."),
          "success")
    return redirect(url_for("participant.visit_page", token=token, visit_id=visit.id))


def visit_ics(token: str, visit_id: int):
    _participant, visit = _participant_and_visit(token, visit_id)
    page_url = url_for("participant.visit_page", token=token, visit_id=visit.id, _external=True)
    return Response(
        visits.visit_calendar(visit, page_url, link_host()),
        mimetype="text/calendar",
        headers={"Content-Disposition": 'attachment; filename="group-visit.ics"'},
    )
