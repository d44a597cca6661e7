"""A friend opens the invite link, reads the story and signs up."""

from flask import redirect, render_template, session, url_for

from ..core import ratelimits, submissions
from ..core.rules import RuleBroken
from ..core.web import INVALID_FORM_STATUS, refuse, show_rule_broken
from ..counting.tallies import progress_of
from ..models import DonationType, Drive, NameShownAs
from ..outreach import reminders
from ..privacy.mails import send_sign_in_link
from . import operations as participation
from .join_forms import PledgeFields, SignUpForm
from .operations import Pledge


def pledge_from(form: PledgeFields) -> Pledge:
    return Pledge(
        units=form.units.data,
        donation_type=DonationType(form.donation_type.data),
        planned_on=form.planned_on.data,
        show_name=bool(form.show_name.data),
        name_shown_as=NameShownAs(form.name_shown_as.data),
    )


def _drive_for_code(code: str) -> Drive:
    drive = participation.drive_by_invite_code(code)
    if drive is not None:
        return drive
    if participation.drive_of_retired_code(code) is not None:
        refuse(
            410,
            "The organiser has changed this drive's invite link, so this one no longer "
            "works. Please ask them for the new link.",
        )
    refuse(404, "This invite link isn't valid. Please check it was copied in full, or ask the organiser for it again.")


def _submission(form: SignUpForm) -> participation.Submission | None:
    """The form's one-time key, tied to this browser's CSRF secret so only it can send the form again."""
    key, browser_secret = form.submission_key.data or "", session.get("csrf_token")
    if not browser_secret or not submissions.SUBMISSION_KEY_PATTERN.match(key):
        return None  # a form from before keys existed: signs up as it always did
    return participation.Submission(key, browser_secret)


@ratelimits.sign_up
def sign_up(code: str):
    drive = _drive_for_code(code)
    form = SignUpForm()
    accepting = participation.accepting_sign_ups(drive)
    if form.validate_on_submit():
        # A taken address must look like a new one to whoever typed it: they sign up without
        # it, and its owner gets their sign-in link. Nobody learns who took part.
        owner = participation.signed_up_with(drive, form.email.data)
        try:
            participant, token = participation.sign_up(
                drive, form.name.data, None if owner else form.email.data, pledge_from(form),
                submission=_submission(form),
            )
        except participation.AlreadySignedUp as earlier:
            return redirect(url_for("participant.welcome", token=earlier.token))
        except RuleBroken as error:
            show_rule_broken(form, error)
        else:
            if owner is not None:
                send_sign_in_link(owner, signed_up_again=True)
            reminders.confirm_sign_up(participant, token)
            return redirect(url_for("participant.welcome", token=token))
    status = (INVALID_FORM_STATUS if accepting else 409) if form.errors else 200
    return render_template(
        "join/sign_up.html", drive=drive, form=form, progress=progress_of(drive), accepting=accepting
    ), status
