"""Whatever text comes in, findings point at real text, in order, without overlapping."""

from __future__ import annotations

from detect_cases import REGISTER
from hypothesis import given, settings
from hypothesis import strategies as st

from redaction import Detector, load_register

_PIECES = [
    "Kayla",
    "Smith",
    "SMITH",
    "Sharon",
    "Mr",
    "Mrs",
    "Dr",
    "PC",
    " ",
    "\n",
    ", ",
    ". ",
    "'s",
    "(",
    ")",
    '"',
    "07700 900456",
    "+44 (0)",
    "943 476 5919",
    "AB 12 34 56 C",
    "OP1 2AB",
    "14/03/2012",
    "DOB",
    "Flat",
    "3",
    "22",
    "Mill Road",
    "called",
    "known as",
    "her partner",
    "Will",
    "Hope",
    "J.",
    "van der",
    "Zed",
    "x@y.com",
    "é",
    "’",
    "O'Neill",
    "-",
    "Seán",
    "Ó",
    "\t",
    "\x00",
    "ß",
    "İ",
    "A",
    "and",
    ";",
    ":",
]
_DETECTOR = Detector(load_register(REGISTER))


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=60).map("".join))
def test_findings_are_well_formed_for_any_text(text: str) -> None:
    found = _DETECTOR.detect(text)
    for f in found:
        assert 0 <= f.start < f.end <= len(text)
        assert text[f.start : f.end] == f.text
        assert f.action in ("keep", "redact", "review")
    for a, b in zip(found, found[1:], strict=False):
        assert a.end <= b.start


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=300))
def test_arbitrary_unicode_never_crashes(text: str) -> None:
    _DETECTOR.detect(text)
