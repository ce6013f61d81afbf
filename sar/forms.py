"""The form kit: GOV.UK widgets, field builders and choices every stage's forms use, and how a view shows a refusal.

Pattern (Notify admin, MHCLG Funding Service): each field carries its GOV.UK widget and GOV.UK-style messages
("Enter...", "Select...", "... must be..."); a page renders ``error_summary(form)`` from ``macros/forms.html`` and
posts with ``novalidate``; the server checks everything. A service refuses a change by raising
:class:`sar.errors.DomainError` with the field it concerns; the view calls :func:`show_error` and returns
:func:`refused`, which answers 422 so sar.web rolls the request's transaction back: nothing half-saved.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import render_template
from govuk_frontend_wtf.gov_form_base import GovFormBase
from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxesInput,
    GovPasswordInput,
    GovRadioInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import Field, PasswordField, SelectMultipleField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, ValidationError
from wtforms.widgets import CheckboxInput

from sar import calendar
from sar.errors import DomainError

# The one status for a form the server refused (GOV.UK pages answer 422 for invalid input; sar.web rolls back).
REFUSED = 422


def refused(template: str, **context: Any) -> tuple[str, int]:
    """Render the page again with its errors, as a refusal."""
    return render_template(template, **context), REFUSED


def show_error(form: Any, error: DomainError) -> None:
    """Put a service's refusal on the field it names, so the error summary links to it; else on the whole form."""
    field = getattr(form, error.field, None) if error.field else None
    if isinstance(field, Field):
        field.errors = [*field.errors, error.message]
    else:
        form.form_errors.append(error.message)


def max_length(limit: int, what: str) -> Length:
    return Length(max=limit, message=f"{what} must be {limit:,} characters or fewer")


def choices(pairs: Any) -> list[SelectChoice]:
    """WTForms 3.3 wants SelectChoice objects, not (value, label) tuples."""
    return [SelectChoice(value, label) for value, label in pairs]


def enum_choices(cls: Any) -> list[SelectChoice]:
    """Choices from an enum whose members have a ``label``."""
    return choices((member.value, member.label) for member in cls)


YES_NO = choices([("yes", "Yes"), ("no", "No")])


def yes_no(value: str | None) -> bool | None:
    return {"yes": True, "no": False}.get(value or "")


def yes_no_value(flag: bool | None) -> str | None:
    return None if flag is None else ("yes" if flag else "no")


def lines(text: str | None) -> tuple[str, ...]:
    """A textarea with one item per line (aliases, addresses, phones, emails)."""
    return tuple(line.strip() for line in (text or "").splitlines() if line.strip())


# --- fields ----------------------------------------------------------------------------------------------


class GovDateWidget(GovFormBase):
    """govuk-frontend-wtf's date input, tolerant of a field that was not in the submitted form."""

    template = "govuk_frontend_wtf/date.html"

    def __call__(self, field: Field, **kwargs: Any) -> Any:
        kwargs.setdefault("id", field.id)
        return super().__call__(field, **kwargs)

    def map_gov_params(self, field: Field, **kwargs: Any) -> dict[str, Any]:
        params: dict[str, Any] = super().map_gov_params(field, **kwargs)
        raw = getattr(field, "raw_data", None)
        if raw and len(raw) == 3:
            parts = list(raw)
        elif field.data:
            parts = [str(field.data.day), str(field.data.month), str(field.data.year)]
        else:
            parts = ["", "", ""]
        error = " govuk-input--error" if field.errors else ""
        params.pop("label", None)
        params.setdefault("fieldset", {"legend": {"text": field.label.text, "classes": "govuk-fieldset__legend--s"}})
        params["items"] = [
            {
                "label": label,
                "id": f"{field.id}-{part}",
                "name": field.name,
                "value": value,
                "classes": f"govuk-input--width-{width}{error}",
            }
            for (label, part, width), value in zip(
                (("Day", "day", 2), ("Month", "month", 2), ("Year", "year", 4)), parts, strict=True
            )
        ]
        return params


class GovDateField(Field):
    """Three boxes (day, month, year) posted under one name; refuses impossible dates with GOV.UK messages.

    ``what`` names the date in messages ("the date of birth"); ``past`` refuses dates after today.
    """

    widget = GovDateWidget()

    def __init__(
        self, label: str | None = None, *, what: str, required: bool = False, past: bool = False, **kwargs: Any
    ) -> None:
        super().__init__(label, **kwargs)
        self.what = what
        self.required = required
        self.past = past
        self.data: date | None = None

    def process_formdata(self, valuelist: list[str]) -> None:
        self.data = None
        if not valuelist or not any(v.strip() for v in valuelist):
            if self.required:
                raise ValueError(f"Enter {self.what}")
            return
        if len(valuelist) != 3:
            raise ValueError(f"{self.what[0].upper()}{self.what[1:]} must be a real date")
        day, month, year = valuelist
        parsed = calendar.parse_date_parts(day, month, year, self.what)
        if self.past and parsed > calendar.today():
            raise ValueError(f"{self.what[0].upper()}{self.what[1:]} must be today or in the past")
        if parsed.year < 1900:
            raise ValueError(f"{self.what[0].upper()}{self.what[1:]} must be after 1900")
        self.data = parsed

    def pre_validate(self, form: Any) -> None:
        if self.required and self.data is None and not self.errors and not self.process_errors:
            raise ValidationError(f"Enter {self.what}")


class LegendMixin:
    """Keep the label as the fieldset legend (small) even when a template passes other fieldset params."""

    def map_gov_params(self, field: Field, **kwargs: Any) -> dict[str, Any]:
        params: dict[str, Any] = super().map_gov_params(field, **kwargs)  # type: ignore[misc]
        legend = params.setdefault("fieldset", {}).setdefault("legend", {})
        legend.setdefault("text", field.label.text)
        legend.setdefault("classes", "govuk-fieldset__legend--s")
        return params


class RadiosWidget(LegendMixin, GovRadioInput):
    pass


class CheckboxesWidget(LegendMixin, GovCheckboxesInput):
    pass


class MultiCheckboxField(SelectMultipleField):
    widget = CheckboxesWidget()
    option_widget = CheckboxInput()


def text_field(
    label: str,
    limit: int,
    what: str,
    *,
    required: str | None = None,
    refuse_blank: bool = False,
    checks: tuple[Any, ...] = (),
    widget: Any = None,
    **kwargs: Any,
) -> StringField:
    """A text box of at most ``limit`` characters; ``required`` is the message when it is left empty.

    With ``refuse_blank`` an answer of only spaces is refused as empty too: a name or an email address of spaces is
    no answer, where a note of spaces is merely empty. ``checks`` are further validators, run after those."""
    validators: list[Any] = [max_length(limit, what), *checks]
    if required:
        validators.insert(0, (DataRequired if refuse_blank else InputRequired)(message=required))
    return StringField(label, validators=validators, widget=widget or GovTextInput(), **kwargs)


def text_area(label: str, limit: int, what: str, **kwargs: Any) -> StringField:
    """:func:`text_field` as a multi-line box."""
    return text_field(label, limit, what, widget=GovTextArea(), **kwargs)


def password_field(label: str, required: str, *, checks: tuple[Any, ...] = (), **kwargs: Any) -> PasswordField:
    """A password box; ``required`` is the message when it is left empty."""
    return PasswordField(label, widget=GovPasswordInput(), validators=[DataRequired(required), *checks], **kwargs)
