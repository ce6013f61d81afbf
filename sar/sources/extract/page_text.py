"""Page text with word boxes for a PDF page, through the redaction library.

The redaction library owns how text is read off a PDF page (it is what the bundle redacts with),
so gathering calls it from the one function below (INTERFACES item 7): when the library's public
page-text API changes, only :func:`read_page` changes.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import pypdfium2 as pdfium

from redaction.pdf.text import extract_text
from sar.sources.extract.model import PageText

Word = tuple[int, int, float, float, float, float]
_WORD = re.compile(r"\S+")


def _viewer_space(page: pdfium.PdfPage) -> Callable[[float, float], tuple[float, float]]:
    """PDF user space (origin bottom-left of the unrotated page) to the page as a viewer shows it.

    The origin moves to the top-left of the visible (crop) box, and a page with /Rotate is turned
    clockwise as viewers turn it, so boxes line up with the rendered page image.
    """
    left, bottom, right, top = page.get_cropbox()
    width, height = right - left, top - bottom
    rotation = page.get_rotation() % 360

    def to_view(x: float, y: float) -> tuple[float, float]:
        x, y = x - left, top - y
        if rotation == 90:
            return height - y, x
        if rotation == 180:
            return width - x, height - y
        if rotation == 270:
            return y, width - x
        return x, y

    return to_view


def read_page(page: pdfium.PdfPage, number: int) -> PageText:
    """The text of one page and a box per word, as the redaction library reads it.

    Boxes are in points with the origin at the top-left of the page as displayed (after its crop box
    and rotation), the same space as the page's rendered image and ``PageText.width``/``height``.
    """
    width, height = page.get_size()
    textpage = page.get_textpage()
    try:
        layout = extract_text(textpage, number - 1)
    finally:
        textpage.close()
    to_view = _viewer_space(page)
    words: list[Word] = []
    text = layout.text
    for match in _WORD.finditer(text):
        boxes = [box for box in layout.boxes[match.start() : match.end()] if box is not None]
        if boxes:
            lefts, bottoms, rights, tops = zip(*boxes, strict=True)
            xa, ya = to_view(min(lefts), max(tops))
            xb, yb = to_view(max(rights), min(bottoms))
            words.append((match.start(), match.end(), min(xa, xb), min(ya, yb), max(xa, xb), max(ya, yb)))
    return PageText(number, float(width), float(height), text, words, ocr=False)
