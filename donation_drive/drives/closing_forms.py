"""The closing form: the family's closing message, a preview of the memorial, and the closing itself."""

from flask_wtf import FlaskForm
from wtforms import SubmitField, TextAreaField

from ..core.fields import strip
from ..core.i18n import lazy_gettext as _l
from .closing import CLOSING_MESSAGE_MAX


class ClosingForm(FlaskForm):
    closing_message = TextAreaField(
        _l("Closing message"),
        description=_l("Optional, and shown on the memorial under the board. You might thank everyone who "
                       "gave blood, say what the drive meant to your family, or what comes next. "
                       "You can change it later."),
        # Its length and characters are checked by closing.clean_closing_message, after line breaks
        # are made one character each, as the browser's maxlength counts them.
        filters=[strip],
        render_kw={"rows": 8, "maxlength": CLOSING_MESSAGE_MAX},
    )
    #: Shows the memorial with this message above the form; nothing is saved.
    preview = SubmitField(_l("Preview"))

    @property
    def previewing(self) -> bool:
        return bool(self.preview.data)
