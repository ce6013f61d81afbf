"""What happens to a mention, given whose it is: keep, redact or send for review, with a reason code.

Reason codes follow sar-rules section 3: ``TP`` (third-party data, DPA 2018 Sch 2 para 16) and
``TP-PRO`` (a health, social-work or education worker acting officially, para 17).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from redaction.detect.register import Person
from redaction.model import Action, Role


@dataclass(frozen=True, slots=True)
class Outcome:
    """What the policy says to do with one person's data, and the exemption code for it."""

    action: Action
    reason: str | None


@dataclass(frozen=True, slots=True)
class Policy:
    """Role-based decisions, configurable per case.

    ``redact_professional_relationships`` lists relationship words (e.g. ``"police officer"``)
    whose holders are treated as third parties rather than named professionals, for councils
    that withhold police officers' names.
    """

    redact_professional_relationships: frozenset[str] = field(default_factory=frozenset)
    unknown_person_action: Action = "redact"

    def for_person(self, person: Person | None) -> Outcome:
        if person is None:
            return Outcome(self.unknown_person_action, "TP")
        if person.role in ("subject", "requester"):
            return Outcome("keep", None)
        if person.role == "professional":
            rel = person.relationship.lower()
            if any(word in rel for word in self.redact_professional_relationships):
                return Outcome("redact", "TP")
            return Outcome("keep", "TP-PRO")
        if person.consent:
            return Outcome("keep", None)
        return Outcome("redact", "TP")

    def role_of(self, person: Person | None) -> Role:
        return "unknown" if person is None else person.role


DEFAULT_POLICY = Policy()
