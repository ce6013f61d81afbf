"""The layout marks of letter text, as both the PDF and the letter page read them."""

from __future__ import annotations

from sar.bundle.letters.layout import Block, blocks


def test_paragraphs_headings_and_bullets() -> None:
    text = "Dear Alex,\n\n## Your request\nWe searched:\n- Early Help\n- Fostering\nand found records.\n\n\nYours,\nIda"

    assert blocks(text) == [
        Block("paragraph", ("Dear Alex,",)),
        Block("heading", ("Your request",)),
        Block("paragraph", ("We searched:",)),
        Block("bullets", ("Early Help", "Fostering")),
        Block("paragraph", ("and found records.",)),
        Block("paragraph", ("Yours,", "Ida")),
    ]


def test_text_that_looks_like_markup_stays_text() -> None:
    assert blocks("<b>bold</b> & <script>") == [Block("paragraph", ("<b>bold</b> & <script>",))]
