"""The form a friend or visitor fills in to leave words of support."""

from wtforms import TextAreaField

from ..core.fields import name_field, strip
from ..core.i18n import lazy_gettext as _l
from ..core.submissions import OneTimeForm
from ..participation.join_forms import name_shown_as_field, show_name_field
from ..participation.spam import SpamGuard
from .models import SUPPORT_MESSAGE_MAX


class SupportMessageForm(SpamGuard, OneTimeForm):
    """Public, so guarded against robots like sign-up; sent twice, it leaves one message.

    The message's rules (not empty, not too long, no control characters) are the operation's,
    so they hold however a message arrives.
    """

    body = TextAreaField(
        _l("Your message"),
        description=_l("A few words for the family and everyone following the drive, up to %(max)s characters.",
                       max=SUPPORT_MESSAGE_MAX),
        filters=[strip],
        render_kw={"rows": 5, "maxlength": SUPPORT_MESSAGE_MAX},
    )
    name = name_field(_l("Your name"), _l("So the family knows who wrote. It is shown only if you choose below."))
    # The same choice, in the same words, as signing up.
    show_name = show_name_field(_l("Leave this off to sign your message “A friend”."))
    name_shown_as = name_shown_as_field()
