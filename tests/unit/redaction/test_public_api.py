"""The supported API: what ``redaction`` exports, and the page text every stage reads."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pdf_fixtures as fx

import redaction
from redaction import PageText, page_texts
from redaction.cli.detect import run


def test_every_exported_name_exists() -> None:
    missing = [name for name in redaction.__all__ if not hasattr(redaction, name)]
    assert missing == []


def test_page_text_gives_each_word_its_offsets_and_box() -> None:
    pages = list(page_texts(fx.text_pdf(pages=2)))
    assert [p.index for p in pages] == [0, 1]
    page: PageText = pages[0]
    assert (round(page.width), round(page.height)) == (595, 842)  # A4 in points
    words = [page.text[w.start : w.end] for w in page.words]
    assert words[:4] == ["On", "Monday", "Kayla", "Smith"]
    kayla = next(w for w in page.words if page.text[w.start : w.end] == "Kayla")
    left, bottom, right, top = kayla.box
    # drawn at x=72, y=760 in 12pt Helvetica: the box sits on that line, right of "On Monday"
    assert 72 < left < right < 300 and bottom < 770 and top > 755


def test_detect_command_reads_a_pdf_with_the_same_text_and_offsets_as_redaction(tmp_path: Path) -> None:
    pdf = tmp_path / "doc.pdf"
    pdf.write_bytes(fx.text_pdf(pages=2))
    people = tmp_path / "people.json"
    people.write_text(
        json.dumps(
            {
                "subject": {"id": "S", "name": "Amelia Brown"},
                "people": [{"id": "P1", "name": fx.NAME, "role": "third_party", "relationship": "mother"}],
            }
        )
    )
    out = io.StringIO()
    assert run(["--people", str(people), str(pdf)], out, io.StringIO()) == 0
    result = json.loads(out.getvalue())
    texts = [p.text for p in page_texts(pdf)]
    joined = "\f".join(texts)
    for (start, end), text in zip(result["pages"], texts, strict=True):
        assert joined[start:end] == text
    names = [s for s in result["spans"] if s["text"] == fx.NAME]
    assert len(names) == 2
    for span in names:
        assert joined[span["start"] : span["end"]] == fx.NAME
