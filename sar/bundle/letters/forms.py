"""Forms for letters, templates and the Art 15 information. They parse; the service checks the rules."""

from __future__ import annotations

import hashlib
from typing import Any

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovSubmitInput, GovTextArea, GovTextInput
from wtforms import HiddenField, RadioField, StringField, SubmitField
from wtforms.validators import InputRequired, Length

from sar.bundle.letters.models import ART15_FIELDS, Audience, LetterKind
from sar.forms import RadiosWidget, choices

DETAIL_MAX = 4000


def _area(label: str, *, description: str = "", limit: int = DETAIL_MAX, rows: int = 5) -> StringField:
    return StringField(
        label,
        validators=[Length(max=limit, message=f"{label} must be {limit:,} characters or fewer")],
        widget=GovTextArea(),
        description=description,
        render_kw={"rows": rows},
    )


class LetterKindForm(FlaskForm):
    kind = RadioField(
        "Which letter do you want to write?",
        choices=choices((kind.value, kind.label) for kind in LetterKind),
        validators=[InputRequired(message="Select which letter to write")],
        widget=RadiosWidget(),
    )
    submit = SubmitField("Continue", widget=GovSubmitInput())


class LetterDetailsForm(FlaskForm):
    """Every detail any letter takes; the page shows those its kind uses and the service requires them."""

    kind = HiddenField()
    evidence_kind = RadioField(
        "What do you need?",
        choices=choices([("identity", "Proof of identity"), ("authority", "Evidence of authority to act")]),
        validate_choice=False,
        widget=RadiosWidget(),
    )
    what_we_need = _area(
        "What should the requester send?",
        description="One item per line, starting with a dash, for example: - a copy of your passport",
    )
    questions = _area(
        "What do you need the requester to tell you?",
        description="One question per line, starting with a dash. Ask only what you need to find the information.",
    )
    reasons = _area(
        "Reasons",
        description="These are quoted in the letter. For an extension: why the request is "
        "complex, or the number of the person's requests.",
    )
    fee_amount = StringField(
        "Fee in pounds",
        validators=[Length(max=20, message="Fee in pounds must be 20 characters or fewer")],
        widget=GovTextInput(),
        description="For example 25 or 25.50",
    )
    fee_reason = _area("Why a fee is being charged")
    note = _area("Anything else to add to the letter (optional)", rows=3)
    submit = SubmitField("Write the letter", widget=GovSubmitInput())

    FIELDS_BY_KIND = {
        LetterKind.EVIDENCE_REQUEST: ("evidence_kind", "what_we_need", "note"),
        LetterKind.CLARIFICATION: ("questions", "note"),
        LetterKind.EXTENSION: ("reasons",),
        LetterKind.FEE_REQUEST: ("fee_amount", "fee_reason"),
        LetterKind.REFUSAL: ("reasons",),
        LetterKind.NO_DATA_HELD: ("note",),
    }

    def details(self, kind: LetterKind) -> dict[str, Any]:
        return {name: getattr(self, name).data for name in self.FIELDS_BY_KIND.get(kind, ())}


class EmailLetterForm(FlaskForm):
    to_address = RadioField(
        "Email address",
        validators=[InputRequired(message="Select the email address to send the letter to")],
        widget=RadiosWidget(),
    )
    submit = SubmitField("Send by email", widget=GovSubmitInput())


class PostedForm(FlaskForm):
    submit = SubmitField("Mark as printed for post", widget=GovSubmitInput())


class StyleForm(FlaskForm):
    audience = RadioField(
        "How should letters on this case be written?",
        choices=choices((audience.value, audience.label) for audience in Audience),
        validators=[InputRequired(message="Select how letters on this case should be written")],
        widget=RadiosWidget(),
    )
    submit = SubmitField("Save letter style", widget=GovSubmitInput())


class TemplateForm(FlaskForm):
    subject = StringField(
        "Subject line",
        validators=[
            InputRequired(message="Enter the subject line"),
            Length(max=300, message="Subject line must be 300 characters or fewer"),
        ],
        widget=GovTextInput(),
    )
    body = StringField(
        "Letter text",
        validators=[
            InputRequired(message="Enter the text of the letter"),
            Length(max=50_000, message="Letter text must be 50,000 characters or fewer"),
        ],
        widget=GovTextArea(),
        description="A blank line starts a new paragraph, a line starting ## is a heading and a line starting - is "
        "a bullet point. Placeholders go between {{ and }}.",
        render_kw={"rows": 25, "spellcheck": "true"},
    )
    note = StringField(
        "What changed (optional)",
        validators=[Length(max=500, message="What changed must be 500 characters or fewer")],
        widget=GovTextInput(),
    )
    preview_reference = StringField(
        "Case to preview with",
        validators=[
            InputRequired(message="Enter the reference of a case to preview the letter with"),
            Length(max=20, message="Case reference must be 20 characters or fewer"),
        ],
        widget=GovTextInput(),
        description="A real case reference, for example SAR-2026-0042. Previewing shows that case's details and is "
        "recorded in the audit log.",
    )
    previewed = HiddenField()
    preview = SubmitField("Preview", widget=GovSubmitInput())
    save = SubmitField("Save as a new version", widget=GovSubmitInput())


def preview_digest(subject: str, body: str, reference: str) -> str:
    """Ties a save to the exact text and case that were previewed."""
    text = "\x00".join((subject.strip(), body.strip(), reference.strip().upper()))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _art15_form() -> type[FlaskForm]:
    fields: dict[str, Any] = {
        name: StringField(
            label,
            validators=[
                InputRequired(message=f"Enter {label[0].lower()}{label[1:]}"),
                Length(max=20_000, message=f"{label} must be 20,000 characters or fewer"),
            ],
            widget=GovTextArea(),
            description=hint,
            render_kw={"rows": 6},
        )
        for name, label, hint in ART15_FIELDS
    }
    fields["submit"] = SubmitField("Save", widget=GovSubmitInput())
    return type("Art15Form", (FlaskForm,), fields)


Art15Form = _art15_form()
