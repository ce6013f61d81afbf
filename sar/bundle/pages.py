"""The pages the bundle generates itself (reportlab): the index, the key to exemption codes, the page that stands in
for withheld pages, and the furniture printed on every page.

Pure typesetting: plain values in, PDF files out, nothing read from the database, so the builder can call these
from a background job and tests can open what they make. Text is escaped before reportlab's paragraph mark-up sees
it. The letters' font (DejaVu Sans when installed) is used so names in any European alphabet print.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import LongTable, Paragraph, SimpleDocTemplate, Spacer, TableStyle
from reportlab.platypus.flowables import Flowable

from sar.bundle.letters.pdf import _fonts
from sar.calendar import long_date

GREY = colors.HexColor("#505a5f")
FURNITURE_SIZE = 7.5


@dataclass(frozen=True)
class IndexRow:
    number: int
    title: str
    day: date | None
    source: str
    first_page: int
    last_page: int
    note: str = ""  # "withheld (SW-SH)", "3 pages withheld"


@dataclass(frozen=True)
class KeyRow:
    code: str
    meaning: str
    law: str


@dataclass(frozen=True)
class Furniture:
    """What every page carries: the case reference, page n of N, the running bundle number, who and when."""

    reference: str
    disclosed_to: str
    disclosed_on: date
    total_pages: int
    first_bundle_number: int
    part_label: str = ""  # "Part 1 of 2" for rolling disclosure

    def lines(self, page: int) -> tuple[str, str]:
        """Left and right text of the footer of ``page`` (1-based within this part)."""
        left = f"{self.reference} · Disclosed to {self.disclosed_to} on {long_date(self.disclosed_on)}"
        part = f"{self.part_label} · " if self.part_label else ""
        right = f"{part}Page {page} of {self.total_pages} · Bundle no. {self.bundle_number(page):06d}"
        return left, right

    def bundle_number(self, page: int) -> int:
        return self.first_bundle_number + page - 1


def _styles() -> dict[str, ParagraphStyle]:
    regular, bold = _fonts()
    body = ParagraphStyle("body", fontName=regular, fontSize=10.5, leading=14, spaceAfter=6)
    return {
        "body": body,
        "title": ParagraphStyle("title", parent=body, fontName=bold, fontSize=16, leading=20, spaceAfter=10),
        "heading": ParagraphStyle("heading", parent=body, fontName=bold, fontSize=12, leading=16, spaceBefore=8),
        "cell": ParagraphStyle("cell", parent=body, fontSize=9, leading=11.5, spaceAfter=0),
        "head": ParagraphStyle("head", parent=body, fontName=bold, fontSize=9, leading=11.5, spaceAfter=0),
        "big": ParagraphStyle("big", parent=body, fontName=bold, fontSize=14, leading=19, spaceBefore=30),
    }


def _p(text: str, style: ParagraphStyle) -> Paragraph:
    return Paragraph(escape(text).replace("\n", "<br/>"), style)


def _document(path: Path, title: str) -> SimpleDocTemplate:
    # Margins leave room for the furniture stamped along the bottom edge of every page.
    return SimpleDocTemplate(
        str(path),
        pagesize=A4,
        leftMargin=18 * mm,
        rightMargin=18 * mm,
        topMargin=18 * mm,
        bottomMargin=22 * mm,
        title=title,
        creator="",
        author="",
        subject="",
        producer="",
    )


def render_index(
    path: Path,
    rows: Sequence[IndexRow],
    *,
    heading: str,
    introduction: Sequence[str] = (),
    earlier: Sequence[str] = (),
) -> int:
    """The index of documents; returns its page count. ``earlier`` lists what was disclosed before (repeat
    requests and later parts), so the reader knows where the rest is."""
    styles = _styles()
    story: list[Flowable] = [_p(heading, styles["title"])]
    story.extend(_p(line, styles["body"]) for line in introduction)
    table = [[_p(h, styles["head"]) for h in ("No.", "Date", "Document", "From", "Pages")]]
    for row in rows:
        pages = f"{row.first_page}" if row.first_page == row.last_page else f"{row.first_page}–{row.last_page}"
        title = row.title + (f" ({row.note})" if row.note else "")
        table.append(
            [
                _p(str(row.number), styles["cell"]),
                _p(row.day.strftime("%d/%m/%Y") if row.day else "Undated", styles["cell"]),
                _p(title, styles["cell"]),
                _p(row.source, styles["cell"]),
                _p(pages, styles["cell"]),
            ]
        )
    if rows:
        grid = LongTable(table, colWidths=[11 * mm, 25 * mm, 76 * mm, 42 * mm, 20 * mm], repeatRows=1)
        grid.setStyle(
            TableStyle(
                [
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("LINEBELOW", (0, 0), (-1, 0), 0.8, colors.black),
                    ("LINEBELOW", (0, 1), (-1, -1), 0.25, GREY),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
                ]
            )
        )
        story.append(grid)
    else:
        story.append(_p("This part holds no documents.", styles["body"]))
    if earlier:
        story.append(_p("Disclosed to you before", styles["heading"]))
        story.extend(_p(line, styles["body"]) for line in earlier)
    return _build(path, heading, story)


def render_key(path: Path, rows: Sequence[KeyRow]) -> int:
    styles = _styles()
    story: list[Flowable] = [
        _p("Key to the codes on redacted and withheld information", styles["title"]),
        _p(
            "Where information has been blacked out (redacted) or a page left out, the box or page shows one of "
            "these codes. Each code is a reason the law allows.",
            styles["body"],
        ),
    ]
    if not rows:
        story.append(_p("Nothing in this bundle has been redacted or withheld.", styles["body"]))
    for row in rows:
        story.append(_p(f"{row.code}", styles["heading"]))
        story.append(_p(f"{row.meaning[:1].upper()}{row.meaning[1:]}. ({row.law})", styles["body"]))
    return _build(path, "Key to the codes", story)


def render_withheld(path: Path, *, title: str, pages: Sequence[int], code: str, meaning: str, whole: bool) -> int:
    """The page that stands in for withheld pages (or a whole withheld document)."""
    styles = _styles()
    if whole:
        what = f"The whole of this document ({_count(len(pages))}) has been withheld."
    elif len(pages) == 1:
        what = f"Page {pages[0]} of this document has been withheld."
    else:
        what = f"Pages {', '.join(str(p) for p in pages)} of this document have been withheld."
    story: list[Flowable] = [
        _p(title, styles["heading"]),
        _p(what, styles["big"]),
        _p(f"Reason: {code} – {meaning}.", styles["body"]),
        Spacer(1, 6 * mm),
        _p("The key to the codes at the end of this bundle explains each code.", styles["body"]),
    ]
    return _build(path, "Withheld", story)


def _count(pages: int) -> str:
    return "1 page" if pages == 1 else f"{pages} pages"


def _build(path: Path, title: str, story: list[Flowable]) -> int:
    document = _document(path, title)
    document.build(story)
    return int(document.page)


def render_furniture(path: Path, furniture: Furniture, sizes: Sequence[tuple[float, float]], first_page: int) -> None:
    """One overlay page per bundle page, each the size of the page it will be laid over, carrying only the footer.

    Text only, no filled shapes: a background band would hide what the document prints there, and the release
    gate rightly fails a page where a shape is drawn over text.
    """
    regular, _bold = _fonts()
    canvas = Canvas(str(path), pageCompression=1, invariant=1)
    canvas.setCreator("")
    canvas.setProducer("")
    for offset, (width, height) in enumerate(sizes):
        canvas.setPageSize((width, height))
        left, right = furniture.lines(first_page + offset)
        canvas.setFont(regular, FURNITURE_SIZE)
        canvas.setFillColor(GREY)
        canvas.drawString(12, 7, left)
        canvas.drawRightString(width - 12, 7, right)
        canvas.showPage()
    canvas.save()
