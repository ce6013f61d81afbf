"""Page text with word boxes for a PDF page, through the redaction library.

The redaction library owns how text is read off a PDF page (it is what the bundle redacts with),
so gathering calls it from the one function below (INTERFACES item 7): when the library's public
page-text API changes, only :func:`read_page` changes.
"""

from __future__ import annotations

import re

import pypdfium2 as pdfium

from redaction.pdf_layout import extract_text
from sar.sources.extract.model import PageText

Word = tuple[int, int, float, float, float, float]
_WORD = re.compile(r"\S+")


def read_page(page: pdfium.PdfPage, number: int) -> PageText:
    """The text of one page and a box per word (points, origin top-left), as the redaction library reads it."""
    width, height = page.get_size()
    textpage = page.get_textpage()
    try:
        layout = extract_text(textpage, number - 1)
    finally:
        textpage.close()
    words: list[Word] = []
    text = layout.text
    for match in _WORD.finditer(text):
        boxes = [box for box in layout.boxes[match.start() : match.end()] if box is not None]
        if boxes:
            lefts, bottoms, rights, tops = zip(*boxes, strict=True)
            words.append(
                (match.start(), match.end(), min(lefts), height - max(tops), max(rights), height - min(bottoms))
            )
    return PageText(number, float(width), float(height), text, words, ocr=False)
