"""Forms for letters, templates and the Art 15 information. They parse; the service checks the rules."""

from __future__ import annotations

import hashlib
from typing import Any

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovSubmitInput
from wtforms import HiddenField, RadioField, StringField, SubmitField
from wtforms.validators import InputRequired

from sar.bundle.letters.models import ART15_FIELDS, Audience, LetterKind
from sar.forms import RadiosWidget, choices, text_area, text_field

DETAIL_MAX = 4000


def _area(label: str, *, description: str = "", rows: int = 5) -> StringField:
    """An optional detail of a letter; the service says which ones a kind of letter needs."""
    return text_area(label, DETAIL_MAX, label, description=description, render_kw={"rows": rows})


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
    fee_amount = text_field("Fee in pounds", 20, "Fee in pounds", description="For example 25 or 25.50")
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
    subject = text_field("Subject line", 300, "Subject line", required="Enter the subject line")
    body = text_area(
        "Letter text",
        50_000,
        "Letter text",
        required="Enter the text of the letter",
        description="A blank line starts a new paragraph, a line starting ## is a heading and a line starting - is "
        "a bullet point. Placeholders go between {{ and }}.",
        render_kw={"rows": 25, "spellcheck": "true"},
    )
    note = text_field("What changed (optional)", 500, "What changed")
    preview_reference = text_field(
        "Case to preview with",
        20,
        "Case reference",
        required="Enter the reference of a case to preview the letter with",
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
        name: text_area(
            label,
            20_000,
            label,
            required=f"Enter {label[0].lower()}{label[1:]}",
            description=hint,
            render_kw={"rows": 6},
        )
        for name, label, hint in ART15_FIELDS
    }
    fields["submit"] = SubmitField("Save", widget=GovSubmitInput())
    return type("Art15Form", (FlaskForm,), fields)


Art15Form = _art15_form()
