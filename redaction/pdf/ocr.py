"""Optical character recognition of page images with Tesseract (Debian ``tesseract-ocr``).

Used twice: to read scanned pages so the detector can find names in them, and by the verifier to
check that nothing forbidden can be read back from a burned page.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from dataclasses import dataclass

import pytesseract
from PIL import Image

from redaction.model import Rect
from redaction.pdf.text import PageText

# Tesseract's OpenMP threads fight each other (and our page workers) on small machines: one thread
# is two to three times faster per page on two cores.
os.environ.setdefault("OMP_THREAD_LIMIT", "1")
# Skipping the search for white-on-black text halves the time per page; reversed-out names in
# case records are rare, and the burned boxes' own labels are white on black.
TESSERACT_CONFIG = "--psm 3 -c tessedit_do_invert=0"

PixelToPage = Callable[[float, float], tuple[float, float]]


class OcrUnavailable(RuntimeError):
    """Tesseract is not installed, so scanned pages cannot be read."""


@dataclass(frozen=True)
class OcrWord:
    text: str
    left: int
    top: int
    right: int
    bottom: int
    line: tuple[int, int, int]  # block, paragraph, line: words sharing it are on one line
    confidence: float


def tesseract_available() -> bool:
    return shutil.which(pytesseract.pytesseract.tesseract_cmd) is not None


def ocr_words(image: Image.Image, *, dpi: int) -> list[OcrWord]:
    if not tesseract_available():
        raise OcrUnavailable("Tesseract OCR is not installed (Debian package tesseract-ocr)")
    data = pytesseract.image_to_data(
        image, lang="eng", config=f"{TESSERACT_CONFIG} --dpi {dpi}", output_type=pytesseract.Output.DICT
    )
    words: list[OcrWord] = []
    for i, text in enumerate(data["text"]):
        text = text.strip()
        if not text:
            continue
        left, top = int(data["left"][i]), int(data["top"][i])
        words.append(
            OcrWord(
                text,
                left,
                top,
                left + int(data["width"][i]),
                top + int(data["height"][i]),
                (int(data["block_num"][i]), int(data["par_num"][i]), int(data["line_num"][i])),
                float(data["conf"][i]),
            )
        )
    return words


def ocr_text(image: Image.Image, *, dpi: int) -> str:
    """Plain text of an image, one OCR line per line."""
    return page_text_from_words(ocr_words(image, dpi=dpi), 0, lambda x, y: (x, y)).text


def page_text_from_words(
    words: list[OcrWord], index: int, to_page: PixelToPage, size: tuple[float, float] = (0.0, 0.0)
) -> PageText:
    """Lay OCR words out as page text, giving each character a share of its word's box."""
    chars: list[str] = []
    boxes: list[Rect | None] = []
    previous_line: tuple[int, int, int] | None = None
    for word in words:
        if previous_line is not None:
            chars.append("\n" if word.line != previous_line else " ")
            boxes.append(None)
        previous_line = word.line
        x0, y0 = to_page(word.left, word.bottom)
        x1, y1 = to_page(word.right, word.top)
        left, right = min(x0, x1), max(x0, x1)
        bottom, top = min(y0, y1), max(y0, y1)
        step = (right - left) / len(word.text)
        for k, ch in enumerate(word.text):
            chars.append(ch)
            boxes.append((left + k * step, bottom, left + (k + 1) * step, top))
    return PageText(index, "".join(chars), boxes, "ocr" if chars else "none", size[0], size[1])
