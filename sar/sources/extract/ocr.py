"""Reading scans: Tesseract (Debian ``tesseract-ocr``, through ``pytesseract``, Apache-2.0) words and boxes.

Scanned images become the working PDF as they are (the reviewer and the requester see the
scan, not a re-typeset guess), and the OCR words are kept beside the page for review and
redaction. Boxes are converted from pixels to PDF points, origin top-left.
"""

from __future__ import annotations

import os
import shutil
import warnings
from datetime import datetime
from pathlib import Path

import pytesseract
from PIL import Image, ImageSequence
from pypdf import PdfWriter

from sar.sources.extract.model import Limits, PageText, Refused

# One Tesseract thread per page: OpenMP threads fight each other and the other workers on small machines.
os.environ.setdefault("OMP_THREAD_LIMIT", "1")
OCR_DPI = 300
_CONFIG = "--psm 3 -c tessedit_do_invert=0"
_DEFAULT_SCAN_DPI = 200.0
_EXIF_IFD, _DATE_TIME_ORIGINAL, _DATE_TIME = 0x8769, 0x9003, 0x0132


def tesseract_available() -> bool:
    return shutil.which(pytesseract.pytesseract.tesseract_cmd) is not None


def ocr_page(image: Image.Image, *, number: int, dpi: float, width: float, height: float, limits: Limits) -> PageText:
    """OCR one page image drawn at ``dpi`` onto a page of ``width`` x ``height`` points."""
    if not tesseract_available():
        raise Refused(
            "conversion_failed",
            "This is a scan, and the text recognition program (Tesseract) is not installed on the server. "
            "Ask the system administrator to install it, then add the file again.",
        )
    if image.mode not in ("RGB", "L"):
        image = image.convert("L" if image.mode in ("1", "I;16", "I", "F", "LA") else "RGB")
    try:
        data = pytesseract.image_to_data(
            image,
            lang="eng",
            config=f"{_CONFIG} --dpi {round(dpi)}",
            output_type=pytesseract.Output.DICT,
            timeout=limits.ocr_timeout_s,
        )
    except RuntimeError as exc:
        if "timeout" in str(exc).lower():
            raise Refused(
                "timeout",
                f"Page {number} is a scan that took too long to read (over {limits.ocr_timeout_s:.0f} seconds). "
                "It may be very large or very poor quality; a person needs to look at it.",
            ) from exc
        raise
    scale = 72.0 / dpi
    parts: list[str] = []
    words: list[tuple[int, int, float, float, float, float]] = []
    pos = 0
    previous: tuple[int, int, int] | None = None
    for i, raw in enumerate(data["text"]):
        word = raw.strip()
        if not word:
            continue
        line = (int(data["block_num"][i]), int(data["par_num"][i]), int(data["line_num"][i]))
        if previous is not None:
            parts.append("\n" if line != previous else " ")
            pos += 1
        previous = line
        left, top = float(data["left"][i]), float(data["top"][i])
        right, bottom = left + float(data["width"][i]), top + float(data["height"][i])
        words.append((pos, pos + len(word), left * scale, top * scale, right * scale, bottom * scale))
        parts.append(word)
        pos += len(word)
    return PageText(number, width, height, "".join(parts), words, ocr=True)


def image_dpi(image: Image.Image) -> float:
    """The scan's resolution when it records a believable one; a common scanner default otherwise."""
    dpi = image.info.get("dpi")
    try:
        x = float(dpi[0]) if dpi else 0.0
    except (TypeError, ValueError, IndexError):
        x = 0.0
    return x if 50.0 <= x <= 1200.0 else _DEFAULT_SCAN_DPI


def read_image(path: Path, out: Path, limits: Limits) -> tuple[list[PageText], datetime | None]:
    """OCR every frame of an image (multi-page TIFFs are one page a frame) and write them as a PDF.

    Also returns when the picture was taken, if the camera or scanner recorded it.
    """
    pages: list[PageText] = []
    parts: list[Path] = []
    with warnings.catch_warnings():
        # Pillow warns (and carries on) about damaged metadata; a picture big enough to exhaust memory is refused.
        warnings.simplefilter("ignore")
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        with Image.open(path) as image:
            taken = _taken(image)
            for index, frame in enumerate(ImageSequence.Iterator(image)):
                if index >= limits.max_pages:
                    raise Refused(
                        "too_large",
                        f"This image file has more than {limits.max_pages} pages, more than the system reads at "
                        "once. Split it into smaller files and add them again.",
                    )
                dpi = image_dpi(frame)
                page_image = _pdf_ready(frame)
                width, height = page_image.width * 72.0 / dpi, page_image.height * 72.0 / dpi
                pages.append(ocr_page(page_image, number=index + 1, dpi=dpi, width=width, height=height, limits=limits))
                # One small PDF a frame, joined at the end: a 500-page colour TIFF never sits in memory at once.
                part = out.with_name(f"{out.stem}-{index:05d}.pdf")
                page_image.save(part, "PDF", resolution=dpi)
                parts.append(part)
    if not parts:
        raise Refused("empty", "This image file contains no pictures.")
    _join(parts, out)
    return pages, taken


def _join(parts: list[Path], out: Path) -> None:
    if len(parts) == 1:
        parts[0].replace(out)
        return
    writer = PdfWriter()
    for part in parts:
        writer.append(str(part))
    with out.open("wb") as handle:
        writer.write(handle)
    for part in parts:
        part.unlink()


def _taken(image: Image.Image) -> datetime | None:
    exif = image.getexif()
    value = exif.get_ifd(_EXIF_IFD).get(_DATE_TIME_ORIGINAL) or exif.get(_DATE_TIME)
    try:
        return datetime.strptime(str(value).strip("\x00 "), "%Y:%m:%d %H:%M:%S") if value else None
    except ValueError:
        return None


def _pdf_ready(frame: Image.Image) -> Image.Image:
    """A copy Pillow can write into a PDF (no alpha, no palette surprises), the picture unchanged."""
    if frame.mode in ("1", "L", "RGB", "CMYK"):
        return frame.copy()
    if frame.mode in ("RGBA", "LA", "P", "PA"):
        rgba = frame.convert("RGBA")
        flat = Image.new("RGB", rgba.size, "white")
        flat.paste(rgba, mask=rgba.getchannel("A"))
        flat.info.update(frame.info)
        return flat
    converted = frame.convert("RGB")
    converted.info.update(frame.info)
    return converted
