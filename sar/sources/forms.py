"""Gathering forms."""

from __future__ import annotations

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovSubmitInput, GovTextInput
from wtforms import MultipleFileField, StringField, SubmitField
from wtforms.validators import Length


class AddDocumentsForm(FlaskForm):
    # The file input is written in the template (several files at once); the form reads request.files.
    files = MultipleFileField("Files")
    source = StringField(
        "Where the files came from (optional)",
        widget=GovTextInput(),
        validators=[Length(max=100, message="Where the files came from must be 100 characters or fewer")],
        description="For example ‘Email from the Early Help team’. Leave blank for ‘upload’.",
    )
    submit = SubmitField("Add the files", widget=GovSubmitInput())


class ConfirmForm(FlaskForm):
    submit = SubmitField("Confirm", widget=GovSubmitInput())
