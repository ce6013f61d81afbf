"""Render a page, burn solid labelled boxes into the pixels, and rebuild it as an image page.

The rebuilt page is an image plus an invisible text layer that holds only the words left
visible, so the disclosure stays searchable but nothing removed survives in any form.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import io
import zlib
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache

import pypdfium2 as pdfium
from PIL import Image, ImageChops, ImageDraw, ImageFont
from reportlab.pdfbase.pdfmetrics import stringWidth

from redaction.model import Rect
from redaction.pdf.text import PageText

DEFAULT_DPI = 200
BOX_PADDING_PT = 1.0
MAX_PIXELS = 60_000_000
COLOUR_PREVIEW_DPI = 36


@dataclass(frozen=True)
class Burn:
    """A solid box to burn into a page, in page space, with the reason code printed on it."""

    rect: Rect
    reason: str


class PageGeometry:
    """Maps PDF page space to pixels of a render and to points of the rebuilt page."""

    def __init__(self, page: pdfium.PdfPage, dpi: int) -> None:
        self.width_pt, self.height_pt = page.get_size()
        # A poster-sized or malformed page at full resolution would need gigabytes; such pages
        # are rendered at a lower resolution instead.
        area_in2 = max(self.width_pt * self.height_pt / 5184, 1e-6)
        self.dpi = max(min(dpi, int((MAX_PIXELS / area_in2) ** 0.5)), 1)
        scale = self.dpi / 72
        self.width_px = max(1, round(self.width_pt * scale))
        self.height_px = max(1, round(self.height_pt * scale))
        # PDFium answers in whole device pixels; asking for a 16x larger device keeps sub-pixel
        # precision for the affine map, which handles /Rotate and crop-box offsets for us.
        fine = 16
        origin = _to_device(page, self.width_px * fine, self.height_px * fine, 0.0, 0.0)
        unit_x = _to_device(page, self.width_px * fine, self.height_px * fine, 1000.0, 0.0)
        unit_y = _to_device(page, self.width_px * fine, self.height_px * fine, 0.0, 1000.0)
        self._matrix = (
            (unit_x[0] - origin[0]) / (1000 * fine),
            (unit_x[1] - origin[1]) / (1000 * fine),
            (unit_y[0] - origin[0]) / (1000 * fine),
            (unit_y[1] - origin[1]) / (1000 * fine),
            origin[0] / fine,
            origin[1] / fine,
        )

    def to_pixels(self, x: float, y: float) -> tuple[float, float]:
        a, b, c, d, e, f = self._matrix
        return (a * x + c * y + e, b * x + d * y + f)

    def to_page(self, px: float, py: float) -> tuple[float, float]:
        a, b, c, d, e, f = self._matrix
        det = a * d - b * c
        dx, dy = px - e, py - f
        return ((d * dx - c * dy) / det, (a * dy - b * dx) / det)

    def rect_to_pixels(self, rect: Rect) -> tuple[int, int, int, int]:
        corners = [self.to_pixels(x, y) for x in (rect[0], rect[2]) for y in (rect[1], rect[3])]
        xs = [c[0] for c in corners]
        ys = [c[1] for c in corners]
        return (int(min(xs)), int(min(ys)), int(max(xs)) + 1, int(max(ys)) + 1)

    def rect_to_output(self, rect: Rect) -> Rect:
        """Page-space rectangle to the rebuilt page's points (origin bottom-left, no rotation)."""
        left, top, right, bottom = self.rect_to_pixels(rect)
        k = 72 / self.dpi
        return (left * k, self.height_pt - bottom * k, right * k, self.height_pt - top * k)


def _to_device(page: pdfium.PdfPage, width: int, height: int, x: float, y: float) -> tuple[int, int]:
    dx, dy = ctypes.c_int(), ctypes.c_int()
    pdfium.raw.FPDF_PageToDevice(page, 0, 0, width, height, 0, x, y, ctypes.byref(dx), ctypes.byref(dy))
    return dx.value, dy.value


def _malloc_trim() -> Callable[[int], int] | None:
    try:
        trim: Callable[[int], int] = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6").malloc_trim
        return trim
    except (OSError, AttributeError):
        return None  # not glibc: nothing to trim


_TRIM = _malloc_trim()


def release_memory() -> None:
    """Hand freed page-image memory back to the system.

    Each render allocates a few megabytes that glibc keeps in its heap after they are freed; with
    small allocations from the PDF libraries landing between them the heap grows page after page.
    """
    if _TRIM is not None:
        _TRIM(0)


def render(page: pdfium.PdfPage, geometry: PageGeometry) -> Image.Image:
    """Render without anti-aliased text, so plain text pages compress to 1 bit.

    Colour is kept only where the page has some (a RAG rating, a photograph): a greyscale copy of
    a colour-coded record loses meaning the subject is entitled to. A colour render costs twice
    a grey one, so a small preview decides which is needed.
    """
    colour = not _is_grey(page.render(scale=COLOUR_PREVIEW_DPI / 72, rev_byteorder=True).to_pil().convert("RGB"))
    bitmap = page.render(
        scale=geometry.dpi / 72,
        grayscale=not colour,
        no_smoothtext=True,
        no_smoothpath=True,
        draw_annots=False,
        may_draw_forms=False,
        rev_byteorder=True,
    )
    image = bitmap.to_pil().convert("RGB" if colour else "L")
    if image.size != (geometry.width_px, geometry.height_px):
        # Nearest-neighbour: a pixel-off render is matched without greying the edges of one-bit text.
        image = image.resize((geometry.width_px, geometry.height_px), Image.Resampling.NEAREST)
    return image


