"""Loading the case register and the decisions it leads to."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest
from detect_cases import REGISTER, action_at

from redaction import Detector, Policy, RegisterError, detect_text, load_register


def test_register_reads_a_file_and_infers_gender_and_age(tmp_path: Path) -> None:
    path = tmp_path / "people.json"
    path.write_text(json.dumps(REGISTER), encoding="utf-8")
    reg = load_register(path)
    assert reg.subject.name == "Kayla Marie Smith"
    mother = next(p for p in reg.people if p.id == "P1")
    brother = next(p for p in reg.people if p.id == "P3")
    assert (mother.gender, mother.is_minor) == ("F", False)
    assert (brother.gender, brother.is_minor) == ("M", True)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"{", "not valid JSON"),
        (b"\xff\xfe\x00", "not UTF-8"),
        (b"[]", "must be a JSON object"),
        (b'{"subject": {"id": "S"}}', "name is missing"),
        (b'{"subject": {"name": "A B"}, "people": [{"name": "C D", "role": "boss"}]}', "unknown role"),
        (b'{"subject": {"name": "A B", "phones": "x"}, "people": [{"name": "C D", "phones": [1]}]}', "phones"),
    ],
)
def test_bad_registers_are_refused_with_a_reason(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "people.json"
    path.write_bytes(content)
    with pytest.raises(RegisterError, match=message):
        load_register(path)


def test_missing_register_file(tmp_path: Path) -> None:
    with pytest.raises(RegisterError, match="cannot read register"):
        load_register(tmp_path / "absent.json")


def test_consent_recorded_on_the_register_keeps_a_third_party() -> None:
    data = copy.deepcopy(REGISTER)
    data["people"][2]["consent"] = True
    text = "Tyler Smith agreed to share his views."
    found = detect_text(text, load_register(data))
    assert action_at(found, text, "Tyler Smith") == {"keep"}


def test_police_officers_can_be_treated_as_third_parties_by_policy() -> None:
    text = "PC Mark Jones attended. Grace Patel visited."
    policy = Policy(redact_professional_relationships=frozenset({"police officer"}))
    found = Detector(load_register(REGISTER), policy).detect(text)
    assert action_at(found, text, "Mark Jones") == {"redact"}
    assert action_at(found, text, "Grace Patel") == {"keep"}


def test_every_finding_has_a_reason_unless_it_is_the_subjects_own() -> None:
    text = "Kayla Smith, Sharon Smith, Grace Patel and a man called Dee met at 22 Mill Lane, Oakport."
    for f in detect_text(text, load_register(REGISTER)):
        if f.action == "keep" and f.role in ("subject", "requester"):
            assert f.reason is None
        else:
            assert f.reason in ("TP", "TP-PRO"), f
