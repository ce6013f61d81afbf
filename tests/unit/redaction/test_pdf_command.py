"""``python -m redaction redact-pdf``: register in, redacted PDF out, reviewer decisions honoured."""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pdf_fixtures as fx
import pytest

from redaction import CaseKnowledge, DecisionsError, Finding, load_decisions, verify_pdf
from redaction.__main__ import main

REGISTER = {
    "subject": {"id": "S", "name": "Amelia Brown"},
    "people": [{"id": "P1", "name": fx.NAME, "role": "third_party", "relationship": "mother"}],
}


class FakeDetector:
    """Finds register names verbatim: enough to drive the PDF side without the real detector."""

    def __init__(self, register: dict[str, Any]) -> None:
        self.people = register["people"]

    def case_knowledge(self, texts: Iterable[str]) -> CaseKnowledge:
        return CaseKnowledge()

    def detect(self, text: str, case: CaseKnowledge | None = None) -> list[Finding]:
        return [
            Finding(s, e, person["name"], "person", "third_party", "redact", "TP", person["id"])
            for person in self.people
            for s, e in fx.spans_of(text, person["name"])
        ]


@pytest.fixture
def fake_detector(monkeypatch: pytest.MonkeyPatch) -> None:
    def load_register(source: object) -> object:
        return source if isinstance(source, dict) else json.loads(Path(str(source)).read_text())

    monkeypatch.setattr("redaction.detect.register.load_register", load_register)
    monkeypatch.setattr("redaction.pdf.redact.load_register", load_register)
    monkeypatch.setattr("redaction.pdf.redact.Detector", FakeDetector)


def run(tmp_path: Path, source: bytes, decisions: object | None = None) -> tuple[int, Path]:
    people = tmp_path / "people.json"
    people.write_text(json.dumps(REGISTER), encoding="utf-8")
    src, out = tmp_path / "in.pdf", tmp_path / "out.pdf"
    src.write_bytes(source)
    argv = ["redact-pdf", "--people", str(people), str(src), str(out)]
    if decisions is not None:
        path = tmp_path / "decisions.json"
        path.write_text(json.dumps(decisions), encoding="utf-8")
        argv += ["--decisions", str(path)]
    return main(argv), out


@pytest.mark.usefixtures("fake_detector")
def test_redact_pdf_writes_a_clean_copy_and_logs_each_box(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out = run(tmp_path, fx.text_pdf(pages=2))
    assert code == 0
    log = json.loads(capsys.readouterr().out)
    assert log["rebuilt_pages"] == [1, 2]
    assert [(r["page"], r["text"], r["reason"]) for r in log["redactions"]] == [(1, fx.NAME, "TP"), (2, fx.NAME, "TP")]
    assert verify_pdf(out, [fx.NAME], [fx.KEEP], use_ocr=False).clean


@pytest.mark.usefixtures("fake_detector")
def test_decisions_keep_a_person_and_add_a_missed_span(tmp_path: Path) -> None:
    decisions = {
        "decisions": [
            {"person_id": "P1", "action": "keep"},
            {"page": 1, "start": 0, "end": 9, "action": "redact", "reason": "SW-SH"},
        ]
    }
    code, out = run(tmp_path, fx.text_pdf(), decisions)
    assert code == 0
    assert verify_pdf(out, ["On Monday"], [fx.NAME], use_ocr=False).clean


@pytest.mark.usefixtures("fake_detector")
def test_unreadable_input_is_reported_and_nothing_is_written(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out = run(tmp_path, fx.encrypted(fx.text_pdf()))
    assert code == 1
    assert "in.pdf: the file is password-protected" in capsys.readouterr().err
    assert not out.exists() and not list(tmp_path.glob("*.part"))


def test_bad_decisions_file_is_explained(tmp_path: Path) -> None:
    with pytest.raises(DecisionsError, match="decision 1: action must be one of"):
        load_decisions([{"text": "x", "action": "hide"}])
    with pytest.raises(DecisionsError, match="needs a page"):
        load_decisions([{"start": 1, "end": 2, "action": "redact"}])


def test_the_most_specific_decision_wins() -> None:
    finding = Finding(10, 21, fx.NAME, "person", "third_party", "review", "TP", "P1")
    decisions = load_decisions(
        [
            {"text": fx.NAME, "action": "redact"},
            {"page": 1, "start": 10, "end": 21, "action": "keep"},
        ]
    )
    assert decisions.for_page(0, [finding]) == []
    assert decisions.for_page(1, [finding]) == [finding.__class__(**{**finding.as_json(), "action": "redact"})]


def test_real_detector_drives_redaction_end_to_end(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out = run(tmp_path, fx.text_pdf())
    assert code == 0, capsys.readouterr().err
    log = json.loads(capsys.readouterr().out)
    assert verify_pdf(out, [fx.NAME], ["Monday"], use_ocr=False).clean
    # The text checks above cannot see pixels: the name must also be burned out of the picture of
    # the page, so every logged box is solid black where the name was drawn.
    boxes = [r for r in log["redactions"] if r["text"] == fx.NAME]
    assert boxes
    for box in boxes:
        assert fx.page_darkness(out.read_bytes(), box["page"] - 1, tuple(box["rect"])) > 0.9


def test_a_faxed_page_that_does_not_parse_is_rebuilt_and_passes_verify(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = fx.faxed_referral()
    assert not verify_pdf(source, use_ocr=False).clean  # the input itself is damaged
    code, out = run(tmp_path, source)
    assert code == 0, capsys.readouterr().err
    log = json.loads(capsys.readouterr().out)
    assert 1 in log["rebuilt_pages"]
    assert any("page 1" in w and "damaged" in w for w in log["warnings"])
    report = verify_pdf(out, [fx.NAME], ["Monday"], use_ocr=False)
    assert report.clean, report.problems
    # the rebuilt page shows what a reader of the original saw where the fax was drawn
    fax_area = (72.0, 450.0, 472.0, 550.0)
    assert abs(fx.page_darkness(out.read_bytes(), 0, fax_area) - fx.page_darkness(source, 0, fax_area)) < 0.02
