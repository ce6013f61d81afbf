"""Gathering forms."""

from __future__ import annotations

from typing import Any

from flask_wtf import FlaskForm
from flask_wtf.file import FileField, MultipleFileField
from govuk_frontend_wtf.wtforms_widgets import GovSelect, GovSubmitInput, GovTextArea, GovTextInput
from werkzeug.datastructures import FileStorage
from wtforms import SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import InputRequired, Length, ValidationError

from sar.forms import GovDateField, MultiCheckboxField


def _chosen(message: str) -> Any:
    """A file input must carry at least one file with a name (browsers post an empty part when none is chosen)."""

    def check(form: Any, field: Any) -> None:
        data = field.data if isinstance(field.data, list) else [field.data]
        if not any(isinstance(item, FileStorage) and item.filename for item in data):
            raise ValidationError(message)

    return check


def chosen_files(field: Any) -> list[FileStorage]:
    """The files a validated file field holds, without the empty part of an input left blank."""
    data = field.data if isinstance(field.data, list) else [field.data]
    return [item for item in data if isinstance(item, FileStorage) and item.filename]


# File inputs are written in the templates (templates/sources/_macros.html: GOV.UK's file upload, several files at
# once); the fields below carry their data and errors, so refusals reach the error summary through the form kit.


def _files() -> MultipleFileField:
    return MultipleFileField("Files", validators=[_chosen("Select one or more files")])


class AddDocumentsForm(FlaskForm):
    files = _files()
    source = StringField(
        "Where the files came from (optional)",
        widget=GovTextInput(),
        validators=[Length(max=100, message="Where the files came from must be 100 characters or fewer")],
        description="For example ‘Email from the Early Help team’. Leave blank for ‘upload’.",
    )
    submit = SubmitField("Add the files", widget=GovSubmitInput())


class ConfirmForm(FlaskForm):
    submit = SubmitField("Confirm", widget=GovSubmitInput())


def _area(label: str, what: str, *, required: bool = False, description: str = "") -> TextAreaField:
    checks = [Length(max=5000, message=f"{what} must be 5000 characters or fewer")]
    if required:
        checks.insert(0, InputRequired(message=f"Enter {what.lower()}"))
    return TextAreaField(label, widget=GovTextArea(), validators=checks, description=description)


class CommissionForm(FlaskForm):
    teams = MultiCheckboxField(
        "Which teams and providers should search?",
        coerce=int,
        validators=[InputRequired(message="Select at least one team or provider")],
    )
    instructions = _area(
        "What to search for",
        "What to search for",
        required=True,
        description="For example: every record of contact with the family, including case notes and emails.",
    )
    search_terms = _area(
        "Search terms",
        "The search terms",
        description="Other names, addresses or references to search for, one per line. "
        "The subject's names, date of birth and NHS number are added to the task.",
    )
    date_from = GovDateField("Records from", what="the start of the date range", description="Optional.")
    date_to = GovDateField("Records to", what="the end of the date range", description="Optional.")
    due_date = GovDateField(
        "Due",
        what="the date the search is due",
        required=True,
        description="Inside the statutory clock, before the internal target.",
    )
    assignee = SelectField(
        "Assign to a person",
        coerce=int,
        widget=GovSelect(),
        description="Optional. Otherwise each search goes to the team's inbox.",
    )
    submit = SubmitField("Commission the searches", widget=GovSubmitInput())


class SupplyFilesForm(FlaskForm):
    files = _files()
    submit = SubmitField("Send the files", widget=GovSubmitInput())


class NoRecordsForm(FlaskForm):
    systems_searched = _area(
        "Systems and places searched",
        "The systems and places searched",
        required=True,
        description="For example: Mosaic, the team's shared drive, the team mailbox, archived paper files.",
    )
    terms_used = _area("Names and search terms used", "The names and search terms used", required=True)
    searched_by = StringField(
        "Who searched",
        widget=GovTextInput(),
        validators=[
            InputRequired(message="Enter who searched"),
            Length(max=200, message="Who searched must be 200 characters or fewer"),
        ],
    )
    searched_on = GovDateField("Date of the search", what="the date of the search", required=True, past=True)
    submit = SubmitField("Confirm no records are held", widget=GovSubmitInput())


class UploadLinkForm(FlaskForm):
    recipient = StringField(
        "Who the link is for",
        widget=GovTextInput(),
        validators=[
            InputRequired(message="Enter who the link is for"),
            Length(max=254, message="Who the link is for must be 254 characters or fewer"),
        ],
        description="For example, the provider's data protection lead and their email address.",
    )
    submit = SubmitField("Make an upload link", widget=GovSubmitInput())


class ProviderUploadForm(FlaskForm):
    """What a provider sends through a one-time upload link."""

    sender = StringField(
        "Your name and organisation",
        widget=GovTextInput(),
        validators=[
            InputRequired(message="Enter your name and organisation"),
            Length(max=200, message="Your name and organisation must be 200 characters or fewer"),
        ],
    )
    files = _files()
    submit = SubmitField("Send the files", widget=GovSubmitInput())


class EvidenceFileForm(FlaskForm):
    file = FileField("Attach a file", validators=[_chosen("Select a file")])
