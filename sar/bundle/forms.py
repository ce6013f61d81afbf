"""Forms of the bundle page. They parse; the service checks the rules (signed off, the gate)."""

from __future__ import annotations

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovCheckboxInput, GovSubmitInput
from wtforms import BooleanField, SubmitField


class BuildForm(FlaskForm):
    only_new = BooleanField(
        "Only documents not disclosed before (repeat request)",
        description="The index lists what was disclosed before instead of sending it again.",
        widget=GovCheckboxInput(),
    )
    submit = SubmitField("Build the bundle", widget=GovSubmitInput())


class ReleaseForm(FlaskForm):
    submit = SubmitField("Release the bundle", widget=GovSubmitInput())
