"""The people register export, built from unsaved model objects (no database needed)."""

from __future__ import annotations

import json
from datetime import date

import pytest
from support import eval_corpus

from redaction import load_register
from sar.cases.export import RegisterIncomplete, people_register
from sar.cases.models import Case, CasePerson, PersonRole


def _case(*people: CasePerson) -> Case:
    return Case(reference="SAR-2026-00001", people=list(people))


def _person(role: PersonRole, name: str, **fields) -> CasePerson:
    defaults = {
        "aliases": [],
        "addresses": [],
        "phones": [],
        "emails": [],
        "relation": "",
        "job_title": "",
        "organisation": "",
        "nhs_number": None,
        "ni_number": None,
        "date_of_birth": None,
        "consent_obtained": None,
    }
    return CasePerson(role=role, full_name=name, **{**defaults, **fields})


def test_subject_has_every_key_and_people_only_what_is_known():
    register = people_register(
        _case(
            _person(
                PersonRole.DATA_SUBJECT,
                "Amanda Cheryl Lee",
                aliases=["Mandy"],
                date_of_birth=date(2007, 12, 17),
                addresses=["63 Grange Place, Netherfield, Calderbridge, HX4 6BD"],
                nhs_number="469 972 5783",
            ),
            _person(PersonRole.THIRD_PARTY, "Dawn Lee", relation="mother"),
            _person(
                PersonRole.PROFESSIONAL,
                "Sarthak Sami",
                relation="youth justice officer",
                phones=["0113 496 0075"],
                job_title="Youth Justice Officer",
                organisation="Calderbridge Youth Justice Service",
            ),
            _person(
                PersonRole.REQUESTER,
                "Lesley Perkins",
                relation="independent advocate",
                aliases=["LP"],
                consent_obtained=False,
            ),
            _person(PersonRole.THIRD_PARTY, "Martyn Lee", relation="brother", consent_obtained=True),
        )
    )
    assert register == {
        "subject": {
            "id": "S",
            "name": "Amanda Cheryl Lee",
            "aliases": ["Mandy"],
            "date_of_birth": "2007-12-17",
            "addresses": ["63 Grange Place, Netherfield, Calderbridge, HX4 6BD"],
            "phones": [],
            "emails": [],
            "nhs_number": "469 972 5783",
            "ni_number": None,
        },
        "people": [
            {"id": "P1", "name": "Dawn Lee", "role": "third_party", "relationship": "mother"},
            {
                "id": "P2",
                "name": "Sarthak Sami",
                "role": "professional",
                "relationship": "youth justice officer",
                "phones": ["0113 496 0075"],
                "job_title": "Youth Justice Officer",
                "organisation": "Calderbridge Youth Justice Service",
            },
            {
                "id": "P3",
                "name": "Lesley Perkins",
                "role": "requester",
                "relationship": "independent advocate",
                "aliases": ["LP"],
            },
            {"id": "P4", "name": "Martyn Lee", "role": "third_party", "relationship": "brother", "consent": True},
        ],
    }
    # Key order follows the format's documentation, so a diff against a corpus register reads cleanly.
    assert list(register["people"][1]) == ["id", "name", "role", "relationship", "phones", "job_title", "organisation"]
    loaded = load_register(register)
    assert loaded.people[4].consent is True and loaded.initials == {"LP": 3}


def _iso(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def test_no_subject_no_register():
    with pytest.raises(RegisterIncomplete):
        people_register(_case(_person(PersonRole.THIRD_PARTY, "X")))


def test_a_corpus_register_round_trips_through_the_case_register():
    """Load each corpus register into CasePerson rows and export it again: the same JSON comes back."""
    for path in sorted(eval_corpus().glob("*.people.json"))[:10]:
        original = json.loads(path.read_text(encoding="utf-8"))
        subject = original["subject"]
        people = [
            _person(
                PersonRole.DATA_SUBJECT,
                subject["name"],
                aliases=subject["aliases"],
                date_of_birth=_iso(subject["date_of_birth"]),
                addresses=subject["addresses"],
                phones=subject["phones"],
                emails=subject["emails"],
                nhs_number=subject["nhs_number"],
                ni_number=subject["ni_number"],
            )
        ]
        for entry in original["people"]:
            people.append(
                _person(
                    PersonRole(entry["role"]),
                    entry["name"],
                    relation=entry["relationship"],
                    aliases=entry.get("aliases", []),
                    addresses=entry.get("addresses", []),
                    phones=entry.get("phones", []),
                    emails=entry.get("emails", []),
                    date_of_birth=_iso(entry.get("date_of_birth")),
                    nhs_number=entry.get("nhs_number"),
                    ni_number=entry.get("ni_number"),
                    job_title=entry.get("job_title", ""),
                    organisation=entry.get("organisation", ""),
                )
            )
        exported = people_register(_case(*people))
        assert exported["subject"] == original["subject"], path.name
        assert [dict(sorted(p.items())) for p in exported["people"]] == [
            dict(sorted(p.items())) for p in original["people"]
        ], path.name
