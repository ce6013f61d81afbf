"""Shared case register and helpers for the detection tests.

The register is invented for the tests; none of it comes from the development corpus.
"""

from __future__ import annotations

from typing import Any

import pytest

from redaction import Detector, Finding, load_register

REGISTER: dict[str, Any] = {
    "subject": {
        "id": "S",
        "name": "Kayla Marie Smith",
        "aliases": ["KS"],
        "date_of_birth": "2012-03-14",
        "addresses": ["14 Elm Road, Netherby, Oakport, OP3 5TT"],
        "phones": ["07700 900123"],
        "emails": ["kayla.smith12@example.com"],
        "nhs_number": "943 476 5919",
        "ni_number": None,
    },
    "people": [
        {
            "id": "P1",
            "name": "Sharon Smith",
            "role": "third_party",
            "relationship": "mother",
            "phones": ["07700 900456"],
            "date_of_birth": "1988-07-02",
            "aliases": ["SS"],
        },
        {
            "id": "P2",
            "name": "Robert Hughes",
            "role": "third_party",
            "relationship": "father",
            "addresses": ["Flat 2, 9 Canal Street, Oakport, OP1 2AB"],
        },
        {
            "id": "P3",
            "name": "Tyler Smith",
            "role": "third_party",
            "relationship": "brother",
            "date_of_birth": "2015-01-20",
        },
        {
            "id": "P4",
            "name": "Grace Patel",
            "role": "professional",
            "relationship": "social worker",
            "emails": ["grace.patel@oakport.gov.uk"],
            "phones": ["01632 960111"],
            "addresses": ["Civic Offices, Market Square, Oakport, OP1 1AA"],
        },
        {"id": "P5", "name": "Mark Jones", "role": "professional", "relationship": "police officer"},
        {"id": "P6", "name": "Will Baxter", "role": "third_party", "relationship": "mother's partner"},
        {"id": "P7", "name": "Hope O'Neill", "role": "third_party", "relationship": "maternal grandmother"},
        {"id": "P8", "name": "Seán Ó Briain", "role": "third_party", "relationship": "uncle"},
        {"id": "P9", "name": "Amira Khan", "role": "requester", "relationship": "independent advocate"},
    ],
}


@pytest.fixture()
def detector() -> Detector:
    # a fresh detector per test: a Detector learns off-register names as it reads a case
    return Detector(load_register(REGISTER))


def action_at(findings: list[Finding], text: str, phrase: str, occurrence: int = 0) -> set[str]:
    """The actions of findings touching ``phrase`` (its n-th occurrence) in ``text``."""
    start = -1
    for _ in range(occurrence + 1):
        start = text.index(phrase, start + 1)
    end = start + len(phrase)
    return {f.action for f in findings if f.start < end and start < f.end}


def hidden(findings: list[Finding], text: str, phrase: str, occurrence: int = 0) -> bool:
    """True when every character of the phrase lies inside a redact or review finding."""
    start = -1
    for _ in range(occurrence + 1):
        start = text.index(phrase, start + 1)
    need = set(range(start, start + len(phrase)))
    for f in findings:
        if f.action in ("redact", "review"):
            need -= set(range(f.start, f.end))
    return not {i for i in need if not text[i].isspace()}


def redacted(findings: list[Finding], text: str, phrase: str, occurrence: int = 0) -> bool:
    start = -1
    for _ in range(occurrence + 1):
        start = text.index(phrase, start + 1)
    need = set(range(start, start + len(phrase)))
    for f in findings:
        if f.action == "redact":
            need -= set(range(f.start, f.end))
    return not {i for i in need if not text[i].isspace()}
