from flask_wtf import FlaskForm

from ..fields import email_field


class LostLinkForm(FlaskForm):
    email = email_field(required=True, description="The address you gave when you signed up.")
