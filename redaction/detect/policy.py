"""What happens to a mention, given whose it is: keep, redact or send for review, with a reason code.

Reason codes follow sar-rules section 3: ``TP`` (third-party data, DPA 2018 Sch 2 para 16) and
``TP-PRO`` (a health, social-work or education worker acting officially, para 17).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from redaction.detect.professionals import ROLE_GROUP_NAMES
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

    ``professional_roles`` sets what happens to professionals who are not on the register but
    whose role the text gives (see :mod:`redaction.detect.professionals`), per role group:
    ``{"police": "redact"}`` withholds unlisted police officers' names, ``{"court": "review"}``
    asks about judges. Groups not listed are kept (``TP-PRO``).
    """

    redact_professional_relationships: frozenset[str] = field(default_factory=frozenset)
    unknown_person_action: Action = "redact"
    professional_roles: Mapping[str, Action] = field(default_factory=dict)

    def __post_init__(self) -> None:
        unknown = set(self.professional_roles) - set(ROLE_GROUP_NAMES)
        if unknown:
            raise ValueError(
                f"unknown professional role group(s) {', '.join(sorted(unknown))}; use {', '.join(ROLE_GROUP_NAMES)}"
            )

    def for_role(self, group: str) -> Outcome:
        """An off-register professional whose role the text gives."""
        action = self.professional_roles.get(group, "keep")
        return Outcome(action, "TP-PRO" if action == "keep" else "TP")

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
