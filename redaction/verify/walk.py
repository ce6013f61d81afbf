"""The release check's object walk for a long file on disk, in memory that does not grow with the page count.

The objects are read a batch at a time by :mod:`redaction.pdf.xref` (why, measured: there), and every object is
still parsed by qpdf, every stream decoded by qpdf (images at the level ``check_pdf_syntax`` decodes them) and every
page's content stream parsed by qpdf; a check through one qpdf instance grew by about 15 kB a page. A page tree node's
kids and a page's contents are read from the object's bytes, by number.

PDFium, for the page text, reads the file through :class:`PageRange`, a view whose page tree holds only the pages in
hand: it keeps every page dictionary it walked past to find a page, which grew by about 2 kB a page.

The walk handles only what it can check exactly as the whole-file path does, and raises :class:`Unsupported`
otherwise; the caller then checks the file the whole-file way (qpdf over the whole file), which is as strict, reports
the problem in its own words and uses more memory. That happens for: cross-reference streams or object streams (PDF
1.5 compression; incremental updates written by pypdf), an encrypted or linearized file, a cross-reference entry that
does not point at its object (a damaged table, which qpdf would repair with a warning), a page tree that is not a
plain tree of dictionaries, a page without a MediaBox, and any warning or error qpdf raises on an object, a stream's
decoding or a page's content stream. An incremental update with classic tables is walked: every revision's objects
are checked, including the versions a later revision replaced (the whole-file check sees only the newest).
"""

from __future__ import annotations

import io
import re
from array import array
from dataclasses import dataclass, field
from typing import BinaryIO

import pikepdf

from redaction.pdf.xref import BATCH_OBJECTS, Batch, Unsupported, XrefIndex

_MAX_TREE_DEPTH = 64
_KIDS = re.compile(rb"/Kids\b\s*(\[[^\]]*\]|\d+\s+\d+\s+R\b)")
_CONTENTS = re.compile(rb"/Contents\b\s*(\[[^\]]*\]|\d+\s+\d+\s+R\b)")

_SEEN, _CONTENT = 1, 2  # flags kept per object number while walking the page tree


@dataclass
class PageTree:
    """The pages in order (object numbers), which of them draw XObjects (what the OCR check reads back) and which
    objects are page contents (parsed as such when walked): a few bytes a page, in arrays."""

    pages: array[int] = field(default_factory=lambda: array("I"))
    draws_images: bytearray = field(default_factory=bytearray)
    problems: list[tuple[int, str]] = field(default_factory=list)  # (page number, what)
    flags: bytearray = field(default_factory=bytearray)  # per object number

    def is_contents(self, number: int) -> bool:
        return number < len(self.flags) and bool(self.flags[number] & _CONTENT)


def page_tree(index: XrefIndex, handle: BinaryIO, root: pikepdf.Object, page_forbidden: dict[str, str]) -> PageTree:
    """Walk the page tree a level at a time, in batches; only the tree's shape (a few numbers a page) is kept."""
    top = root.get("/Pages")
    if not isinstance(top, pikepdf.Dictionary) or not top.is_indirect:
        raise Unsupported("no indirect page tree root")
    tree = PageTree(flags=bytearray(index.highest + 1))
    kids_of: dict[int, array[int]] = {}
    images = bytearray(index.highest + 1)  # per page object: it draws XObjects
    findings: dict[int, list[str]] = {}  # per page object, only those with any
    level, boxed = array("I", [top.objgen[0]]), bytearray(1)  # node numbers; a MediaBox is inherited
    for _depth in range(_MAX_TREE_DEPTH):
        if not level:
            break
        following, following_boxed = array("I"), bytearray()
        for start in range(0, len(level), BATCH_OBJECTS):
            wanted = []
            for number in level[start : start + BATCH_OBJECTS]:
                newest = index.newest(number)
                if newest is None or tree.flags[number] & _SEEN:
                    raise Unsupported("a page tree node is missing or appears twice")
                tree.flags[number] |= _SEEN
                wanted.append((number, newest[0], newest[1]))
            batch = Batch(index, handle, wanted)
            try:
                for at, (number, obj) in enumerate(batch.objects(), start=start):
                    kids = _visit(number, obj, bool(boxed[at]), batch, tree, images, findings, page_forbidden)
                    if kids is not None:
                        kids_of[number] = kids
                        following.extend(kids)
                        following_boxed.extend(b"\1" * len(kids) if boxed[at] or _has_box(obj) else bytes(len(kids)))
                batch.check_warnings()
            finally:
                batch.close()
        level, boxed = following, following_boxed
    else:
        raise Unsupported("the page tree is too deep")
    stack = [top.objgen[0]]
    while stack:
        number = stack.pop()
        if number in kids_of:
            stack.extend(reversed(kids_of.pop(number)))
            continue
        tree.pages.append(number)
        tree.draws_images.append(images[number])
        tree.problems.extend((len(tree.pages), what) for what in findings.get(number, ()))
    return tree


