"""Signing up with the sign-up form, from the invite link or from a personal invitation alike:
the same checks, the same answer to a taken address, the same confirmation email."""

from flask import render_template, session

from ..core import submissions
from ..core.rules import RuleBroken
from ..core.web import INVALID_FORM_STATUS, show_rule_broken
from ..counting.tallies import progress_of
from ..donations.models import DonationType
from ..drives.models import Drive, OrganiserRole
from ..outreach import eligibility, reminders
from ..privacy.mails import send_sign_in_link
from . import operations as participation
from .donation_types import offer_the_region_s_types, refuse_a_type_not_offered
from .join_forms import PledgeFields, SignUpForm
from .models import NameShownAs, Participant
from .operations import Pledge

#: The pledge's fields folded under "More" on the sign-up form, with what each starts as.
_FOLDED_DEFAULTS = {"units": 1, "donation_type": DonationType.WHOLE_BLOOD.value, "planned_on": None}


def pledge_from(form: PledgeFields) -> Pledge:
    return Pledge(
        units=form.units.data,
        donation_type=DonationType(form.donation_type.data),
        planned_on=form.planned_on.data,
        show_name=bool(form.show_name.data),
        name_shown_as=NameShownAs(form.name_shown_as.data),
    )


def _submission(form: SignUpForm) -> participation.Submission | None:
    """The form's one-time key, tied to this browser's CSRF secret so only it can send the form again."""
    key, browser_secret = form.submission_key.data or "", session.get("csrf_token")
    if not browser_secret or not submissions.SUBMISSION_KEY_PATTERN.match(key):
        return None  # a form from before keys existed: signs up as it always did
    return participation.Submission(key, browser_secret)


def sign_up_from(drive: Drive, form: SignUpForm, language: str | None = None) -> tuple[Participant, str] | None:
    """Sign up whoever sent `form` (already validated), from an invite link or a personal
    invitation alike; the participant and their private link, or None with the refusal on
    the form. A form sent twice answers with whom it signed up the first time.

    `language` is the offered language of the page they signed up on (the view reads it): their
    mail is written in it."""
    # A taken address must look like a new one to whoever typed it: they sign up without
    # it, and its owner gets their sign-in link. Nobody learns who took part.
    owner = participation.signed_up_with(drive, form.email.data)
    try:
        refuse_a_type_not_offered(drive.region, form)
        participant, token = participation.sign_up(
            drive, form.name.data, None if owner else form.email.data, pledge_from(form),
            submission=_submission(form), language=language,
        )
    except participation.AlreadySignedUp as earlier:
        return earlier.participant, earlier.token
    except RuleBroken as error:
        show_rule_broken(form, error)
        return None
    if owner is not None:
        send_sign_in_link(owner, signed_up_again=True)
    reminders.confirm_sign_up(participant, token)
    return participant, token


def _more_is_open(form: SignUpForm) -> bool:
    """Open "More" when one of its fields has an error or was changed from what it starts as."""
    return any(getattr(form, name).errors or getattr(form, name).data not in (default, str(default))
               for name, default in _FOLDED_DEFAULTS.items())


def invited_by(drive: Drive) -> str:
    """Who invited the friend: the first name of the drive's owner (only people with the link read it)."""
    owner = next((organiser.user for organiser in drive.organisers if organiser.role is OrganiserRole.OWNER), None)
    return owner.name.split()[0] if owner and owner.name.strip() else ""


def sign_up_page(drive: Drive, form: SignUpForm) -> tuple[str, int]:
    """The sign-up page, with the form as it was sent (and its errors), or blank."""
    accepting = participation.accepting_sign_ups(drive)
    if accepting:
        offer_the_region_s_types(drive.region, form)
    status = (INVALID_FORM_STATUS if accepting else 409) if form.errors else 200
    return render_template(
        "participation/sign_up.html", drive=drive, form=form, progress=progress_of(drive), accepting=accepting,
        invited_by=invited_by(drive), blood_service=eligibility.region_of(drive.region), more_open=_more_is_open(form),
    ), status


