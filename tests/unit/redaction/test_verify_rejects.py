"""verify must reject every known way a 'redacted' PDF still leaks, and never pass an unreadable file."""

from __future__ import annotations

from pathlib import Path

import pdf_fixtures as fx
import pytest

from redaction import sanitise, verify_pdf
from redaction.__main__ import main


def problems(data: bytes, forbidden: tuple[str, ...] = (fx.NAME,), **kwargs: object) -> str:
    report = verify_pdf(data, forbidden, use_ocr=False, **kwargs)  # type: ignore[arg-type]
    assert not report.clean
    return "\n".join(str(p) for p in report.problems)


def test_box_drawn_over_live_text_is_rejected() -> None:
    found = problems(fx.box_over_text())
    assert "text layer (pypdf" in found and "text layer (PDFium" in found


def test_box_drawn_over_live_text_is_rejected_even_without_a_forbidden_list() -> None:
    assert "text lies under a box drawn over it" in problems(fx.box_over_text(), forbidden=())


def test_hidden_ocr_text_under_an_image_is_rejected() -> None:
    assert '"Kayla Smith" can be read in the text layer' in problems(fx.hidden_ocr_layer())


def test_name_in_document_information_is_rejected() -> None:
    clean_text = fx.text_pdf(["Nothing to see"], author=fx.NAME)
    found = problems(clean_text)
    assert "/Author" in found
    assert "string object" in found


def test_name_in_xmp_is_rejected() -> None:
    data = fx.with_xmp(sanitise(fx.text_pdf(["Nothing to see"])))  # type: ignore[arg-type]
    found = problems(data)
    assert "XMP metadata has a property outside the allow-list (dc:creator)" in found


def test_incremental_update_keeping_the_old_revision_is_rejected() -> None:
    found = problems(fx.incremental_update(fx.text_pdf()))
    assert "end-of-file markers" in found
    assert "earlier revision (/Prev)" in found
    assert "present in the bytes" in found


def test_annotation_attachment_and_javascript_are_rejected() -> None:
    base = fx.text_pdf(["Nothing to see"])
    assert "annotations" in problems(fx.with_annotation(base))
    assert "embedded files" in problems(fx.with_attachment(base), forbidden=())
    assert "JavaScript" in problems(fx.with_javascript(base), forbidden=())


def test_spacing_case_and_digit_variants_are_caught() -> None:
    data = sanitise(fx.text_pdf(["KAYLA  SMITH rang from (07700) 900.123", "Kayla-", "Smith"]))
    found = problems(data, forbidden=("kayla smith", "07700 900123", "Kayla Smith"))  # type: ignore[arg-type]
    assert "ignoring case" in found
    assert "digits only" in found


def test_over_redaction_is_caught_by_must_keep() -> None:
    report = verify_pdf(sanitise(fx.text_pdf(["Nothing to see"])), (), ["Ms Jones"], use_ocr=False)  # type: ignore[arg-type]
    assert not report.clean
    assert "must be kept" in str(report.problems[0])


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (fx.encrypted(fx.text_pdf()), "password-protected"),
        (b"%PDF-1.7\n garbage that is not a pdf\n%%EOF\n", "damaged"),
        (fx.text_pdf()[:-400], "truncated"),
        (fx.zero_pages(), "no pages"),
        (b"", "empty"),
        (b"hello", "not a PDF"),
    ],
    ids=["encrypted", "corrupt", "truncated", "zero-pages", "empty", "not-pdf"],
)
def test_unreadable_files_are_never_clean(data: bytes, expected: str) -> None:
    report = verify_pdf(data, use_ocr=False)
    assert not report.clean
    assert expected in "\n".join(str(p) for p in report.problems)


def test_command_line_lists_problems_and_exits_non_zero(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pdf = tmp_path / "bad.pdf"
    pdf.write_bytes(fx.box_over_text())
    strings = tmp_path / "forbidden.txt"
    strings.write_text(f"{fx.NAME}\n\n", encoding="utf-8")
    assert main(["verify", str(pdf), "--forbidden", str(strings), "--no-ocr"]) == 1
    out = capsys.readouterr().out
    assert out.startswith("bad.pdf: NOT CLEAN")
    assert '"Kayla Smith" can be read' in out


def test_command_line_reports_a_missing_file_as_not_clean(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["verify", str(tmp_path / "missing.pdf")]) == 1
    out = capsys.readouterr().out
    assert out.startswith("missing.pdf: NOT CLEAN")
    assert "the file does not exist" in out


def test_a_clean_file_passes_from_the_real_command_line(tmp_path: Path) -> None:
    import subprocess
    import sys

    pdf = tmp_path / "clean.pdf"
    pdf.write_bytes(sanitise(fx.text_pdf(["Nothing to see"])))  # type: ignore[arg-type]
    keep = tmp_path / "keep.txt"
    keep.write_text("Nothing to see\n", encoding="utf-8")
    forbidden = tmp_path / "forbidden.txt"
    forbidden.write_text(f"{fx.NAME}\n", encoding="utf-8")
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "redaction",
            "verify",
            str(pdf),
            "--forbidden",
            str(forbidden),
            "--must-keep",
            str(keep),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.startswith("clean.pdf: CLEAN (1 pages")
