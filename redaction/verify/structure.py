"""Structural checks: things a disclosure copy must not carry, whatever text they hold."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pikepdf

# Metadata a redacted file may carry: who made it and when, and a title (the case reference).
INFO_ALLOWED = frozenset({"/Title", "/Producer", "/Creator", "/CreationDate", "/ModDate", "/Trapped"})
XMP_ALLOWED = frozenset(
    {
        "dc:title",
        "dc:format",
        "pdf:Producer",
        "pdf:Trapped",
        "xmp:CreateDate",
        "xmp:ModifyDate",
        "xmp:MetadataDate",
        "xmp:CreatorTool",
        "xmpMM:DocumentID",
        "xmpMM:InstanceID",
        "pdfaid:part",
        "pdfaid:conformance",
    }
)
_XMP_PREFIXES = {
    "http://purl.org/dc/elements/1.1/": "dc",
    "http://ns.adobe.com/pdf/1.3/": "pdf",
    "http://ns.adobe.com/xap/1.0/": "xmp",
    "http://ns.adobe.com/xap/1.0/mm/": "xmpMM",
    "http://www.aiim.org/pdfa/ns/id/": "pdfaid",
}

CATALOG_FORBIDDEN = {
    "/AcroForm": "a fillable form (field values can hold names)",
    "/Outlines": "bookmarks (their titles can hold names)",
    "/OpenAction": "an action that runs when the file is opened",
    "/AA": "actions that run on events",
    "/StructTreeRoot": "a tagged structure tree (it can hold alternate text)",
    "/OCProperties": "optional content layers (content a viewer can hide)",
    "/PieceInfo": "application private data (PieceInfo)",
    "/Threads": "article threads",
    "/Collection": "a portfolio of embedded files",
    "/SpiderInfo": "web-capture data",
}
NAME_TREES_FORBIDDEN = {
    "/EmbeddedFiles": "embedded files (attachments)",
    "/JavaScript": "JavaScript",
}
PAGE_FORBIDDEN = {
    "/Annots": "annotations (comments, links or form fields)",
    "/AA": "page actions",
    "/Thumb": "a thumbnail image of the page as it was",
    "/PieceInfo": "application private data (PieceInfo)",
    "/Metadata": "page-level metadata",
}
ANYWHERE_FORBIDDEN = {
    "/JS": "JavaScript",
    "/ActualText": "replacement text (ActualText)",
    "/Alt": "alternate text (Alt)",
    "/TU": "a form field tooltip (TU)",
    "/EF": "an embedded file",
    "/PieceInfo": "application private data (PieceInfo)",
}
_CONTENT_HIDDEN = re.compile(rb"/ActualText\b|/Alt\b")


# A trailer's /Prev is a byte offset: a number not followed by "0 R". A bookmark's /Prev is a reference to the
# bookmark before it (always indirect), which says nothing about earlier revisions.
PREV_POINTER = re.compile(rb"/Prev\s+\d+(?![\d.]|\s+\d+\s+R\b)")
# Bytes of context the pattern may need after "/Prev": a match closer than this to the end of a chunk is decided in
# the next chunk, which starts with the last ``2 * PREV_CONTEXT`` bytes of this one.
PREV_CONTEXT = 32


def revision_problems(data: bytes, pdf: pikepdf.Pdf, markers: tuple[int, bool] | None = None) -> Iterator[str]:
    """``markers``: the count of end-of-file markers and whether a /Prev pointer appears, for a caller that read the
    file in chunks instead of passing ``data``."""
    eofs, prev = markers if markers is not None else (data.count(b"%%EOF"), bool(PREV_POINTER.search(data)))
    yield from revision_findings(eofs, prev or "/Prev" in pdf.trailer, pdf.is_encrypted)


def revision_findings(eofs: int, prev: bool, encrypted: bool) -> Iterator[str]:
    """``prev``: the trailer, or the bytes anywhere, point to an earlier revision."""
    if eofs != 1:
        yield f"the file has {eofs} end-of-file markers: earlier revisions (incremental updates) may keep removed text"
    if prev:
        yield "the file's cross-reference table points to an earlier revision (/Prev)"
    if encrypted:
        yield "the file is encrypted"


def catalog_problems(pdf: pikepdf.Pdf) -> Iterator[str]:
    yield from catalog_findings(pdf.Root)


def catalog_findings(root: pikepdf.Object) -> Iterator[str]:
    for key, what in CATALOG_FORBIDDEN.items():
        if key in root:
            yield f"the document has {what} ({key})"
    names = root.get("/Names")
    if isinstance(names, pikepdf.Dictionary):
        for key, what in NAME_TREES_FORBIDDEN.items():
            if key in names:
                yield f"the document has {what} ({key})"


def page_problems(pdf: pikepdf.Pdf) -> Iterator[tuple[int, str]]:
    for number, page in enumerate(pdf.pages, start=1):
        for what in page_findings(page.obj):
            yield number, what


def page_findings(page: pikepdf.Object) -> Iterator[str]:
    for key, what in PAGE_FORBIDDEN.items():
        value = page.get(key)
        if value is None or (isinstance(value, pikepdf.Array) and len(value) == 0):
            continue
        yield f"the page has {what} ({key})"


def object_problems(pdf: pikepdf.Pdf) -> Iterator[str]:
    """Forbidden keys anywhere, and hidden-text markers in content streams."""
    found: set[str] = set()
    for obj in pdf.objects:
        data = None
        if isinstance(obj, pikepdf.Stream) and obj.get("/Subtype") != "/Image":
            try:
                data = bytes(obj.read_bytes())
            except pikepdf.PdfError:
                data = None
        object_findings(obj, data, found)
    yield from sorted(found)


def object_findings(obj: pikepdf.Object, decoded: bytes | None, found: set[str]) -> None:
    """Add to ``found`` what ``obj`` must not carry; ``decoded``: its stream data, unless an image's."""
    if isinstance(obj, pikepdf.Dictionary | pikepdf.Stream):
        for key in map(str, obj.keys()):  # noqa: SIM118 - pikepdf keys() is typed as strings
            if key in ANYWHERE_FORBIDDEN:
                found.add(f"an object carries {ANYWHERE_FORBIDDEN[key]} ({key})")
        if obj.get("/S") == "/Launch" or obj.get("/S") == "/JavaScript":
            found.add("an action that launches a program or runs JavaScript")
        if obj.get("/Type") == "/EmbeddedFile":
            found.add("an embedded file stream")
    if decoded is not None and _CONTENT_HIDDEN.search(decoded):
        found.add("a content stream carries replacement or alternate text (ActualText/Alt)")


def metadata_problems(pdf: pikepdf.Pdf) -> Iterator[str]:
    info = pdf.trailer.get("/Info")
    if isinstance(info, pikepdf.Dictionary):
        for field in map(str, info.keys()):  # noqa: SIM118 - pikepdf keys() is typed as strings
            if field not in INFO_ALLOWED:
                yield f"document information has a field outside the allow-list ({field})"
    if "/Metadata" not in pdf.Root:
        return
    try:
        with pdf.open_metadata(set_pikepdf_as_editor=False, update_docinfo=False) as xmp:
            keys = list(xmp.keys())
    except Exception as exc:  # noqa: BLE001 - any XMP we cannot parse is a problem, not a crash
        yield f"the XMP metadata cannot be read ({type(exc).__name__})"
        return
    for key in keys:
        name = _xmp_name(key)
        if name not in XMP_ALLOWED:
            yield f"XMP metadata has a property outside the allow-list ({name})"


def _xmp_name(key: str) -> str:
    if key.startswith("{"):
        namespace, _, local = key[1:].partition("}")
        return f"{_XMP_PREFIXES.get(namespace, namespace)}:{local}"
    return key
