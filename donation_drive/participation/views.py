"""A participant's private page, reached only through their private link."""

from flask import Response, flash, redirect, render_template, url_for
from flask_babel import gettext as _

from ..core import ratelimits
from ..core.i18n import lazy_gettext as _l
from ..core.rules import RuleBroken, drive_today
from ..core.submissions import REPEAT_NOTE, SentBefore
from ..core.templating import link_host
from ..core.web import INVALID_FORM_STATUS, or_404, refuse, show_rule_broken
from ..counting.tallies import progress_of
from ..donations import operations as donations
from ..drives.forms import ActionForm
from ..privacy.operations import forget_participant, replace_private_link
from . import operations as participation
from .calendars import pledge_calendar
from .donation_types import offer_the_region_s_types, refuse_a_type_not_offered
from .forms import ReportForm, report_once
from .join_forms import PledgeFields
from .models import Participant
from .pages import private_page as private_page_of
from .signing_up import pledge_from

# Both forms share a page, so their field ids need prefixes to stay unique.
PLEDGE_PREFIX = "pledge"
REPORT_PREFIX = "report"

NOT_FOUND = _l(
    "This private link isn't valid. Check it was copied in full; if it still doesn't work, "
    "ask the drive's organiser for help."
)


def _participant(token: str) -> Participant:
    return or_404(participation.participant_by_private_link(token), NOT_FOUND)


def _pledge_form(participant: Participant) -> PledgeFields:
    # A planned date gone by is left out: the form would refuse it, and it plans nothing any more.
    planned_on = participant.planned_on
    if planned_on and planned_on < drive_today(participant.drive):
        planned_on = None
    return PledgeFields(
        formdata=None,
        prefix=PLEDGE_PREFIX,
        units=participant.units_pledged,
        donation_type=participant.donation_type.value,
        planned_on=planned_on,
        show_name=participant.show_name,
        name_shown_as=participant.name_shown_as.value,
    )


def _render(token: str, participant: Participant, second_look: str = "", **forms):
    forms.setdefault("pledge_form", _pledge_form(participant))
    forms.setdefault(
        "report_form",
        ReportForm(
            formdata=None,
            prefix=REPORT_PREFIX,
            donated_on=drive_today(participant.drive),
            donation_type=participant.donation_type.value,
        ),
    )
    for form in forms.values():
        offer_the_region_s_types(participant.drive.region, form, participant.donation_type)
    status = INVALID_FORM_STATUS if any(form.errors for form in forms.values()) else 200
    return render_template(
        "participation/private.html",
        token=token,
        participant=participant,
        drive=participant.drive,
        page=private_page_of(participant),
        action_form=ActionForm(),
        second_look=second_look,
        **forms,
    ), status


def private_page(token: str):
    return _render(token, _participant(token))


def welcome(token: str):
    """The confirmation right after signing up: the private link, said plainly."""
    participant = _participant(token)
    return render_template("participation/welcome.html", token=token, participant=participant, drive=participant.drive)


def change_pledge(token: str):
    participant = _participant(token)
    form = PledgeFields(prefix=PLEDGE_PREFIX)
    if form.validate_on_submit():
        try:
            refuse_a_type_not_offered(participant.drive.region, form, participant.donation_type)
            participation.change_pledge(participant, pledge_from(form))
        except RuleBroken as error:
            show_rule_broken(form, error)
        else:
            flash(_("Your pledge is updated."), "success")
            return redirect(url_for("participant.private_page", token=token))
    return _render(token, participant, pledge_form=form)


def withdraw(token: str):
    participant = _participant(token)
    participation.withdraw_pledge(participant)
    flash(_("Your pledge is withdrawn. Thank you for thinking of it."), "info")
    return redirect(url_for("participant.private_page", token=token))


@ratelimits.donation_report
def report_donation(token: str):
    participant = _participant(token)
    form = ReportForm(prefix=REPORT_PREFIX)
    if form.validate_on_submit():
        try:
            refuse_a_type_not_offered(participant.drive.region, form, participant.donation_type)
            report_once(participant, form)
        except SentBefore:
            flash(REPEAT_NOTE, "info")
            return redirect(url_for("participant.private_page", token=token))
        except donations.NeedsConfirming as question:
            return _render(token, participant, report_form=form, second_look=question.message)
        except RuleBroken as error:
            show_rule_broken(form, error)
        else:
            flash(_("Thank you for donating. Your units now count towards the drive.")
                  if progress_of(participant.drive).counts_reported
                  else _("Thank you for donating. Your units count once an organiser confirms them."),
                  "success")
            return redirect(url_for("participant.private_page", token=token))
    return _render(token, participant, report_form=form)


def delete_my_data(token: str):
    """Forget the participant's details; their donated units keep counting, anonymously."""
    participant = _participant(token)
    form = ActionForm()
    if form.validate_on_submit():
        drive = participant.drive
        forget_participant(participant)
        flash(_("Your details are deleted and your private link no longer works. "
                "Units you gave still count, anonymously. Thank you for taking part."), "success")
        return redirect(url_for("public.progress_page", slug=drive.slug))
    return render_template("participation/delete.html", token=token, participant=participant,
                           drive=participant.drive, action_form=form)


def replace_link(token: str):
    """The friend replaces their private link themselves, say after sharing it by mistake."""
    participant = _participant(token)
    if not ActionForm().validate_on_submit():
        refuse(400, _("This button's form has expired. Please reload your page and press it again."))
    new_token = replace_private_link(participant)
    flash(_("This is your new private link: keep it. Your old link no longer works."), "success")
    return redirect(url_for("participant.private_page", token=new_token))


def pledge_ics(token: str):
    participant = _participant(token)
    drive_url = url_for("public.progress_page", slug=participant.drive.slug, _external=True)
    body = pledge_calendar(participant, drive_url, link_host())
    return Response(
        body,
        mimetype="text/calendar",
        headers={"Content-Disposition": 'attachment; filename="blood-donation.ics"'},
    )
