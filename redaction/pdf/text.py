"""Page text with word boxes: the one reading of a page that detection and redaction share.

:func:`redaction.page_texts` gives one :class:`PageText` per page. Its ``text`` is what the
detector reads; every offset anywhere in the library (findings, spans, reviewer decisions) is a
code-point offset into it. ``words`` gives each word's ``(start, end)`` in that text and its box
in PDF points (origin bottom-left, as PDFium reports them), which is what later stages store to
show and burn a finding; :meth:`PageText.boxes_for` turns any span back into one rectangle per
line. Pages with a text layer are read by PDFium; pages without one by Tesseract OCR
(:mod:`redaction.pdf.ocr`), laid out the same way.
"""

from __future__ import annotations

import ctypes
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Literal

import pikepdf
import pypdfium2 as pdfium

from redaction.model import Rect

TextSource = Literal["text", "ocr", "none"]


@dataclass(frozen=True, slots=True)
class Word:
    """A run of non-space characters: ``text[start:end]`` of its page, drawn inside ``box``."""

    start: int
    end: int
    box: Rect


@dataclass
class PageText:
    """What a page says, where each word sits, and how big the page is (points).

    ``source`` is ``text`` for a text layer, ``ocr`` for a page read by OCR and ``none`` for a
    page nothing could be read from. ``boxes`` holds one box per character (``None`` for spaces
    and characters with no position); words are built from it.
    """

    index: int
    text: str
    boxes: list[Rect | None] = field(repr=False)
    source: TextSource
    width: float = 0.0
    height: float = 0.0
    words: list[Word] = field(default_factory=list, repr=False)

    def __post_init__(self) -> None:
        if not self.words and self.text:
            self.words = _words(self.text, self.boxes)

    def boxes_for(self, start: int, end: int) -> list[Rect]:
        """One rectangle per line of the span, so a name wrapped over two lines gets two boxes."""
        lines: list[Rect] = []
        for box in self.boxes[max(start, 0) : min(end, len(self.boxes))]:
            if box is None:
                continue
            if lines and _same_line(lines[-1], box):
                last = lines[-1]
                lines[-1] = (min(last[0], box[0]), min(last[1], box[1]), max(last[2], box[2]), max(last[3], box[3]))
            else:
                lines.append(box)
        return lines


def _words(text: str, boxes: Sequence[Rect | None]) -> list[Word]:
    """Words and their boxes; a word none of whose characters has a position is left out."""
    out: list[Word] = []
    for m in re.finditer(r"\S+", text):
        placed = [b for b in boxes[m.start() : m.end()] if b is not None]
        if not placed:
            continue
        box = (
            min(b[0] for b in placed),
            min(b[1] for b in placed),
            max(b[2] for b in placed),
            max(b[3] for b in placed),
        )
        out.append(Word(m.start(), m.end(), box))
    return out


def _same_line(a: Rect, b: Rect) -> bool:
    overlap = min(a[3], b[3]) - max(a[1], b[1])
    height = min(a[3] - a[1], b[3] - b[1])
    return overlap > 0.5 * height and b[0] >= a[0] - 1


def extract_text(textpage: pdfium.PdfTextPage, index: int, size: tuple[float, float] = (0.0, 0.0)) -> PageText:
    """Text of a page with a box per character; PDFium's generated line breaks become ``\\n``."""
    count = textpage.count_chars()
    raw = textpage.get_text_range() if count else ""
    if len(raw) != count:
        # PDFium's text view can drop or insert characters relative to its character list on odd
        # files; reading one character at a time keeps offsets and boxes aligned.
        raw = "".join(_char_at(textpage, i) for i in range(count))
    chars: list[str] = []
    boxes: list[Rect | None] = []
    for i, ch in enumerate(raw):
        if ch == "\r" and i + 1 < count and raw[i + 1] == "\n":
            continue
        # a lone carriage return is a line break too, so the detector never sees one
        chars.append("\n" if ch == "\r" else ch)
        boxes.append(_box(textpage, i, ch))
    text = "".join(chars)
    return PageText(index, text, boxes, "text" if text.strip() else "none", size[0], size[1])


def _char_at(textpage: pdfium.PdfTextPage, i: int) -> str:
    code = pdfium.raw.FPDFText_GetUnicode(textpage, i)
    return chr(code) if 0 < code < 0x110000 and not 0xD800 <= code <= 0xDFFF else "\ufffd"


