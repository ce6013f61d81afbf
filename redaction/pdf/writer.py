"""A PDF writer that writes each page as soon as it is made, so memory stays flat.

qpdf (through pikepdf) copies every object it is given into memory until the whole document is
saved, which for rebuilt pages means every page image at once. This writer instead puts each
object in the file the moment it is produced and remembers only its offset. Copied pages are
serialised from the source object by object; anything not on an allow-list never reaches the
output, and the file is written once, front to back: one revision, one ``%%EOF``, no ``/Prev``.
"""

from __future__ import annotations

import hashlib
import zlib
from decimal import Decimal
from typing import BinaryIO

import pikepdf

# What a copied page keeps; everything else on the page (annotations, thumbnails, actions,
# structure links, private data) is dropped.
PAGE_KEYS = frozenset(
    {"/MediaBox", "/CropBox", "/BleedBox", "/TrimBox", "/ArtBox", "/Rotate", "/Resources", "/Contents", "/Group"}
)

# Keys dropped wherever they occur: hidden text (Alt, ActualText, TU, PieceInfo, Metadata),
# behaviour (AA, JS, OpenAction), pictures of the old page (Thumb), and links back into the
# document's structure that would drag other pages along (Parent, P, StructParent(s)).
STRIP_KEYS = frozenset(
    {
        "/PieceInfo",
        "/Metadata",
        "/ActualText",
        "/Alt",
        "/TU",
        "/AA",
        "/JS",
        "/JavaScript",
        "/OpenAction",
        "/Thumb",
        "/Annots",
        "/AcroForm",
        "/EmbeddedFiles",
        "/EF",
        "/OPI",
        "/LastModified",
        "/StructParent",
        "/StructParents",
        "/Parent",
        "/P",
    }
)

_MAX_DEPTH = 64


