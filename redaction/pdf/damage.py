"""Pages whose objects do not parse cleanly, which must be rebuilt rather than copied.

A copied page keeps its content streams and images byte for byte. If qpdf cannot parse them (an
inline CCITT fax image with no end marker, as old fax-to-PDF software writes; a stream whose
compressed data is corrupt), the copy carries the same damage and fails ``verify``, so it could
never be disclosed. PDFium renders such pages tolerantly, so rebuilding the page from its render
gives a clean page that shows what the reader saw.
"""

from __future__ import annotations

import re

import pikepdf

# qpdf names the objects it could not read: "page object 4 0 stream 5 0", "object 8 0"
_OBJECT = re.compile(r"\b(?:object|stream) (\d+) (\d+)\b")
_MAX_DEPTH = 12


def damaged_pages(pdf: pikepdf.Pdf) -> set[int]:
    """0-based numbers of the pages that draw an object qpdf reports as damaged."""
    problems = pdf.check_pdf_syntax()
    damaged = {(int(number), int(generation)) for text in problems for number, generation in _OBJECT.findall(text)}
    if not damaged:
        return set()
    return {index for index, page in enumerate(pdf.pages) if _reachable(page.obj) & damaged}


def _reachable(page: pikepdf.Dictionary) -> set[tuple[int, int]]:
    """The page and every object its content and resources reach (not other pages)."""
    seen: set[tuple[int, int]] = {page.objgen}
    stack: list[tuple[object, int]] = [(page.get("/Contents"), 0), (page.get("/Resources"), 0)]
    while stack:
        value, depth = stack.pop()
        if depth > _MAX_DEPTH or not isinstance(value, pikepdf.Object):
            continue
        if value.is_indirect:
            if value.objgen in seen:
                continue
            seen.add(value.objgen)
        if isinstance(value, pikepdf.Dictionary | pikepdf.Stream):
            if value.get("/Type") in ("/Page", "/Pages"):
                continue
            stack.extend((value[key], depth + 1) for key in value.keys() if key != "/Parent")  # noqa: SIM118
        elif isinstance(value, pikepdf.Array):
            stack.extend((item, depth + 1) for item in value)
    return seen
