"""``python -m redaction detect``: one JSON line per input, bad input reported without losing the batch."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pypdf
import pytest
from detect_cases import REGISTER
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas
from support import pdf_of_pages

from redaction.__main__ import main
from redaction.cli.detect import run


def _run(argv: list[str]) -> tuple[int, list[dict[str, object]], str]:
    out, err = io.StringIO(), io.StringIO()
    code = run(argv, out, err)
    return code, [json.loads(line) for line in out.getvalue().splitlines()], err.getvalue()


@pytest.fixture()
def people(tmp_path: Path) -> Path:
    path = tmp_path / "people.json"
    path.write_text(json.dumps(REGISTER))
    return path


def _pdf(path: Path, lines: list[str]) -> Path:
    path.write_bytes(pdf_of_pages([lines]))
    return path


def test_batch_prints_one_line_per_file_in_order(tmp_path: Path, people: Path) -> None:
    a = tmp_path / "a.txt"
    b = tmp_path / "b.txt"
    a.write_text("Sharon Smith rang.")
    b.write_text("Kayla was seen.")
    code, lines, _ = _run(["--people", str(people), str(a), "--people", str(people), str(b)])
    assert code == 0
    assert [line["file"] for line in lines] == [str(a), str(b)]
    span = lines[0]["spans"][0]  # type: ignore[index]
    assert span == {
        "start": 0,
        "end": 12,
        "text": "Sharon Smith",
        "category": "person",
        "role": "third_party",
        "action": "redact",
        "reason": "TP",
        "person_id": "P1",
        "explanation": "third party: mother in the register",
    }


def test_missing_file_is_reported_and_the_rest_still_processed(tmp_path: Path, people: Path) -> None:
    good = tmp_path / "good.txt"
    good.write_text("Sharon Smith rang.")
    missing = tmp_path / "missing.txt"
    code, lines, err = _run(["--people", str(people), str(missing), str(good)])
    assert code == 1
    assert len(lines) == 2
    assert "error" in lines[0] and lines[0]["spans"] == []
    assert lines[1]["spans"]
    assert str(missing) in err and "no such file" in err


def test_bad_register_is_an_error_for_its_files_only(tmp_path: Path, people: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text("{not json")
    doc = tmp_path / "doc.txt"
    doc.write_text("Sharon Smith rang.")
    code, lines, err = _run(["--people", str(bad), str(doc), "--people", str(people), str(doc)])
    assert code == 1
    assert "not valid JSON" in str(lines[0]["error"])
    assert lines[1]["spans"]
    assert str(bad) in err


def test_register_without_subject_is_rejected(tmp_path: Path) -> None:
    reg = tmp_path / "people.json"
    reg.write_text(json.dumps({"people": []}))
    doc = tmp_path / "doc.txt"
    doc.write_text("text")
    code, lines, _ = _run(["--people", str(reg), str(doc)])
    assert code == 1 and "no subject" in str(lines[0]["error"])


def test_windows_1252_text_and_control_characters(tmp_path: Path, people: Path) -> None:
    doc = tmp_path / "doc.txt"
    doc.write_bytes("Caf\xe9 visit: Sharon\x07 Smith rang \x00 twice.".encode("cp1252"))
    code, lines, err = _run(["--people", str(people), str(doc)])
    assert code == 0
    # the control character becomes a space, so offsets still point into the decoded text
    texts = [s["text"] for s in lines[0]["spans"]]  # type: ignore[union-attr]
    assert texts == ["Sharon  Smith"]
    assert "Windows-1252" in err and "control characters" in err


def test_pdf_input_is_read_page_by_page(tmp_path: Path, people: Path) -> None:
    pdf = _pdf(tmp_path / "doc.pdf", ["Contact record", "Mother: Sharon Smith, tel 07700 900456"])
    code, lines, _ = _run(["--people", str(people), str(pdf)])
    assert code == 0
    spans = lines[0]["spans"]
    assert {s["text"] for s in spans if s["action"] == "redact"} >= {"Sharon Smith", "07700 900456"}  # type: ignore[union-attr]
    assert lines[0]["pages"]


def test_encrypted_and_corrupt_pdfs_are_errors(tmp_path: Path, people: Path) -> None:
    plain = _pdf(tmp_path / "plain.pdf", ["Sharon Smith"])
    writer = pypdf.PdfWriter(clone_from=str(plain))
    writer.encrypt("secret")
    locked = tmp_path / "locked.pdf"
    with locked.open("wb") as fh:
        writer.write(fh)
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(plain.read_bytes()[:200])
    code, lines, err = _run(["--people", str(people), str(locked), str(broken), str(plain)])
    assert code == 1
    assert "encrypted" in str(lines[0]["error"])
    assert "error" in lines[1]
    assert lines[2]["spans"]
    assert str(locked) in err and str(broken) in err


def test_image_only_page_is_reported_not_treated_as_clean(tmp_path: Path, people: Path) -> None:
    path = tmp_path / "scan.pdf"
    c = canvas.Canvas(str(path), pagesize=A4)
    c.rect(100, 100, 200, 200, fill=1)
    c.showPage()
    c.save()
    code, lines, err = _run(["--people", str(people), str(path)])
    assert code == 0
    assert any("no text layer" in w for w in lines[0]["warnings"])  # type: ignore[union-attr]
    assert "no text layer" in err


def test_usage_errors() -> None:
    assert _run([])[0] == 2
    assert _run(["file.txt"])[0] == 2
    assert _run(["--people"])[0] == 2


def test_dispatch_from_the_package_entry_point(
    tmp_path: Path, people: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    doc = tmp_path / "doc.txt"
    doc.write_text("Tyler Smith")
    assert main(["detect", "--people", str(people), str(doc)]) == 0
    assert json.loads(capsys.readouterr().out)["spans"][0]["person_id"] == "P3"
