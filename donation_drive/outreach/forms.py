from flask_wtf import FlaskForm
from wtforms import SelectChoice, SelectField, TextAreaField
from wtforms.validators import DataRequired, Length

from ..core.fields import strip
from .eligibility import REGIONS
from .invitations import ADDRESS_LIST_MAX_CHARS, ADDRESS_LIST_MAX_ENTRIES, INVITATIONS_PER_DAY, MESSAGE_MAX


class InvitationForm(FlaskForm):
    addresses = TextAreaField(
        "Email addresses",
        description=(
            "One per line or separated by commas. You can write a name first, like "
            f"Ana Smith <ana@example.org>. Up to {ADDRESS_LIST_MAX_ENTRIES} at a time; "
            f"a drive can send {INVITATIONS_PER_DAY} invitations a day."
        ),
        filters=[strip],
        validators=[
            DataRequired("Please paste at least one email address."),
            Length(max=ADDRESS_LIST_MAX_CHARS,
                   message=f"That list is too long. "
                   f"Please paste at most {ADDRESS_LIST_MAX_ENTRIES} addresses at a time."),
        ],
        render_kw={"rows": 5, "autocomplete": "off", "spellcheck": "false"},
    )
    message = TextAreaField(
        "Personal message",
        description="Optional. Sent with every invitation, under your name.",
        filters=[strip],
        validators=[Length(max=MESSAGE_MAX, message=f"Please keep the message under {MESSAGE_MAX:,} characters.")],
        render_kw={"rows": 4, "maxlength": MESSAGE_MAX},
    )


class RegionForm(FlaskForm):
    region = SelectField(
        "Blood service",
        description="Whose rules to use when telling donors when they may give again.",
        # By country, as people look for their own: "Australia — …" first, "United States — …" last.
        choices=[SelectChoice(key, region.name)
                 for key, region in sorted(REGIONS.items(), key=lambda item: item[1].name)],
        validate_choice=True,
    )
