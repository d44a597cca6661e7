from wtforms import HiddenField

from .. import limits
from ..fields import date_field, donation_type_field, units_field
from ..submissions import OneTimeForm


class ReportForm(OneTimeForm):
    units = units_field("Units", limits.PARTICIPANT_UNITS_MAX, description="Usually 1.")
    donated_on = date_field("Date donated", required=True)
    donation_type = donation_type_field()
    #: "yes" once the participant answered "is this another donation?" (donations.NeedsConfirming).
    confirmed = HiddenField()