def _has_box(node: pikepdf.Object) -> bool:
    return isinstance(node.get("/MediaBox"), pikepdf.Array)


def _visit(
    number: int,
    obj: pikepdf.Object,
    inherited_box: bool,
    batch: Batch,
    tree: PageTree,
    images: bytearray,
    findings: dict[int, list[str]],
    page_forbidden: dict[str, str],
) -> array[int] | None:
    """A page tree node's kids, or ``None`` for a page (what it must not carry goes in ``findings``)."""
    if not isinstance(obj, pikepdf.Dictionary):
        raise Unsupported("a page tree node is not a dictionary")
    kind = obj.get("/Type")
    if kind == "/Pages":
        kids = batch.named(number, _KIDS)
        if kids is None:
            raise Unsupported("a page tree node has no /Kids")
        return kids
    if kind != "/Page" or not (inherited_box or _has_box(obj)) or "/Kids" in obj:
        raise Unsupported("a page that qpdf would repair")
    problems = []
    for key, what in page_forbidden.items():
        value = obj.get(key)
        if value is None or (isinstance(value, pikepdf.Array) and len(value) == 0):
            continue
        problems.append(f"the page has {what} ({key})")
    if problems:
        findings[number] = problems
    for stream in batch.named(number, _CONTENTS) or ():
        if stream >= len(tree.flags):
            raise Unsupported("page contents that are not in the file")
        tree.flags[stream] |= _CONTENT
    resources = obj.get("/Resources")
    xobjects = resources.get("/XObject") if isinstance(resources, pikepdf.Dictionary) else None
    images[number] = isinstance(xobjects, pikepdf.Dictionary) and len(xobjects.keys()) > 0
    return None


class PageRange(io.RawIOBase):
    """The file as PDFium should read it for a few of its pages: the file itself, then an update whose catalog's page
    tree holds only those pages (the file's own page objects, read where they are).

    PDFium finds a page by walking the page tree from the first page and keeps every page dictionary it walked past
    until the document is closed: reopening the whole file every few hundred pages still held every page before the
    one asked for (+23 MB at 10,000 pages, measured). Through this view it walks past at most the pages in range.
    """

    def __init__(self, index: XrefIndex, pages: array[int]) -> None:
        super().__init__()
        self._handle = index.path.open("rb")
        self._size = index.size
        catalog, tree = index.object_count, index.object_count + 1
        kids = b" ".join(b"%d %d R" % (number, (index.newest(number) or (0, 0))[0]) for number in pages)
        at = self._size
        update = b"\n%d 0 obj\n<< /Type /Catalog /Pages %d 0 R >>\nendobj\n" % (catalog, tree)
        tree_at = at + len(update)
        update += b"%d 0 obj\n<< /Type /Pages /Kids [%s] /Count %d >>\nendobj\n" % (tree, kids, len(pages))
        xref_at = at + len(update)
        update += b"xref\n0 1\n0000000000 65535 f \n%d 2\n%010d 00000 n \n%010d 00000 n \n" % (catalog, at + 1, tree_at)
        update += b"trailer\n<< /Size %d /Root %d 0 R /Prev %d >>\nstartxref\n%d\n%%%%EOF\n" % (
            tree + 1,
            catalog,
            index.startxref,
            xref_at,
        )
        self._update = update
        self._position = 0

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        return self._position

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        base = {io.SEEK_SET: 0, io.SEEK_CUR: self._position, io.SEEK_END: self._size + len(self._update)}[whence]
        self._position = max(base + offset, 0)
        return self._position

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        view = memoryview(buffer).cast("B")
        done = 0
        if self._position < self._size:
            self._handle.seek(self._position)
            done = self._handle.readinto(view[: min(len(view), self._size - self._position)]) or 0
        if done < len(view) and self._position + done >= self._size:
            start = self._position + done - self._size
            piece = self._update[start : start + len(view) - done]
            view[done : done + len(piece)] = piece
            done += len(piece)
        self._position += done
        return done

    def close(self) -> None:
        self._handle.close()
        super().close()
