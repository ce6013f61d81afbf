"""The shapes shared by every stage of the library: findings, and marks that say what to remove.

The document model is working PDF -> page text with word boxes (:mod:`redaction.pdf.text`) ->
findings (this module, from :mod:`redaction.detect`) -> reviewer decisions
(:mod:`redaction.pdf.decisions`) -> redacted pages (:mod:`redaction.pdf.redact`).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any, Literal, get_args

Action = Literal["redact", "keep", "review"]
Category = Literal[
    "person",
    "phone",
    "email",
    "address",
    "postcode",
    "dob",
    "nhs_number",
    "ni_number",
    "vehicle",
    "bank",
    "upn",
]
Role = Literal["subject", "requester", "professional", "third_party", "unknown", "organisation"]

ACTIONS: tuple[Action, ...] = get_args(Action)
CATEGORIES: tuple[Category, ...] = get_args(Category)
ROLES: tuple[Role, ...] = get_args(Role)

Rect = tuple[float, float, float, float]  # left, bottom, right, top in PDF points, origin bottom-left


@dataclass(frozen=True, slots=True)
class Finding:
    """One mention of a person or identifier in a text, with what should happen to it.

    ``start``/``end`` are code-point offsets into the text the detector was given.
    ``reason`` is an exemption code from sar-rules section 3 (``TP`` for third-party data,
    ``TP-PRO`` for a professional acting officially) or ``None`` for the subject's own data.
    ``role`` is whose data it is: ``organisation`` for an organisation's own letterhead details.
    ``explanation`` is a short reason in words a reviewer reads ("third party: mother in the
    register", "professional not in the register: job title (social worker)"), for the review
    page and the redaction schedule.
    """

    start: int
    end: int
    text: str
    category: Category
    role: Role
    action: Action
    reason: str | None
    person_id: str | None
    explanation: str = ""

    def as_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class Span:
    """Remove characters ``start:end`` of a page's text (see :func:`redaction.page_texts`)."""

    start: int
    end: int
    reason: str = "TP"


@dataclass(frozen=True)
class Area:
    """Remove everything inside a rectangle in PDF page space (points, origin bottom-left)."""

    left: float
    bottom: float
    right: float
    top: float
    reason: str = "TP"


PageItem = Finding | Span | Area  # what one page's redaction is made of
