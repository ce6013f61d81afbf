"""Zip archives and their limits, HTML and text, database records, and the refusals for anything else."""

from __future__ import annotations

import zipfile
from collections.abc import Callable
from pathlib import Path

import pypdfium2 as pdfium
from source_builders import (
    run_fixture,  # noqa: F401 - provides the "run" fixture
    text_pdf,
    zip_bytes,
)

from sar.sources.extract import Extraction, Limits, typeset_record

Run = Callable[..., Extraction]


def test_zip_members_become_children_named_as_in_the_archive(run: Run) -> None:
    data = zip_bytes(
        [("letters/visit.pdf", text_pdf(["Visit"])), ("notes.txt", b"A note"), ("inner.zip", zip_bytes([]))]
    )
    result = run(data, "bundle.zip")
    assert (result.kind, result.media_type, result.working_pdf) == ("archive", "application/zip", None)
    assert [(c.name, c.relation) for c in result.children] == [
        ("letters/visit.pdf", "archive member"),
        ("notes.txt", "archive member"),
        ("inner.zip", "archive member"),
    ]
    assert result.children[1].path.read_bytes() == b"A note"


def test_nested_archive_beyond_the_depth_limit_is_refused_as_too_deep(run: Run) -> None:
    result = run(zip_bytes([("a.txt", b"x")]), "deep.zip", limits=Limits(max_depth=3), depth=4)
    assert result.refusal is not None and result.refusal.code == "too_deep" and "4 levels" in result.refusal.message


def test_zip_bomb_by_compression_ratio_is_refused(run: Run) -> None:
    data = zip_bytes([("zeros.bin", bytes(50 * 1024 * 1024))])
    assert len(data) < 100_000
    result = run(data, "innocent.zip")
    assert result.refusal is not None and result.refusal.code == "archive_bomb"
    assert "compressed" in result.refusal.message and result.children == []


def test_zip_that_unpacks_beyond_the_total_allowed_is_refused(run: Run) -> None:
    data = zip_bytes([(f"f{n}.txt", bytes(range(256)) * 4096) for n in range(3)], compression=zipfile.ZIP_STORED)
    result = run(data, "big.zip", limits=Limits(max_unpacked_bytes=2 * 1024 * 1024))
    assert (
        result.refusal is not None and result.refusal.code == "archive_bomb" and "unpack to" in result.refusal.message
    )


def test_zip_with_too_many_members_is_refused(run: Run) -> None:
    result = run(zip_bytes([(f"{n}.txt", b"x") for n in range(6)]), "many.zip", limits=Limits(max_children=5))
    assert (
        result.refusal is not None and result.refusal.code == "too_many_items" and "6 files" in result.refusal.message
    )


def test_zip_with_names_climbing_out_of_the_folder_is_refused(run: Run, tmp_path: Path) -> None:
    for name in ("../../etc/cron.d/evil", "/etc/passwd", "C:\\Windows\\evil.txt", "ok/../../escape.txt"):
        result = run(zip_bytes([("fine.txt", b"x"), (name, b"payload")]), "trick.zip")
        assert result.refusal is not None and result.refusal.code == "archive_bomb", name
        assert "points outside the archive" in result.refusal.message
    assert not list(tmp_path.rglob("evil*")) and not list(tmp_path.rglob("escape.txt"))


def test_zip_with_password_protected_members_is_refused_as_encrypted(run: Run) -> None:
    data = bytearray(zip_bytes([("secret.txt", b"\x00" * 40)], compression=zipfile.ZIP_STORED))
    # Set the "encrypted" general-purpose flag, as a password-protected zip has it, in both headers.
    for signature, offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        at = data.index(signature) + offset
        data[at] |= 0x1
    result = run(bytes(data), "locked.zip")
    assert result.refusal is not None and result.refusal.code == "encrypted"


def test_damaged_zip_is_refused_as_corrupt(run: Run, tmp_path: Path) -> None:
    data = zip_bytes([("a.txt", b"hello " * 1000)])
    result = run(data[:60] + b"\x00" * 40, "broken.zip")
    assert result.refusal is not None and result.refusal.code == "corrupt"
    # The second member's bytes are damaged (its checksum fails) after the first was unpacked.
    damaged = bytearray(
        zip_bytes([("first.txt", b"A" * 500), ("second.txt", b"B" * 500)], compression=zipfile.ZIP_STORED)
    )
    at = damaged.index(b"B" * 500)
    damaged[at : at + 10] = b"C" * 10
    result = run(bytes(damaged), "half.zip")
    assert result.refusal is not None and result.refusal.code == "corrupt" and "second.txt" in result.refusal.message
    assert not list((tmp_path / "work").rglob("*first.txt"))  # nothing half-unpacked is left behind


