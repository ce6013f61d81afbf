"""The case register of people in the ``people.json`` format that the redaction library reads.

Format: shared/eval/README.md. The subject has id "S" and always carries every key (empty lists and
``null`` where unknown); everyone else is "P1", "P2"... in register order, with ``id``, ``name``,
``role`` and ``relationship`` and, after those, only the keys the register knows. Identifiers are
already stored in the format's canonical forms (sar.cases.validators).
"""

from __future__ import annotations

from typing import Any

from sar.cases.models import Case, CasePerson, PersonRole


class RegisterIncomplete(ValueError):
    """The case has no data subject, so there is no register to export."""


def _subject_entry(person: CasePerson) -> dict[str, Any]:
    return {
        "id": "S",
        "name": person.full_name,
        "aliases": list(person.aliases),
        "date_of_birth": person.date_of_birth.isoformat() if person.date_of_birth else None,
        "addresses": list(person.addresses),
        "phones": list(person.phones),
        "emails": list(person.emails),
        "nhs_number": person.nhs_number,
        "ni_number": person.ni_number,
    }


def _person_entry(person: CasePerson, person_id: str) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "id": person_id,
        "name": person.full_name,
        "role": person.role.value,
        "relationship": person.relation,
    }
    # Optional keys in the order the format documents them; a key appears only where the register knows it.
    optional: list[tuple[str, Any]] = [
        ("addresses", list(person.addresses)),
        ("phones", list(person.phones)),
        ("emails", list(person.emails)),
        ("date_of_birth", person.date_of_birth.isoformat() if person.date_of_birth else None),
        ("nhs_number", person.nhs_number),
        ("ni_number", person.ni_number),
        ("job_title", person.job_title),
        ("organisation", person.organisation),
        ("aliases", list(person.aliases)),
    ]
    for key, value in optional:
        if value:
            entry[key] = value
    # The redaction library's policy reads ``consent``: a third party who agreed to disclosure is not redacted.
    if person.consent_obtained:
        entry["consent"] = True
    return entry


def people_register(case: Case) -> dict[str, Any]:
    subject = case.subject
    if subject is None:
        raise RegisterIncomplete(f"{case.reference} has no data subject")
    others = [p for p in case.people if p.role is not PersonRole.DATA_SUBJECT]
    return {
        "subject": _subject_entry(subject),
        "people": [_person_entry(person, f"P{number}") for number, person in enumerate(others, start=1)],
    }
