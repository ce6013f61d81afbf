"""Gathering forms."""

from __future__ import annotations

from typing import Any

from flask_wtf import FlaskForm
from flask_wtf.file import FileField, MultipleFileField
from govuk_frontend_wtf.wtforms_widgets import GovSelect, GovSubmitInput
from werkzeug.datastructures import FileStorage
from wtforms import RadioField, SelectField, StringField, SubmitField
from wtforms.validators import InputRequired, ValidationError

from sar.forms import GovDateField, MultiCheckboxField, RadiosWidget, choices, text_area, text_field
from sar.sources.connectors import KINDS


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
    source = text_field(
        "Where the files came from (optional)",
        100,
        "Where the files came from",
        description="For example ‘Email from the Early Help team’. Leave blank for ‘upload’.",
    )
    submit = SubmitField("Add the files", widget=GovSubmitInput())


class ConfirmForm(FlaskForm):
    submit = SubmitField("Confirm", widget=GovSubmitInput())


def _area(label: str, what: str, *, required: bool = False, description: str = "") -> StringField:
    return text_area(label, 5000, what, required=f"Enter {what.lower()}" if required else None, description=description)


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
    searched_by = text_field("Who searched", 200, "Who searched", required="Enter who searched")
    searched_on = GovDateField("Date of the search", what="the date of the search", required=True, past=True)
    submit = SubmitField("Confirm no records are held", widget=GovSubmitInput())


class UploadLinkForm(FlaskForm):
    recipient = text_field(
        "Who the link is for",
        254,
        "Who the link is for",
        required="Enter who the link is for",
        description="For example, the provider's data protection lead and their email address.",
    )
    submit = SubmitField("Make an upload link", widget=GovSubmitInput())


class ProviderUploadForm(FlaskForm):
    """What a provider sends through a one-time upload link."""

    sender = text_field(
        "Your name and organisation", 200, "Your name and organisation", required="Enter your name and organisation"
    )
    files = _files()
    submit = SubmitField("Send the files", widget=GovSubmitInput())


class EvidenceFileForm(FlaskForm):
    file = FileField("Attach a file", validators=[_chosen("Select a file")])


class ConnectorForm(FlaskForm):
    name = text_field("Name", 100, "The name", required="Enter a name")
    kind = RadioField(
        "Kind of source",
        choices=choices(KINDS.items()),
        widget=RadiosWidget(),
        validators=[InputRequired(message="Select the kind of source")],
    )
    team_id = SelectField(
        "Team that holds it",
        coerce=int,
        widget=GovSelect(),
        validators=[InputRequired(message="Select the team that holds it")],
    )
    settings = text_area(
        "Settings (JSON)",
        100_000,
        "The settings",
        required="Enter the settings",
        description='For a database: {"url": "postgresql+psycopg://…", "queries": [{"title": "Case note", '
        '"sql": "SELECT … WHERE nhs_number = :nhs_number", "date_column": "note_date"}]}. '
        'For a file share or an email export: {"path": "/mnt/share"}.',
    )
    submit = SubmitField("Add the connector", widget=GovSubmitInput())
