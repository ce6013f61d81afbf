"""The shape of a detector's output, shared by detection, PDF redaction and the command line."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any, Literal

Action = Literal["redact", "keep", "review"]


@dataclass(frozen=True, slots=True)
class Finding:
    """One mention of a person or identifier in a text, with what should happen to it.

    ``start``/``end`` are code-point offsets into the text the detector was given.
    ``reason`` is an exemption code from sar-rules section 3 (``TP`` for third-party data,
    ``TP-PRO`` for a professional acting officially) or ``None`` for the subject's own data.
    """

    start: int
    end: int
    text: str
    category: str  # person, phone, email, address, postcode, dob, nhs_number, ni_number, vehicle, bank, upn
    role: str  # subject, requester, professional, third_party, unknown
    action: Action
    reason: str | None
    person_id: str | None

    def as_json(self) -> dict[str, Any]:
        return asdict(self)
