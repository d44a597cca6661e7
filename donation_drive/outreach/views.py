"""Email invitations (organiser side and the personal link), one-click unsubscribe, region."""


from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..core import ratelimits
from ..core.extensions import csrf, db
from ..core.i18n import current_language, lazy_gettext as _l
from ..core.rules import RuleBroken, drive_today
from ..core.submissions import REPEAT_NOTE, SentBefore
from ..core.web import INVALID_FORM_STATUS, or_404, refuse, show_rule_broken
from ..donations import operations as donations
from ..drives.access import organised_drive
from ..drives.forms import ActionForm
from ..drives.models import Drive
from ..participation.donation_types import offer_the_region_s_types, refuse_a_type_not_offered
from ..participation.forms import ReportForm, report_once
from ..participation.join_forms import SignUpForm
from ..participation.pages import donation_lines
from ..participation.signing_up import sign_up_from, sign_up_page
from . import eligibility, invitations, mailings, reminders
from .forms import InvitationForm, RegionForm
from .models import InvitationStatus

INVITATION_NOT_FOUND = _l(
    "This invitation link isn't valid. It may have been sent again with a new link — "
    "check your latest email, or ask the organiser for the drive's invite link."
)


def _render_invitations(drive: Drive, form: InvitationForm, outcome=None, status: int = 200):
    return render_template(
        "outreach/invitations.html",
        drive=drive,
        form=form,
        outcome=outcome,
        invitations=invitations.invitations_of(drive),
        left_today=invitations.left_today(drive),
        per_day=invitations.INVITATIONS_PER_DAY,
        action_form=ActionForm(),
        InvitationStatus=InvitationStatus,
    ), status


@login_required
def invitations_page(slug: str):
    return _render_invitations(organised_drive(slug), InvitationForm(formdata=None))


@login_required
@ratelimits.invitations
def send_invitations(slug: str):
    drive = organised_drive(slug)
    form = InvitationForm()
    if form.validate_on_submit():
        try:
            outcome = invitations.invite(drive, current_user, form.addresses.data, form.message.data or "")
        except RuleBroken as error:
            show_rule_broken(form, error)
        else:
            # Sent invitations are kept (status 200); what could not be read goes back in the box.
            form.addresses.data = "\n".join(outcome.invalid)
            if outcome.invalid:
                form.addresses.errors = [_("These could not be read as email addresses: %(addresses)s",
                                           addresses=", ".join(outcome.invalid))]
            return _render_invitations(drive, form, outcome)
    return _render_invitations(drive, form, status=INVALID_FORM_STATUS)


@login_required
@ratelimits.invitations
def change_invitation(slug: str, invitation_id: int, action: str):
    drive = organised_drive(slug)
    invitation = or_404(invitations.invitation_of_drive(drive, invitation_id))
    try:
        if action == "resend":
            invitations.resend(invitation, current_user)
            flash(_("Invitation sent again to %(email)s, with a new link.", email=invitation.email), "success")
        else:
            invitations.revoke(invitation)
            flash(_("Invitation to %(email)s revoked: its link no longer works.", email=invitation.email), "success")
    except RuleBroken as error:
        refuse(409, error.message)
    return redirect(url_for("outreach.invitations_page", slug=drive.slug))


@ratelimits.sign_up
def personal_invitation(token: str):
    """A personal invitation link: it prefills the name, never who signs up.

    Signing up is the invite link's own (participation/signing_up.py: same checks, limits and
    confirmation email); this one also marks the invitation opened, then joined.
    """
    invitation = or_404(invitations.invitation_by_token(token), INVITATION_NOT_FOUND)
    if invitation.status is InvitationStatus.REVOKED:
        refuse(410, _("The organiser has withdrawn this invitation, so this link no longer lets anyone join. "
                      "If you'd still like to take part, ask them for the drive's invite link."))
    drive = invitation.drive
    invitations.mark_opened(invitation)
    if request.method != "POST":
        return sign_up_page(drive, SignUpForm(formdata=None, name=invitation.name or None))
    form = SignUpForm()
    if form.validate_on_submit() and (signed_up := sign_up_from(drive, form, language=current_language())):
        participant, private_link = signed_up
        invitations.mark_joined(invitation, participant)
        return redirect(url_for("participant.welcome", token=private_link))
    return sign_up_page(drive, form)


@csrf.exempt
def unsubscribe(token: str):
    """GET asks (link scanners must not unsubscribe anyone); POST, also one-click from a mail app, does it."""
    found = mailings.read_unsubscribe_token(token)
    drive = db.session.get(Drive, found[0]) if found else None
    if found is None or drive is None:
        refuse(404, _("This unsubscribe link isn't valid. Check it was copied in full."))
    done = request.method == "POST"
    if done:
        mailings.unsubscribe(drive.id, found[1])
    return render_template("outreach/unsubscribe.html", drive=drive, done=done, token=token)


@login_required
def change_region(slug: str):
    drive = organised_drive(slug)
    form = RegionForm()
    if not form.validate_on_submit():
        refuse(INVALID_FORM_STATUS, _("Please choose one of the listed blood services."))
    eligibility.choose_blood_service(drive, current_user, form.region.data)
    flash(_("Saved: donors will see their next dates by that blood service's rules."), "success")
    return redirect(url_for("organiser.advanced_page", slug=drive.slug, _anchor="blood-service"))


@ratelimits.donation_report
def report_from_email(token: str):
    """"Did you manage to donate?": the report form, reached from a reminder email."""
    participant = or_404(reminders.participant_of_report_link(token),
                         _("This link isn't valid any more. Use your private link to report your donation."))
    form = ReportForm(formdata=request.form if request.method == "POST" else None,
                      donated_on=drive_today(participant.drive), donation_type=participant.donation_type.value)
    second_look = ""
    if form.validate_on_submit():
        try:
            refuse_a_type_not_offered(participant.drive.region, form, participant.donation_type)
            report_once(participant, form)
        except SentBefore:
            flash(REPEAT_NOTE, "info")
            return redirect(url_for("outreach.report_from_email", token=token))
        except donations.NeedsConfirming as question:
            second_look = question.message
        except RuleBroken as error:
            show_rule_broken(form, error)
        else:
            flash(_("Thank you for donating. Your units now count towards the drive."), "success")
            return redirect(url_for("outreach.report_from_email", token=token))
    offer_the_region_s_types(participant.drive.region, form, participant.donation_type)
    page = render_template("participation/report_from_email.html", participant=participant, drive=participant.drive,
                           form=form, second_look=second_look, next_donations=eligibility.donate_again(participant),
                           donations=donation_lines(participant))
    return page, (INVALID_FORM_STATUS if form.errors else 200)
