"""Office documents through LibreOffice headless: Word, Excel, RTF, OpenDocument, PowerPoint; refusals."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest
from source_builders import (
    docx_bytes,
    libreoffice_convert,
    pptx_bytes,
    rtf_bytes,
    run_fixture,  # noqa: F401 - provides the "run" fixture
    xlsx_bytes,
)

from sar.sources.extract import Extraction, Limits

Run = Callable[..., Extraction]
pytestmark = pytest.mark.slow


def test_word_document_is_converted_with_its_text_title_and_date(run: Run) -> None:
    created = datetime(2022, 6, 1, 9, 0, tzinfo=UTC)
    data = docx_bytes(["Care plan for Kayla Smith", "Review in six weeks."], title="Care plan", created=created)
    result = run(data, "plan.docx")
    assert result.refusal is None
    assert result.kind == "office"
    assert result.media_type == "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    assert (result.title, result.document_date) == ("Care plan", created)
    assert result.working_pdf is not None and result.working_pdf.read_bytes().startswith(b"%PDF")
    assert "Care plan for Kayla Smith" in result.pages[0].text and "Review in six weeks." in result.pages[0].text
    words = {result.pages[0].text[s:e] for s, e, *_ in result.pages[0].words}
    assert {"Kayla", "Smith"} <= words


def test_spreadsheet_is_converted(run: Run) -> None:
    result = run(xlsx_bytes([["Date", "Contact"], ["2024-03-05", "Phone call with Kayla"]]), "contacts.xlsx")
    assert result.media_type == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert "Phone call with Kayla" in result.pages[0].text


def test_rtf_is_converted(run: Run) -> None:
    result = run(rtf_bytes("Letter to the school about Kayla"), "letter.rtf")
    assert (result.kind, result.media_type) == ("office", "application/rtf")
    assert "Letter to the school about Kayla" in result.pages[0].text


def test_opendocument_made_by_libreoffice_is_converted(run: Run, tmp_path: Path) -> None:
    source = tmp_path / "made" / "minutes.docx"
    source.parent.mkdir()
    source.write_bytes(docx_bytes(["Strategy meeting minutes"]))
    odt = libreoffice_convert(source, "odt")
    result = run(odt.read_bytes(), "minutes.odt")
    assert result.media_type == "application/vnd.oasis.opendocument.text"
    assert "Strategy meeting minutes" in result.pages[0].text


def test_powerpoint_slides_are_converted_one_page_a_slide(run: Run) -> None:
    result = run(pptx_bytes(["Core group meeting", "Actions for the family"]), "slides.pptx")
    assert result.media_type == "application/vnd.openxmlformats-officedocument.presentationml.presentation"
    assert len(result.pages) == 2
    assert "Core group meeting" in result.pages[0].text and "Actions for the family" in result.pages[1].text


def test_password_protected_word_2007_file_is_refused_as_encrypted(run: Run) -> None:
    from msoffcrypto.format.ooxml import OOXMLFile

    locked = io.BytesIO()
    OOXMLFile(io.BytesIO(docx_bytes(["Secret plan"]))).encrypt("letmein", locked)
    result = run(locked.getvalue(), "plan.docx")
    assert result.refusal is not None and result.refusal.code == "encrypted"
    assert "password" in result.refusal.message and result.working_pdf is None


def test_password_protected_word_97_file_is_refused_before_conversion(run: Run, tmp_path: Path) -> None:
    import olefile

    source = tmp_path / "made" / "old.docx"
    source.parent.mkdir()
    source.write_bytes(docx_bytes(["An old letter"]))
    doc = libreoffice_convert(source, "doc:MS Word 97")
    assert run(doc.read_bytes(), "old.doc").pages  # readable as it is
    with olefile.OleFileIO(str(doc), write_mode=True) as ole:
        fib = bytearray(ole.openstream("WordDocument").read())
        fib[11] |= 0x01  # fEncrypted, as Word sets it when a password is given
        ole.write_stream("WordDocument", bytes(fib))
    result = run(doc.read_bytes(), "old.doc")
    assert result.media_type == "application/msword"
    assert result.refusal is not None and result.refusal.code == "encrypted"


def test_encrypted_opendocument_is_refused_as_encrypted(run: Run, tmp_path: Path) -> None:
    manifest = (
        '<?xml version="1.0"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0">'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml">'
        '<manifest:encryption-data manifest:checksum-type="SHA1/1K" manifest:checksum="x"/>'
        "</manifest:file-entry></manifest:manifest>"
    )
    path = tmp_path / "locked.odt"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.text", compress_type=zipfile.ZIP_STORED)
        archive.writestr("META-INF/manifest.xml", manifest)
        archive.writestr("content.xml", b"\x8f\x12 encrypted bytes")
    result = run(path.read_bytes(), "locked.odt")
    assert result.refusal is not None and result.refusal.code == "encrypted"
    assert "password" in result.refusal.message


def test_office_document_that_libreoffice_cannot_open_is_refused_as_conversion_failed(run: Run) -> None:
    path_data = {"[Content_Types].xml": b"<Types/>", "word/document.xml": b"not xml at all \x00\x01"}
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in path_data.items():
            archive.writestr(name, data)
    result = run(buffer.getvalue(), "broken.docx")
    assert result.refusal is not None and result.refusal.code == "conversion_failed"
    assert result.working_pdf is None


def test_conversion_that_runs_too_long_is_stopped_and_refused_as_timeout(run: Run) -> None:
    result = run(docx_bytes(["Anything"]), "slow.docx", limits=Limits(conversion_timeout_s=0.05))
    assert result.refusal is not None and result.refusal.code == "timeout"
    assert "longer than" in result.refusal.message
