from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import DataRequired, Length

from ..fields import strip
from ..models.api import TOKEN_NAME_MAX


class NewTokenForm(FlaskForm):
    name = StringField(
        "What is this token for?",
        description='A name to recognise it by, like "Blood service feed" or "Spreadsheet script".',
        filters=[strip],
        validators=[
            DataRequired("Please give the token a name."),
            Length(max=TOKEN_NAME_MAX, message=f"Please keep the name under {TOKEN_NAME_MAX} characters."),
        ],
        render_kw={"maxlength": TOKEN_NAME_MAX, "autocomplete": "off"},
    )