def _is_grey(image: Image.Image) -> bool:
    red, green, blue = image.split()
    for a, b in ((red, green), (green, blue)):
        low, high = ImageChops.difference(a, b).getextrema()
        if float(high) > 16:  # type: ignore[arg-type]
            return False
    return True


def burn(image: Image.Image, geometry: PageGeometry, burns: Sequence[Burn]) -> None:
    draw = ImageDraw.Draw(image)
    pad = BOX_PADDING_PT * geometry.dpi / 72
    for item in burns:
        left, top, right, bottom = geometry.rect_to_pixels(item.rect)
        box = (int(left - pad), int(top - pad), int(right + pad), int(bottom + pad))
        draw.rectangle(box, fill=_ink(image, 0))
        _label(draw, box, item.reason, _ink(image, 255))


def _ink(image: Image.Image, level: int) -> int | tuple[int, int, int]:
    return (level, level, level) if image.mode == "RGB" else level


def _label(
    draw: ImageDraw.ImageDraw, box: tuple[int, int, int, int], reason: str, colour: int | tuple[int, int, int]
) -> None:
    width, height = box[2] - box[0], box[3] - box[1]
    size = int(height * 0.7)
    while size >= 7:
        font = _font(size)
        text_box = draw.textbbox((0, 0), reason, font=font)
        text_w, text_h = text_box[2] - text_box[0], text_box[3] - text_box[1]
        if text_w <= width - 2:
            x = box[0] + (width - text_w) // 2 - text_box[0]
            y = box[1] + (height - text_h) // 2 - text_box[1]
            draw.text((x, y), reason, fill=colour, font=font)
            return
        size -= 2


@lru_cache(maxsize=64)
def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    return ImageFont.load_default(size=size)


@dataclass(frozen=True)
class EncodedImage:
    data: bytes
    bits: int
    filter: str
    colour_space: str = "/DeviceGray"


def encode(image: Image.Image) -> EncodedImage:
    """1-bit Flate for pages of plain text and lines; JPEG when there are photos, shading or colour."""
    if image.mode == "RGB":
        buffer = io.BytesIO()
        image.save(buffer, "JPEG", quality=80, optimize=False)
        return EncodedImage(buffer.getvalue(), 8, "/DCTDecode", "/DeviceRGB")
    histogram = image.histogram()
    midtones = sum(histogram[48:208])
    if midtones <= 0.004 * image.width * image.height:
        bilevel = image.point(lambda v: 255 if v >= 128 else 0).convert("1", dither=Image.Dither.NONE)
        return EncodedImage(zlib.compress(bilevel.tobytes(), 6), 1, "/FlateDecode")
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=80, optimize=False)
    return EncodedImage(buffer.getvalue(), 8, "/DCTDecode")


def remaining_words(
    text: PageText, removed: Sequence[tuple[int, int]], burned: Sequence[Rect]
) -> Iterator[tuple[str, Rect]]:
    """Words of the page that are neither in a removed span nor under a burned box."""
    gone = [False] * len(text.text)
    for start, end in removed:
        for k in range(max(start, 0), min(end, len(gone))):
            gone[k] = True
    word: list[str] = []
    box: Rect | None = None
    for i, ch in enumerate(text.text):
        char_box = text.boxes[i]
        keep = not gone[i] and char_box is not None and not _under(char_box, burned)
        if keep and char_box is not None and box is not None and _continues(box, char_box):
            word.append(ch)
            box = (box[0], min(box[1], char_box[1]), max(box[2], char_box[2]), max(box[3], char_box[3]))
            continue
        if word and box is not None:
            yield "".join(word), box
        word, box = ([ch], char_box) if keep and char_box is not None else ([], None)
    if word and box is not None:
        yield "".join(word), box


def _under(box: Rect, burned: Sequence[Rect]) -> bool:
    cx, cy = (box[0] + box[2]) / 2, (box[1] + box[3]) / 2
    pad = BOX_PADDING_PT
    return any(r[0] - pad <= cx <= r[2] + pad and r[1] - pad <= cy <= r[3] + pad for r in burned)


def _continues(word: Rect, char: Rect) -> bool:
    height = max(word[3] - word[1], 1.0)
    same_line = abs((word[1] + word[3]) / 2 - (char[1] + char[3]) / 2) < 0.5 * height
    return same_line and -0.5 * height <= char[0] - word[2] <= 0.35 * height


def text_layer(words: Iterator[tuple[str, Rect]], geometry: PageGeometry) -> bytes:
    """Content-stream operators drawing each word invisibly (render mode 3) over its image."""
    parts = [b"BT 3 Tr"]
    for word, rect in words:
        left, bottom, right, top = geometry.rect_to_output(rect)
        height = top - bottom
        if height <= 0 or right <= left:
            continue
        encoded = word.encode("cp1252", errors="replace")
        natural = stringWidth(encoded.decode("cp1252"), "Helvetica", height)
        scale = 100 * (right - left) / natural if natural > 0 else 100
        # A trailing space makes extractors that ignore positions (pypdf) still split the words.
        escaped = encoded.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")
        parts.append(
            b"/F1 %.2f Tf %.1f Tz 1 0 0 1 %.2f %.2f Tm (%s ) Tj" % (height, scale, left, bottom + 0.2 * height, escaped)
        )
    parts.append(b"ET")
    return b"\n".join(parts)
