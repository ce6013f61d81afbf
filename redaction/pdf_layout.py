"""Page text with character boxes, and signs of text a reader cannot see.

Offsets in :class:`PageText` are code-point offsets into ``PageText.text``; findings from the
detector are expressed in them, and :meth:`PageText.boxes_for` turns a span back into rectangles
in PDF page space (points, origin bottom-left, as PDFium reports them).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Literal

import pikepdf
import pypdfium2 as pdfium

Rect = tuple[float, float, float, float]  # left, bottom, right, top in page space
TextSource = Literal["text", "ocr", "none"]


@dataclass
class PageText:
    """What a page says, and where each character sits."""

    index: int
    text: str
    boxes: list[Rect | None] = field(repr=False)
    source: TextSource

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


def _same_line(a: Rect, b: Rect) -> bool:
    overlap = min(a[3], b[3]) - max(a[1], b[1])
    height = min(a[3] - a[1], b[3] - b[1])
    return overlap > 0.5 * height and b[0] >= a[0] - 1


def extract_text(textpage: pdfium.PdfTextPage, index: int) -> PageText:
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
        chars.append(ch)
        boxes.append(_box(textpage, i, ch))
    text = "".join(chars)
    return PageText(index, text, boxes, "text" if text.strip() else "none")


def _char_at(textpage: pdfium.PdfTextPage, i: int) -> str:
    code = pdfium.raw.FPDFText_GetUnicode(textpage, i)
    return chr(code) if 0 < code < 0x110000 and not 0xD800 <= code <= 0xDFFF else "\ufffd"


def _box(textpage: pdfium.PdfTextPage, i: int, ch: str) -> Rect | None:
    if ch.isspace():
        return None
    left, bottom, right, top = textpage.get_charbox(i)
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