def test_html_page_is_typeset_as_text_with_its_title(run: Run) -> None:
    html = (
        "<!doctype html><html><head><title>Case note 12</title><script>document.write('x')</script></head>"
        "<body><h1>Home visit</h1><p>Kayla &amp; her mother were at home.</p><table><tr><td>Worker</td>"
        "<td>Jo Jones</td></tr></table></body></html>"
    )
    result = run(html.encode(), "note.htm")
    assert (result.kind, result.media_type, result.title) == ("html", "text/html", "Case note 12")
    text = result.pages[0].text
    assert "Home visit" in text and "Kayla & her mother were at home." in text and "Jo Jones" in text
    assert "document.write" not in text


def test_plain_text_in_a_windows_encoding_is_decoded_and_typeset(run: Run) -> None:
    body = "Note by Zoë O’Neill: £20 given for travel.\r\n" * 3
    result = run(body.encode("cp1252"), "note.txt")
    assert (result.kind, result.media_type) == ("text", "text/plain")
    assert "Note by Zoë O’Neill: £20 given for travel." in result.pages[0].text
    assert result.pages[0].words and not result.pages[0].ocr


def test_long_text_runs_over_several_pages(run: Run) -> None:
    result = run(("A line of a long chronology about the family and the school.\n" * 300).encode(), "long.txt")
    assert len(result.pages) > 3 and [p.number for p in result.pages] == list(range(1, len(result.pages) + 1))


def test_file_type_comes_from_the_content_not_the_name(run: Run) -> None:
    result = run(text_pdf(["Really a PDF"]), "letter.docx")
    assert (result.kind, result.media_type) == ("pdf", "application/pdf")
    renamed = run(b"\x89PNG\r\n\x1a\n" + b"\x00" * 10, "report.pdf")
    assert renamed.media_type == "image/png" and renamed.refusal is not None and renamed.refusal.code == "corrupt"


def test_unknown_binary_is_refused_as_unsupported(run: Run) -> None:
    result = run(bytes(range(256)) * 64, "data.bin")
    assert result.refusal is not None and result.refusal.code == "unsupported"
    assert "cannot read this kind of file" in result.refusal.message
    assert result.working_pdf is None


def test_empty_file_is_refused_as_empty(run: Run) -> None:
    result = run(b"", "nothing.pdf")
    assert result.refusal is not None and result.refusal.code == "empty"


def test_file_over_the_size_limit_is_refused_before_it_is_read(run: Run) -> None:
    result = run(text_pdf(["x"]), "big.pdf", limits=Limits(max_file_bytes=100))
    assert result.refusal is not None and result.refusal.code == "too_large" and "MB" in result.refusal.message
    assert result.media_type == "application/pdf"  # named from its first bytes, never read further


def test_text_that_would_typeset_to_too_many_pages_is_refused(run: Run) -> None:
    result = run(b"word " * 20_000, "huge.txt", limits=Limits(max_pages=5))
    assert result.refusal is not None and result.refusal.code == "too_large"


def test_database_record_is_typeset_with_its_fields_and_long_values_wrapped(tmp_path: Path) -> None:
    note = "Visited the family home. " * 400
    out = typeset_record(
        "Case note 4411",
        [("Date", "5 March 2024"), ("Worker", "Jo Jones"), ("Note", note)],
        tmp_path / "record.pdf",
        subtitle="Children's social care case system",
    )
    doc = pdfium.PdfDocument(str(out))
    pages = len(doc)
    text = " ".join(" ".join(doc[i].get_textpage().get_text_range().split()) for i in range(pages))
    doc.close()
    assert pages >= 2  # the long note flows over pages rather than being cut
    assert "Case note 4411" in text and "Children's social care case system" in text
    assert "Date: 5 March 2024" in text and "Worker: Jo Jones" in text
    assert text.count("Visited the family home.") == 400


def test_text_without_line_breaks_is_typeset_in_full(run: Run) -> None:
    words = [f"entry{n}" for n in range(30_000)]
    result = run(" ".join(words).encode(), "export.csv")
    text = " ".join(page.text for page in result.pages)
    assert result.refusal is None and len(result.pages) > 20
    assert text.split() == ["export.csv", *words]  # the heading, then every word in order
