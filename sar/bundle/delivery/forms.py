"""Forms for secure delivery. They parse; the service checks the rules (address on the case, the password, limits)."""

from __future__ import annotations

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovSubmitInput, GovTextInput
from wtforms import RadioField, StringField, SubmitField
from wtforms.validators import AnyOf, InputRequired, Length, Regexp

from sar.bundle.delivery.models import PasswordChannel
from sar.forms import RadiosWidget, choices


def _count_field(label: str, missing: str, *, example: int) -> StringField:
    """A text box for a small whole number, not an IntegerField: an empty or mistyped number gets one GOV.UK
    message, and the service checks the range (1-90 days, 1-20 downloads) beside the field."""
    return StringField(
        label,
        validators=[
            InputRequired(message=missing),
            Regexp(r"^\s*\d{1,4}\s*$", message=f"{label} must be a whole number, like {example}"),
        ],
        widget=GovTextInput(),
        render_kw={"inputmode": "numeric"},
    )


class LinkForm(FlaskForm):
    bundle_id = RadioField(
        "Which bundle do you want to send?",
        validators=[InputRequired(message="Select the bundle to send")],
        widget=RadiosWidget(),
        validate_choice=False,  # the service checks it is a released bundle of this case, with a message
    )
    to_address = RadioField(
        "Email the download link to",
        validators=[InputRequired(message="Select the email address to send the link to")],
        widget=RadiosWidget(),
        validate_choice=False,  # the service checks it is recorded on the case, with a message
    )
    password_channel = RadioField(
        "How should the requester get the password?",
        choices=choices((channel.value, channel.label) for channel in PasswordChannel),
        validators=[
            InputRequired(message="Select how the requester gets the password"),
            AnyOf([channel.value for channel in PasswordChannel], message="Select how the requester gets the password"),
        ],
        widget=RadiosWidget(),
        validate_choice=False,
    )
    password = StringField(
        "The bundle's password",
        description="As shown when the bundle was released. It is checked, sent the way you chose and not kept.",
        validators=[
            InputRequired(message="Enter the bundle's password, as shown when it was released"),
            Length(max=200, message="The password must be 200 characters or fewer"),
        ],
        widget=GovTextInput(),
        render_kw={"autocomplete": "off", "spellcheck": "false"},
    )
    days = _count_field("Days the link works", "Enter how many days the link works", example=28)
    max_downloads = _count_field("Downloads allowed", "Enter how many downloads are allowed", example=5)
    submit = SubmitField("Send the link", widget=GovSubmitInput())


class LinkActionForm(FlaskForm):
    """Revoke or resend: a button, with its CSRF token."""

    submit = SubmitField("Confirm", widget=GovSubmitInput())


class DownloadForm(FlaskForm):
    submit = SubmitField("Download your records", widget=GovSubmitInput())
