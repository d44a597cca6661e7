"""Organiser views for the drive's people: edit, remove, add by hand, stages, bulk decisions."""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..core.i18n import ngettext
from ..core.rules import RuleBroken
from ..core.submissions import REPEAT_NOTE, SentBefore, create_once, sent_form
from ..core.web import INVALID_FORM_STATUS, or_404, refuse, show_rule_broken
from ..donations.models import DonationStatus, DonationType
from ..participation.models import NameShownAs, Participant
from ..participation.operations import Pledge
from . import checking, pages, people
from .access import organised_drive
from .forms import ActionForm
from .models import Drive
from .tools_forms import NewParticipantForm, ParticipantForm, StageForm
from .views import back_to


def _pledge(form: ParticipantForm, participant: Participant | None = None) -> Pledge:
    """The pledge in the form; how the name shows is the participant's own, once they exist."""
    return Pledge(
        units=form.units.data,
        donation_type=DonationType(form.donation_type.data),
        planned_on=form.planned_on.data,
        show_name=participant.show_name if participant else bool(form.show_name.data),
        name_shown_as=participant.name_shown_as if participant else NameShownAs.FIRST_NAME,
    )


def people_page(slug: str):
    drive = organised_drive(slug)
    return render_template("drives/people.html", page=pages.people_page(drive, current_user), drive=drive)


def _participant(drive: Drive, participant_id: int) -> Participant:
    return or_404(people.participant_of_drive(drive, participant_id))


def add_participant(slug: str):
    drive = organised_drive(slug)
    form = NewParticipantForm()
    if form.validate_on_submit():
        try:
            participant, token = create_once(
                sent_form("add participant", form, f"user:{current_user.id} drive:{drive.id}"), Participant,
                lambda: people.add_participant(drive, current_user, form.name.data, _pledge(form)),
                created_id=lambda added: added[0].id)
        except SentBefore as earlier:
            # The private link was shown once, with the first answer; it is kept only as a hash.
            flash(" ".join([str(REPEAT_NOTE), _("%(name)s's private link was shown when they were added.",
                                                name=earlier.created.name)]), "info")
            return redirect(url_for("organiser.edit_participant", slug=drive.slug, participant_id=earlier.created.id))
        except RuleBroken as error:
            show_rule_broken(form, error)
        else:
            link = url_for("participant.private_page", token=token, _external=True)
            return render_template("drives/participant_added.html", drive=drive, participant=participant, link=link)
    status = INVALID_FORM_STATUS if form.errors else 200
    return render_template("drives/participant_form.html", drive=drive, form=form, participant=None), status


def edit_participant(slug: str, participant_id: int):
    drive = organised_drive(slug)
    participant = _participant(drive, participant_id)
    form = ParticipantForm(
        data=None if request.method == "POST" else {
            "name": participant.name,
            "units": participant.units_pledged,
            "donation_type": participant.donation_type.value,
            "planned_on": participant.planned_on,
        }
    )
    if form.validate_on_submit():
        try:
            people.edit_participant(drive, current_user, participant, form.name.data, _pledge(form, participant))
        except RuleBroken as error:
            show_rule_broken(form, error)
        else:
            flash(_("%(name)s's details are saved.", name=participant.name), "success")
            return back_to(drive, "participants")
    return _render_person(drive, participant, form=form)


def _render_person(drive: Drive, participant: Participant, **forms):
    row = next(row for row in people.people_of(drive) if row.participant.id == participant.id)
    forms.setdefault("form", ParticipantForm(formdata=None, data={
        "name": participant.name, "units": participant.units_pledged,
        "donation_type": participant.donation_type.value, "planned_on": participant.planned_on}))
    forms.setdefault("stage_form", StageForm(formdata=None, prefix="stage", data={
        "stage": row.stage.value if row.stage.value in ("booked", "deferred") else "pledged",
        "booked_on": row.booked_on, "booked_place": row.booked_place, "deferred_on": row.deferred_on}))
    status = INVALID_FORM_STATUS if any(form.errors for form in forms.values()) else 200
    return render_template(
        "drives/participant_form.html", drive=drive, participant=participant, row=row,
        action_form=ActionForm(), **forms,
    ), status


def give_new_private_link(slug: str, participant_id: int):
    drive = organised_drive(slug)
    participant = _participant(drive, participant_id)
    if not ActionForm().validate_on_submit():
        refuse(400, _("This button's form has expired. Please reload the page and press it again."))
    token = people.give_new_private_link(drive, participant, current_user)
    link = url_for("participant.private_page", token=token, _external=True)
    return render_template("drives/participant_new_link.html", drive=drive, participant=participant, link=link)


def set_stage(slug: str, participant_id: int):
    drive = organised_drive(slug)
    participant = _participant(drive, participant_id)
    form = StageForm(prefix="stage")
    if form.validate_on_submit():
        try:
            people.set_stage(
                drive, current_user, participant, form.stage.data, booked_on=form.booked_on.data,
                booked_place=form.booked_place.data or "", deferred_on=form.deferred_on.data,
            )
        except RuleBroken as error:
            show_rule_broken(form, error)
        else:
            flash(_("%(name)s's stage is saved.", name=participant.name), "success")
            return back_to(drive, "participants")
    return _render_person(drive, participant, stage_form=form)


def remove_participant(slug: str, participant_id: int):
    """GET asks for confirmation on its own page, so removing works without JavaScript."""
    drive = organised_drive(slug)
    participant = _participant(drive, participant_id)
    form = ActionForm()
    if form.validate_on_submit():
        name = participant.name
        kept = people.remove_participant(drive, current_user, participant)
        message = _("%(name)s is removed from the drive.", name=name)
        if kept:
            message += " " + ngettext("Their %(num)s unit still counts, as the group's.",
                                      "Their %(num)s units still count, as the group's.", kept)
        flash(message, "success")
        return back_to(drive, "participants")
    return render_template(
        "drives/participant_remove.html", drive=drive, participant=participant, action_form=form
    )


def decide_all(slug: str, decision: str):
    """Confirm every report but the suspected repeats, or reject every report."""
    drive = organised_drive(slug)
    if not ActionForm().validate_on_submit():
        return back_to(drive, "donations")
    try:
        if decision == "confirm":
            _say_confirmed(checking.confirm_all_but_repeats(drive, current_user))
        else:
            count = people.decide_all_reported(drive, current_user, DonationStatus.REJECTED)
            flash(ngettext("%(num)s reported donation rejected.", "%(num)s reported donations rejected.", count),
                  "success")
    except RuleBroken as error:
        flash(error.message, "info")
    return back_to(drive, "donations")


def _say_confirmed(outcome: checking.Confirmed) -> None:
    left = outcome.left_for_a_look
    said = (ngettext("%(num)s reported donation confirmed.", "%(num)s reported donations confirmed.",
                     outcome.confirmed)
            if outcome.confirmed else _("Nothing confirmed."))
    if left:
        said += " " + ngettext(
            "%(num)s report looks like a donation reported twice, so it waits for you: check it below.",
            "%(num)s reports look like a donation reported twice, so they wait for you: check each one below.",
            left)
    flash(said, "success" if outcome.confirmed else "info")