def _box(textpage: pdfium.PdfTextPage, i: int, ch: str) -> Rect | None:
    if ch.isspace():
        return None
    left, bottom, right, top = textpage.get_charbox(i, loose=True)
    if right - left <= 0 and top - bottom <= 0:
        return None
    return (left, bottom, right, top)


# Text drawn invisibly (render mode 3, or 7: clip only), spoken alternatives (ActualText/Alt) and
# optional-content layers a viewer may hide are all ways for a page to say more than it shows.
_HIDDEN_MARKERS = re.compile(rb"(?<![\w.])[37]\s+Tr\b|/ActualText\b|/Alt\b|/OC\b")


def page_has_hidden_text(page: pikepdf.Page) -> bool:
    """True when the page's content, or any form it draws, carries text a reader cannot see."""
    seen: set[tuple[int, int]] = set()
    return any(_HIDDEN_MARKERS.search(data) for data in _content_streams(page.obj, seen, depth=0))


def _content_streams(holder: pikepdf.Object, seen: set[tuple[int, int]], depth: int) -> Iterable[bytes]:
    if depth > 8:
        return
    contents = holder.get("/Contents") if not isinstance(holder, pikepdf.Stream) else holder
    for stream in _as_streams(contents):
        yield _decoded(stream)
    resources = holder.get("/Resources")
    if not isinstance(resources, pikepdf.Dictionary):
        return
    xobjects = resources.get("/XObject")
    if not isinstance(xobjects, pikepdf.Dictionary):
        return
    for _key, xobj in xobjects.items():
        if not isinstance(xobj, pikepdf.Stream) or xobj.get("/Subtype") != "/Form":
            continue
        ident = xobj.objgen
        if ident != (0, 0):
            if ident in seen:
                continue
            seen.add(ident)
        yield from _content_streams(xobj, seen, depth + 1)


def _as_streams(contents: object) -> list[pikepdf.Stream]:
    if isinstance(contents, pikepdf.Stream):
        return [contents]
    if isinstance(contents, pikepdf.Array):
        return [item for item in contents if isinstance(item, pikepdf.Stream)]
    return []


def _decoded(stream: pikepdf.Stream) -> bytes:
    try:
        return bytes(stream.read_bytes())
    except pikepdf.PdfError:
        return bytes(stream.read_raw_bytes())


_TEXT, _PATH, _IMAGE = pdfium.raw.FPDF_PAGEOBJ_TEXT, pdfium.raw.FPDF_PAGEOBJ_PATH, pdfium.raw.FPDF_PAGEOBJ_IMAGE
_MIN_COVER_PT = 3.0


def covering_boxes(page: pdfium.PdfPage) -> list[Rect]:
    """Opaque shapes drawn on top of text that was drawn before them: the classic fake redaction.

    Only filled paths and small images count (a full-page scan drawn over its own OCR text is
    handled as hidden text instead). Text inside Form XObjects is not examined.
    """
    width, height = page.get_size()
    texts: list[Rect] = []
    covers: list[Rect] = []
    for obj in page.get_objects(max_depth=0):
        kind = obj.type
        if kind == _TEXT:
            texts.append(_bounds(obj))
            continue
        if not texts or kind not in (_PATH, _IMAGE):
            continue
        box = _bounds(obj)
        if box[2] - box[0] < _MIN_COVER_PT or box[3] - box[1] < _MIN_COVER_PT:
            continue
        if kind == _PATH and not _opaque_fill(obj):
            continue
        if kind == _IMAGE and (box[2] - box[0]) * (box[3] - box[1]) > 0.5 * width * height:
            continue
        if any(_overlaps(box, text) for text in texts):
            covers.append(box)
    return covers


def _bounds(obj: pdfium.PdfObject) -> Rect:
    left, bottom, right, top = obj.get_bounds()
    return (float(left), float(bottom), float(right), float(top))


def _opaque_fill(obj: pdfium.PdfObject) -> bool:
    fill_mode, stroke = ctypes.c_int(), ctypes.c_int()
    if not pdfium.raw.FPDFPath_GetDrawMode(obj, ctypes.byref(fill_mode), ctypes.byref(stroke)):
        return False
    if fill_mode.value == 0:
        return False
    r, g, b, a = (ctypes.c_uint() for _ in range(4))
    if not pdfium.raw.FPDFPageObj_GetFillColor(obj, *(ctypes.byref(c) for c in (r, g, b, a))):
        return False
    return a.value == 255


def _overlaps(a: Rect, b: Rect) -> bool:
    return min(a[2], b[2]) > max(a[0], b[0]) and min(a[3], b[3]) > max(a[1], b[1])