class StreamingPdfWriter:
    """Write a PDF page by page; call :meth:`finish` once at the end."""

    def __init__(self, out: BinaryIO) -> None:
        self._out = out
        self._position = 0
        self._digest = hashlib.md5(usedforsecurity=False)
        self._offsets: list[int] = [0]
        self._copied: dict[tuple[int, int], int] = {}
        self._pending: list[tuple[int, pikepdf.Object]] = []
        self._pages: list[int] = []
        self._font: int | None = None
        self._write(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
        self._pages_number = self._reserve()

    @property
    def page_count(self) -> int:
        return len(self._pages)

    # -- rebuilt pages -------------------------------------------------------------------------

    def add_image_page(
        self, width_pt: float, height_pt: float, image: bytes, image_dict: dict[str, object], text_ops: bytes
    ) -> None:
        """A page that is one image filling it, with ``text_ops`` (an invisible text layer) on top."""
        image_number = self._reserve()
        self._write_stream(image_number, _dict(image_dict), image)
        content = b"q %.4f 0 0 %.4f 0 0 cm /Im0 Do Q\n" % (width_pt, height_pt) + text_ops
        content_number = self._reserve()
        self._write_stream(content_number, b"/Filter /FlateDecode", zlib.compress(content, 6))
        page = self._reserve()
        body = b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 %.4f %.4f] " % (self._pages_number, width_pt, height_pt)
        body += b"/Resources << /XObject << /Im0 %d 0 R >> /Font << /F1 %d 0 R >> >> " % (
            image_number,
            self._helvetica(),
        )
        body += b"/Contents %d 0 R >>" % content_number
        self._write_object(page, body)
        self._pages.append(page)

    def _helvetica(self) -> int:
        # A standard font: nothing to embed, and every reader can extract text set in it.
        if self._font is None:
            self._font = self._reserve()
            self._write_object(
                self._font, b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"
            )
        return self._font

    # -- copied pages --------------------------------------------------------------------------

    def copy_page(self, page: pikepdf.Page) -> None:
        """Copy a page's drawing content and resources, and nothing else."""
        source = page.obj
        parts = [b"/Type /Page /Parent %d 0 R" % self._pages_number]
        for key in PAGE_KEYS:
            if key in source:
                parts.append(_name(key) + b" " + self._value(source[key], 0))
        number = self._reserve()
        self._write_object(number, b"<< " + b" ".join(parts) + b" >>")
        self._pages.append(number)
        self._drain()

    def _value(self, value: object, depth: int) -> bytes:
        if depth > _MAX_DEPTH:
            return b"null"
        if isinstance(value, pikepdf.Object) and value.is_indirect:
            return self._reference(value)
        if isinstance(value, pikepdf.Dictionary):
            return self._dictionary(value, depth)
        if isinstance(value, pikepdf.Array):
            return self._array(value, depth)
        return _scalar(value)

    def _array(self, value: pikepdf.Array, depth: int) -> bytes:
        return b"[" + b" ".join(self._value(item, depth + 1) for item in value) + b"]"

    def _dictionary(self, value: pikepdf.Dictionary | pikepdf.Stream, depth: int) -> bytes:
        return b"<< " + self._entries(value, depth) + b" >>"

    def _entries(self, value: pikepdf.Dictionary | pikepdf.Stream, depth: int) -> bytes:
        parts = []
        for key in value.keys():  # noqa: SIM118 - pikepdf streams iterate keys only through keys()
            if key in STRIP_KEYS or (isinstance(value, pikepdf.Stream) and key in ("/Length", "/DL")):
                continue
            parts.append(_name(key) + b" " + self._value(value[key], depth + 1))
        return b" ".join(parts)

    def _reference(self, value: pikepdf.Object) -> bytes:
        if isinstance(value, pikepdf.Dictionary) and value.get("/Type") in ("/Page", "/Pages"):
            # Following a link to another page would copy that page, unredacted, into the file.
            return b"null"
        ident = value.objgen
        number = self._copied.get(ident)
        if number is None:
            number = self._reserve()
            self._copied[ident] = number
            self._pending.append((number, value))
        return b"%d 0 R" % number

    def _drain(self) -> None:
        while self._pending:
            number, value = self._pending.pop()
            if isinstance(value, pikepdf.Stream):
                self._write_stream(number, self._entries(value, 0), bytes(value.read_raw_bytes()))
            elif isinstance(value, pikepdf.Dictionary):
                self._write_object(number, self._dictionary(value, 0))
            elif isinstance(value, pikepdf.Array):
                self._write_object(number, self._array(value, 0))
            else:
                self._write_object(number, _scalar(value))

    # -- file structure ------------------------------------------------------------------------

    def finish(self, info: dict[str, str]) -> None:
        kids = b" ".join(b"%d 0 R" % n for n in self._pages)
        self._write_object(self._pages_number, b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, len(self._pages)))
        catalog = self._reserve()
        self._write_object(catalog, b"<< /Type /Catalog /Pages %d 0 R >>" % self._pages_number)
        info_number = self._reserve()
        self._write_object(
            info_number, b"<< " + b" ".join(_name(k) + b" " + _text(v) for k, v in info.items()) + b" >>"
        )
        document_id = self._digest.hexdigest().encode()
        xref_at = self._position
        lines = [b"xref", b"0 %d" % len(self._offsets), b"0000000000 65535 f "]
        lines.extend(b"%010d 00000 n " % offset for offset in self._offsets[1:])
        self._write(b"\n".join(lines) + b"\n")
        self._write(
            b"trailer\n<< /Size %d /Root %d 0 R /Info %d 0 R /ID [<%s> <%s>] >>\nstartxref\n%d\n%%%%EOF\n"
            % (len(self._offsets), catalog, info_number, document_id, document_id, xref_at)
        )

    def _reserve(self) -> int:
        self._offsets.append(-1)
        return len(self._offsets) - 1

    def _write(self, data: bytes) -> None:
        self._out.write(data)
        self._digest.update(data)
        self._position += len(data)

    def _write_object(self, number: int, body: bytes) -> None:
        self._offsets[number] = self._position
        self._write(b"%d 0 obj\n" % number + body + b"\nendobj\n")

    def _write_stream(self, number: int, dict_body: bytes, data: bytes) -> None:
        self._offsets[number] = self._position
        self._write(b"%d 0 obj\n<< %s /Length %d >>\nstream\n" % (number, dict_body, len(data)))
        self._write(data)
        self._write(b"\nendstream\nendobj\n")


def _name(key: str) -> bytes:
    return bytes(pikepdf.Name(key).unparse())


def _text(value: str) -> bytes:
    return bytes(pikepdf.String(value).unparse())


def _dict(entries: dict[str, object]) -> bytes:
    return b" ".join(_name(k) + b" " + _scalar(v) for k, v in entries.items())


def _scalar(value: object) -> bytes:
    if value is None:
        return b"null"
    if isinstance(value, bool):
        return b"true" if value else b"false"
    if isinstance(value, int):
        return b"%d" % value
    if isinstance(value, float | Decimal):
        text = format(Decimal(value).normalize() if isinstance(value, float) else value.normalize(), "f")
        return text.encode()
    if isinstance(value, pikepdf.Object):
        return bytes(value.unparse())
    if isinstance(value, str):
        return _name(value) if value.startswith("/") else _text(value)
    raise TypeError(f"cannot write {type(value).__name__} into a PDF")
