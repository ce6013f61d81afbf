"""Assembling the output: copied pages carry only what a reader sees, nothing else is carried over.

The output is a brand-new file written by :class:`~redaction.pdf.writer.StreamingPdfWriter`, so
the source's catalogue (outlines, forms, JavaScript, OpenAction, attachments, the structure tree
with its Alt and ActualText, XMP, optional-content layers, page labels) is never copied. Copied
pages keep an allow-list of keys, lose resources their content does not use, and every object
reached from them is written without keys that can carry hidden text or behaviour. Document
information is rebuilt from an allow-list: the producer and, if given, a title (a case reference).
"""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import BinaryIO

import pikepdf

from redaction.pdf.burn import EncodedImage, PageGeometry
from redaction.pdf.writer import StreamingPdfWriter

PRODUCER = "SAR redaction (render-and-burn)"


class Assembler:
    """Writes the output page by page, in input order."""

    def __init__(self, source: pikepdf.Pdf, dest: str | Path | BinaryIO) -> None:
        self.source = source
        self._owned: BinaryIO | None = None
        if isinstance(dest, str | Path):
            self._owned = Path(dest).open("wb")  # noqa: SIM115 - closed by close(), after finish()
            out: BinaryIO = self._owned
        else:
            out = dest
        self.writer = StreamingPdfWriter(out)

    def copy_page(self, index: int) -> None:
        page = self.source.pages[index]
        # Fonts and forms a page lists but never draws could still hold text, so drop them; if
        # the content cannot be parsed, keep the resources rather than break the page.
        with contextlib.suppress(pikepdf.PdfError):
            page.remove_unreferenced_resources()
        self.writer.copy_page(page)

    def add_burned(self, encoded: EncodedImage, geometry: PageGeometry, text_ops: bytes) -> None:
        image = {
            "/Type": "/XObject",
            "/Subtype": "/Image",
            "/Width": geometry.width_px,
            "/Height": geometry.height_px,
            "/ColorSpace": encoded.colour_space,
            "/BitsPerComponent": encoded.bits,
            "/Filter": encoded.filter,
        }
        self.writer.add_image_page(geometry.width_pt, geometry.height_pt, encoded.data, image, text_ops)

    def finish(self, *, title: str | None) -> None:
        info = {"/Producer": PRODUCER}
        if title:
            info["/Title"] = title
        self.writer.finish(info)

    def close(self) -> None:
        if self._owned is not None:
            self._owned.close()
