"""The review pages' forms. The page shows many small forms at once (one per finding, redact, withhold, the
document, notes, sign-off), written by hand in the templates so review.js finds them; these classes read what
they post, carry each field's id on that page, and take a service's refusal (:func:`sar.forms.show_error`) so
the page is shown again with one error summary linking to the field, answered 422 (:func:`sar.forms.refused`).

Field names are what the templates post (and review.js fills in); ids are the ids those inputs have on the page.
"""

from __future__ import annotations

from typing import Any

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovSubmitInput
from wtforms import Field, HiddenField, RadioField, StringField, SubmitField
from wtforms.validators import AnyOf, InputRequired, ValidationError

from sar.errors import DomainError
from sar.forms import (
    GovDateField,
    MultiCheckboxField,
    RadiosWidget,
    choices,
    enum_choices,
    max_length,
    text_area,
    text_field,
)
from sar.review.models import ConsultationKind

REASON = 2000


def _reason(id_: str) -> StringField:
    return StringField("Reason", id=id_, validators=[max_length(REASON, "The reason")])


class ReviewForm(FlaskForm):
    """What every review form does after the server refused it: say which section of the page it belongs to."""

    section = ""  # the id of the heading the form sits under, for the page's anchor

    def refuse(self, error: DomainError) -> None:
        from sar.forms import show_error

        show_error(self, error)

    def first_error(self) -> str:
        if self.form_errors:
            return str(self.form_errors[0])
        return next(str(field.errors[0]) for field in self if field.errors)


class DecisionForm(ReviewForm):
    action = HiddenField()
    code = StringField("Exemption")
    reason = _reason("reason")

    def for_finding(self, finding_id: int) -> DecisionForm:
        """Each finding's form has its own ids on the page (``code-12``, ``reason-12``)."""
        self.code.id, self.reason.id = f"code-{finding_id}", f"reason-{finding_id}"
        self.section = f"finding-{finding_id}"
        return self


class RedactForm(ReviewForm):
    """Words of the page (``kind=text``) or an area drawn on it (``kind=box``)."""

    section = "add-redaction"
    kind = HiddenField()
    search = StringField("Words to redact", id="search", validators=[max_length(200, "The words to redact")])
    start = HiddenField()
    end = HiddenField()
    x0 = StringField("Left", id="box-x0")
    y0 = StringField("Top", id="box-y0")
    x1 = StringField("Right", id="box-x1")
    y1 = StringField("Bottom", id="box-y1")
    code = StringField("Exemption", id="text-code")
    reason = _reason("text-reason")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.is_box:
            self.code.id = "box-code"

    @property
    def is_box(self) -> bool:
        return self.kind.data == "box"

    def corners(self) -> tuple[float, float, float, float]:
        try:
            x0, y0, x1, y1 = (float((f.data or "").strip()) for f in (self.x0, self.y0, self.x1, self.y1))
        except ValueError:
            raise DomainError("Enter the box's four corners as numbers", "x0") from None
        return x0, y0, x1, y1

    def span(self) -> tuple[int | None, int | None]:
        def number(value: str | None) -> int | None:
            try:
                return int((value or "").strip())
            except ValueError:
                return None

        return number(self.start.data), number(self.end.data)


class WithholdPageForm(ReviewForm):
    section = "page-actions"
    release = HiddenField()
    code = StringField("Exemption", id="page-code")
    reason = _reason("page-reason")


class DocumentFlagForm(ReviewForm):
    section = "document-actions"
    page = HiddenField()
    flag = StringField("What to record", id="flag")
    code = StringField("Exemption", id="document-code")
    reason = _reason("document-reason")


class NoteForm(ReviewForm):
    section = "notes"
    document_id = HiddenField()
    page = HiddenField()
    note = StringField("Note", id="note")


class SignOffForm(ReviewForm):
    section = "sign-off"
    step = HiddenField()
    comments = StringField("Comments for the reviewer", id="comments", validators=[max_length(REASON, "The comments")])


class UndoForm(ReviewForm):
    section = "batches"


class ApplyForm(ReviewForm):
    """Apply one decision to every mention of a person or occurrence of a text: asked (GET, the count), then
    confirmed (POST). Only the confirmation changes anything, so only it carries a CSRF token."""

    person = HiddenField()
    text = StringField("Every occurrence of these words", id="text", validators=[max_length(200, "The words")])
    outcome = HiddenField()
    code = StringField("Exemption", id="code")
    reason = _reason("reason")
    confirm = HiddenField()
    back = HiddenField()


class ExplanationForm(ReviewForm):
    """Why an inconsistency the check lists is right; each issue's form has its own ids on the page."""

    key = HiddenField()
    explanation = StringField("Why this is right", validators=[max_length(REASON, "The explanation")])

    def for_issue(self, key: str) -> ExplanationForm:
        self.explanation.id = f"explanation-{key[:12]}"
        self.section = f"issue-{key[:12]}"
        return self


class ConsultationForm(ReviewForm):
    """A consultation's record: who, their opinion or reasons, and its date (ids per consultation)."""

    consultation_id = HiddenField()
    consultee = StringField("Consultee", validators=[max_length(200, "The name and role")])
    opinion = StringField("Opinion", validators=[max_length(REASON, "The opinion")])
    opinion_date = GovDateField("Date of the opinion", what="the date of the opinion")

    def for_consultation(self, consultation_id: int) -> ConsultationForm:
        for field in (self.consultee, self.opinion, self.opinion_date):
            field.id = f"{field.name}-{consultation_id}"
        self.section = f"consultation-{consultation_id}"
        return self


class ConsentForm(FlaskForm):
    """A third party's answer to the consent question (its own page, on the form kit's layout)."""

    answer = RadioField(
        "Do they consent to their information being disclosed to the requester?",
        choices=choices([("yes", "Yes, they consent"), ("no", "No, they refuse")]),
        validate_choice=False,
        validators=[
            InputRequired("Select whether they consent or refuse"),
            AnyOf(["yes", "no"], "Select whether they consent or refuse"),
        ],
        widget=RadiosWidget(),
    )
    answered_on = GovDateField("Date of their answer", what="the date of their answer", required=True, past=True)
    note = text_area("Notes (optional)", 500, "The notes")
    submit = SubmitField("Record their answer", widget=GovSubmitInput())


def _chosen(form: FlaskForm, field: Field) -> None:
    """A radio button was chosen (one of the values is the empty string, so InputRequired cannot say)."""
    if not field.raw_data:
        raise ValidationError("Select whether a consultation is needed")


class ExemptionForm(FlaskForm):
    """One code of the exemption catalogue, as the DPO edits it."""

    name = text_field("Name", 120, "The name", required="Enter a name")
    description = text_field("One-line description", 300, "The description", required="Enter a one-line description")
    provision = text_field("Provision", 120, "The provision", required="Enter the provision")
    consultee = text_field("Who is consulted (optional)", 300, "Who is consulted")
    test = text_area("The test the reviewer must apply", 4000, "The test", required="Enter the test")
    consultation = RadioField(
        "Consultation needed before sign-off",
        choices=enum_choices(ConsultationKind),
        validate_choice=False,
        validators=[_chosen, AnyOf([k.value for k in ConsultationKind], "Select whether a consultation is needed")],
        widget=RadiosWidget(),
    )
    active = MultiCheckboxField("Offered to reviewers", choices=choices([("yes", "In use (offered to reviewers)")]))
    submit = SubmitField("Save", widget=GovSubmitInput())


def number(value: Any) -> int | None:
    """A hidden page or document number, or ``None`` if it is missing or not a number."""
    try:
        return int(str(value or "").strip())
    except ValueError:
        return None
