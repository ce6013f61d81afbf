"""Forms that record clock events. The server checks everything; the widgets only render GOV.UK markup."""

from __future__ import annotations

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovRadioInput, GovSubmitInput
from wtforms import RadioField, SubmitField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import AnyOf, InputRequired

from sar.clock.models import EventKind
from sar.forms import GovDateField, text_area

# Only the facts the clock itself owns: proof of identity and authority are recorded once, in the case's evidence
# section, and closing or reopening is the outcome decision on the case page (one action, one fact, one place).
# The extension has its own form (it needs reasons and a notice date).
RECORDABLE = (
    EventKind.FEE_REQUESTED,
    EventKind.FEE_PAID,
    EventKind.CLARIFICATION_ASKED,
    EventKind.CLARIFICATION_ANSWERED,
)
EVENT_CHOICES = [SelectChoice(kind.value, kind.label) for kind in RECORDABLE]
NOTE_MAX = 2000


class ClockEventForm(FlaskForm):
    kind = RadioField(
        "What happened?",
        choices=EVENT_CHOICES,
        # Any event kind gets through to the service, which explains where a fact recorded elsewhere belongs.
        validate_choice=False,
        validators=[InputRequired("Select what happened"), AnyOf([k.value for k in EventKind], "Select what happened")],
        widget=GovRadioInput(),
    )
    event_date = GovDateField(
        "Date it happened",
        what="the date it happened",
        required=True,
        description="The day in the council's calendar, for example 27 3 2026",
    )
    note = text_area("Note (optional)", NOTE_MAX, "The note")
    submit = SubmitField("Record event", widget=GovSubmitInput())


class ExtensionForm(FlaskForm):
    decided_on = GovDateField(
        "Date the extension was decided", what="the date the extension was decided", required=True
    )
    reasons = text_area(
        "Reasons for the extension",
        NOTE_MAX,
        "The reasons",
        description="Why the request is complex or why the number of requests needs more time. "
        "The notice to the requester must give these reasons.",
    )
    notice_date = GovDateField(
        "Date the extension notice was sent",
        what="the date the extension notice was sent",
        required=True,
        description="It must be on or before the notice deadline shown above.",
    )
    note = text_area("Note (optional)", NOTE_MAX, "The note")
    submit = SubmitField("Record extension", widget=GovSubmitInput())


class VoidEventForm(FlaskForm):
    reason = text_area(
        "Why is this event a mistake?",
        NOTE_MAX,
        "The reason",
        required="Enter why the event is being marked as a mistake",
    )
    submit = SubmitField("Mark as a mistake", widget=GovSubmitInput())
