"""A PDF writer that writes each page as soon as it is made, so memory stays flat.

qpdf (through pikepdf) copies every object it is given into memory until the whole document is
saved, which for rebuilt pages means every page image at once. This writer instead puts each
object in the file the moment it is produced and remembers only its offset. Copied pages are
serialised from the source object by object; anything not on an allow-list never reaches the
output, and the file is written once, front to back: one revision, one ``%%EOF``, no ``/Prev``.

Pages can be copied from several open PDFs into one output (a bundle of many documents), each
with another page laid over it (page furniture), and the output can carry a bookmark per page
range. Objects already written are remembered per source, and forgotten with :meth:`forget`
when a source is done with, so what stays in memory is a few numbers per page.
"""

from __future__ import annotations

import hashlib
import zlib
from collections.abc import Sequence
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

# A page may take these from its ancestors in the page tree instead of holding them itself.
INHERITABLE = frozenset({"/MediaBox", "/CropBox", "/Rotate", "/Resources"})

_MAX_DEPTH = 64
_MAX_CLOSINGS = 64  # distinct overlay placements remembered (one per page size and rotation, in practice)


class StreamingPdfWriter:
    """Write a PDF page by page; call :meth:`finish` once at the end."""

    def __init__(self, out: BinaryIO) -> None:
        self._out = out
        self._position = 0
        self._digest = hashlib.md5(usedforsecurity=False)
        self._offsets: list[int] = [0]
        # Per source (by ``id`` of its Pdf, 0 when the caller names none): object written for each source object.
        self._copied: dict[int, dict[tuple[int, int], int]] = {}
        self._pending: list[tuple[int, pikepdf.Object, int]] = []
        self._pages: list[int] = []
        self._font: int | None = None
        self._push: int | None = None
        self._closings: dict[bytes, int] = {}
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

    def copy_page(
        self,
        page: pikepdf.Page,
        *,
        source: pikepdf.Pdf | None = None,
        overlay: pikepdf.Page | None = None,
        overlay_source: pikepdf.Pdf | None = None,
    ) -> None:
        """Copy a page's drawing content and resources, and nothing else.

        ``source`` is the PDF the page belongs to: name it whenever pages come from more than one PDF, since object
        numbers only mean something within their own file. ``overlay`` (a page of ``overlay_source``) is drawn over
        the page as a Form XObject, fitted to the page's media box the way qpdf's ``add_overlay`` fits it, so it
        stands upright on a rotated page too.
        """
        obj = page.obj
        owner = id(source) if source is not None else 0
        parts = [b"/Type /Page /Parent %d 0 R" % self._pages_number]
        for key in PAGE_KEYS:
            value = _inherited(obj, key) if key in INHERITABLE else obj.get(key)
            if value is None or (overlay is not None and key in ("/Resources", "/Contents")):
                continue
            parts.append(_name(key) + b" " + self._value(value, 0, owner))
        if overlay is not None:
            parts.extend(self._overlaid(page, owner, overlay, id(overlay_source) if overlay_source else 0))
        number = self._reserve()
        self._write_object(number, b"<< " + b" ".join(parts) + b" >>")
        self._pages.append(number)
        self._drain()

    def forget(self, source: pikepdf.Pdf) -> None:
        """Drop what was remembered of ``source``: call before closing it (its ``id`` may be reused)."""
        self._copied.pop(id(source), None)

    def _overlaid(self, page: pikepdf.Page, owner: int, overlay: pikepdf.Page, overlay_owner: int) -> list[bytes]:
        """``/Resources`` and ``/Contents`` of a page with ``overlay`` drawn over it."""
        resources = _inherited(page.obj, "/Resources")
        xobjects = resources.get("/XObject") if isinstance(resources, pikepdf.Dictionary) else None
        used = set(xobjects.keys()) if isinstance(xobjects, pikepdf.Dictionary) else set()
        name = next(f"/Fx{n}" for n in range(len(used) + 1) if f"/Fx{n}" not in used)
        form = overlay.as_form_xobject()
        box = page.mediabox
        placement = page.calc_form_xobject_placement(
            form,
            pikepdf.Name(name),
            pikepdf.Rectangle(*[float(v) for v in box]),
            allow_shrink=True,
            allow_expand=True,
        )
        form_ref = self._reference(form, overlay_owner)
        entries = []
        if isinstance(resources, pikepdf.Dictionary):
            entries = [
                _name(key) + b" " + self._value(resources[key], 1, owner)
                for key in resources.keys()  # noqa: SIM118 - as in _entries
                if key != "/XObject" and key not in STRIP_KEYS
            ]
        listed = self._entries(xobjects, 1, owner) if isinstance(xobjects, pikepdf.Dictionary) else b""
        entries.append(b"/XObject << " + listed + b" " + _name(name) + b" " + form_ref + b" >>")
        # The page's own content runs inside q ... Q, so whatever state it leaves cannot move the overlay.
        if self._push is None:
            self._push = self._reserve()
            self._write_stream(self._push, b"", b"q\n")
        # Pages of one size place their overlay alike: one closing stream serves them all.
        closing_ops = b"\nQ\n" + bytes(placement)
        closing = self._closings.get(closing_ops)
        if closing is None:
            if len(self._closings) >= _MAX_CLOSINGS:
                self._closings.clear()
            closing = self._closings[closing_ops] = self._reserve()
            self._write_stream(closing, b"", closing_ops)
        own = page.obj.get("/Contents")
        if isinstance(own, pikepdf.Array):  # an array of streams, perhaps itself an indirect object
            drawn = self._array(own, 1, owner)[1:-1]
        else:
            drawn = self._value(own, 1, owner) if own is not None else b""
        contents = b"[%d 0 R %s %d 0 R]" % (self._push, drawn, closing)
        return [b"/Resources << " + b" ".join(entries) + b" >>", b"/Contents " + contents]

    def _value(self, value: object, depth: int, owner: int) -> bytes:
        if depth > _MAX_DEPTH:
            return b"null"
        if isinstance(value, pikepdf.Object) and value.is_indirect:
            return self._reference(value, owner)
        if isinstance(value, pikepdf.Dictionary):
            return self._dictionary(value, depth, owner)
        if isinstance(value, pikepdf.Array):
            return self._array(value, depth, owner)
        return _scalar(value)

    def _array(self, value: pikepdf.Array, depth: int, owner: int) -> bytes:
        return b"[" + b" ".join(self._value(item, depth + 1, owner) for item in value) + b"]"

    def _dictionary(self, value: pikepdf.Dictionary | pikepdf.Stream, depth: int, owner: int) -> bytes:
        return b"<< " + self._entries(value, depth, owner) + b" >>"

    def _entries(self, value: pikepdf.Dictionary | pikepdf.Stream, depth: int, owner: int) -> bytes:
        parts = []
        for key in value.keys():  # noqa: SIM118 - pikepdf streams iterate keys only through keys()
            if key in STRIP_KEYS or (isinstance(value, pikepdf.Stream) and key in ("/Length", "/DL")):
                continue
            parts.append(_name(key) + b" " + self._value(value[key], depth + 1, owner))
        return b" ".join(parts)

    def _reference(self, value: pikepdf.Object, owner: int) -> bytes:
        if isinstance(value, pikepdf.Dictionary) and value.get("/Type") in ("/Page", "/Pages"):
            # Following a link to another page would copy that page, unredacted, into the file.
            return b"null"
        ident = value.objgen
        copied = self._copied.setdefault(owner, {})
        number = copied.get(ident)
        if number is None:
            number = self._reserve()
            copied[ident] = number
            self._pending.append((number, value, owner))
        return b"%d 0 R" % number

    def _drain(self) -> None:
        while self._pending:
            number, value, owner = self._pending.pop()
            if isinstance(value, pikepdf.Stream):
                self._write_stream(number, self._entries(value, 0, owner), bytes(value.read_raw_bytes()))
            elif isinstance(value, pikepdf.Dictionary):
                self._write_object(number, self._dictionary(value, 0, owner))
            elif isinstance(value, pikepdf.Array):
                self._write_object(number, self._array(value, 0, owner))
            else:
                self._write_object(number, _scalar(value))

    # -- file structure ------------------------------------------------------------------------

    def finish(self, info: dict[str, str], outline: Sequence[tuple[str, int]] = ()) -> None:
        """Write the page tree, catalog, information dictionary and cross-reference table. ``outline`` is the
        bookmarks, in order: a title and the (0-based) page it opens at."""
        kids = b" ".join(b"%d 0 R" % n for n in self._pages)
        self._write_object(self._pages_number, b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, len(self._pages)))
        outlines = self._outline(outline)
        catalog = self._reserve()
        extra = b" /Outlines %d 0 R" % outlines if outlines else b""
        self._write_object(catalog, b"<< /Type /Catalog /Pages %d 0 R%s >>" % (self._pages_number, extra))
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

    def _outline(self, outline: Sequence[tuple[str, int]]) -> int | None:
        """One level of bookmarks, each opening its page whole (``/Fit``), as pikepdf's outline writes them."""
        if not outline:
            return None
        for _title, page in outline:
            if not 0 <= page < len(self._pages):
                raise ValueError(f"a bookmark points at page {page + 1} of {len(self._pages)}")
        root = self._reserve()
        items = [self._reserve() for _ in outline]
        for at, (title, page) in enumerate(outline):
            body = b"<< /Title %s /Parent %d 0 R /Dest [%d 0 R /Fit] /Count 0" % (_text(title), root, self._pages[page])
            if at > 0:
                body += b" /Prev %d 0 R" % items[at - 1]
            if at + 1 < len(items):
                body += b" /Next %d 0 R" % items[at + 1]
            self._write_object(items[at], body + b" >>")
        self._write_object(
            root, b"<< /Type /Outlines /First %d 0 R /Last %d 0 R /Count %d >>" % (items[0], items[-1], len(items))
        )
        return root

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


def _inherited(page: pikepdf.Dictionary, key: str) -> pikepdf.Object | None:
    """``key`` of a page, or of the nearest ancestor in the page tree that has it."""
    node: pikepdf.Object | None = page
    for _level in range(_MAX_DEPTH):
        if not isinstance(node, pikepdf.Dictionary):
            return None
        if key in node:
            return node[key]
        node = node.get("/Parent")
    return None


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
