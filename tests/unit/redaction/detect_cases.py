"""The case register and the helpers the detection tests share (imported by name: a test never imports conftest).

The register is invented for the tests; none of it comes from the development corpus.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest

from redaction import Detector, Finding

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


def _place(text: str, phrase: str, occurrence: int) -> tuple[int, int]:
    start = -1
    for _ in range(occurrence + 1):
        start = text.index(phrase, start + 1)
    return start, start + len(phrase)


def _actions_over(findings: list[Finding], start: int, end: int) -> set[str]:
    return {f.action for f in findings if f.start < end and start < f.end}


def _covered(findings: list[Finding], text: str, start: int, end: int, actions: set[str]) -> bool:
    """True when every non-space character from start to end lies inside a finding with one of ``actions``."""
    need = set(range(start, end))
    for f in findings:
        if f.action in actions:
            need -= set(range(f.start, f.end))
    return not {i for i in need if not text[i].isspace()}


def action_at(findings: list[Finding], text: str, phrase: str, occurrence: int = 0) -> set[str]:
    """The actions of findings touching ``phrase`` (its n-th occurrence) in ``text``."""
    return _actions_over(findings, *_place(text, phrase, occurrence))


def hidden(findings: list[Finding], text: str, phrase: str, occurrence: int = 0) -> bool:
    """True when every character of the phrase lies inside a redact or review finding."""
    return _covered(findings, text, *_place(text, phrase, occurrence), {"redact", "review"})


def redacted(findings: list[Finding], text: str, phrase: str, occurrence: int = 0) -> bool:
    """True when every character of the phrase lies inside a redact finding."""
    return _covered(findings, text, *_place(text, phrase, occurrence), {"redact"})


# What a mark in a marked sentence asserts about the phrase it wraps, given the findings over it.
_MARKS: dict[str, Callable[[list[Finding], str, int, int], bool]] = {
    # every character is inside a redact finding
    "redacted": lambda found, text, start, end: _covered(found, text, start, end, {"redact"}),
    # every character is inside a redact or review finding: off the page or queried, never shown unasked
    "hidden": lambda found, text, start, end: _covered(found, text, start, end, {"redact", "review"}),
    # the findings touching it, exactly
    "kept": lambda found, text, start, end: _actions_over(found, start, end) == {"keep"},
    "review": lambda found, text, start, end: _actions_over(found, start, end) == {"review"},
    "redact": lambda found, text, start, end: _actions_over(found, start, end) == {"redact"},
    "alone": lambda found, text, start, end: _actions_over(found, start, end) == set(),
    # nothing hides or queries it: kept or untouched, it stays on the page as written
    "shown": lambda found, text, start, end: _actions_over(found, start, end) <= {"keep"},
    # one redact finding is exactly this phrase (a name found whole, not in pieces)
    "span": lambda found, text, start, end: any((f.start, f.end, f.action) == (start, end, "redact") for f in found),
}
_MARKED = re.compile(r"\{([^{}|]+)\|([a-z]+)\}")


def unmark(marked: str) -> tuple[str, list[tuple[str, int, int]]]:
    """The plain text of a marked sentence and its marks as (mark, start, end) in that text.

    ``"{Kayla|kept} told me her mum {Sharon|redacted} was shouting."`` reads as the sentence with
    two phrases, each followed by the name of what the detector must do with it (see ``_MARKS``).
    """
    text, marks, at = "", [], 0
    for m in _MARKED.finditer(marked):
        text += marked[at : m.start()]
        marks.append((m.group(2), len(text), len(text) + len(m.group(1))))
        text += m.group(1)
        at = m.end()
    assert marks, f"no marks in {marked!r}: the case would check nothing"
    return text + marked[at:], marks


def assert_marked(detector: Detector, marked: str) -> None:
    """Run the detector over a marked sentence and check every marked phrase, reporting all that fail."""
    text, marks = unmark(marked)
    found = detector.detect(text)
    wrong = [
        f"{text[start:end]!r} not {mark}: {sorted(_actions_over(found, start, end))}"
        for mark, start, end in marks
        if not _MARKS[mark](found, text, start, end)
    ]
    assert not wrong, f"{text!r}: " + "; ".join(wrong)


def marked_cases(cases: dict[str, str]) -> pytest.MarkDecorator:
    """Parametrize a test over ``{id: marked sentence}``: the id says what the sentence proves."""
    return pytest.mark.parametrize("marked", list(cases.values()), ids=list(cases))
