from wtforms import HiddenField

from ..core import limits
from ..core.fields import date_field, donation_type_field, units_field
from ..core.i18n import lazy_gettext as _l
from ..core.submissions import OneTimeForm, create_once, sent_form
from ..donations import operations as donations
from ..donations.models import Donation, DonationType
from .models import Participant


class ReportForm(OneTimeForm):
    units = units_field(_l("Units"), limits.PARTICIPANT_UNITS_MAX, description=_l("Usually 1."))
    donated_on = date_field(_l("Date donated"), required=True)
    donation_type = donation_type_field()
    #: "yes" once the participant answered "is this another donation?" (donations.NeedsConfirming).
    confirmed = HiddenField()


def report_once(participant: Participant, form: ReportForm) -> Donation:
    """Report what the private page's or the reminder email's form says, once per rendered form.

    Raises SentBefore for a repeat, donations.NeedsConfirming for a second report too soon, and
    RuleBroken for a refusal.
    """
    return create_once(sent_form("report", form, f"participant:{participant.id}"), Donation,
                       lambda: donations.report_donation(participant, form.units.data,
                                                         DonationType(form.donation_type.data), form.donated_on.data,
                                                         confirmed=form.confirmed.data == "yes"))
