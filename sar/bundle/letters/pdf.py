"""Typesetting a rendered letter as an A4 PDF with the council's letterhead (reportlab).

The letter text's layout marks are read by sar.bundle.letters.layout. Everything else is text: it is escaped before
reportlab's paragraph mark-up sees it, so a template cannot inject mark-up either.

DejaVu Sans (Debian's fonts-dejavu-core) is used when installed so names in any European alphabet print; otherwise
reportlab's bundled Vera.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import ListFlowable, ListItem, Paragraph, SimpleDocTemplate, Spacer
from reportlab.platypus.flowables import Flowable

from sar.bundle.letters import layout

_FONT_CANDIDATES = (
    (
        Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"),
        Path("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"),
    ),
)


def _fonts() -> tuple[str, str]:
    if "LetterSans" in pdfmetrics.getRegisteredFontNames():
        return "LetterSans", "LetterSans-Bold"
    regular, bold = "Vera.ttf", "VeraBd.ttf"  # bundled with reportlab, found on its font path
    for candidate_regular, candidate_bold in _FONT_CANDIDATES:
        if candidate_regular.is_file() and candidate_bold.is_file():
            regular, bold = str(candidate_regular), str(candidate_bold)
            break
    pdfmetrics.registerFont(TTFont("LetterSans", regular))
    pdfmetrics.registerFont(TTFont("LetterSans-Bold", bold))
    return "LetterSans", "LetterSans-Bold"


@dataclass(frozen=True)
class Letterhead:
    council_name: str
    address_lines: list[str]
    email: str
    phone: str


@dataclass(frozen=True)
class LetterPage:
    letterhead: Letterhead
    reference: str
    date_text: str
    recipient_lines: list[str]
    subject: str
    body: str


def _styles() -> dict[str, ParagraphStyle]:
    regular, bold = _fonts()
    body = ParagraphStyle("body", fontName=regular, fontSize=11, leading=15, spaceAfter=8)
    return {
        "body": body,
        "council": ParagraphStyle("council", parent=body, fontName=bold, fontSize=16, leading=20, alignment=TA_RIGHT),
        "head": ParagraphStyle(
            "head",
            parent=body,
            fontSize=9,
            leading=12,
            alignment=TA_RIGHT,
            spaceAfter=0,
            textColor=colors.HexColor("#383f43"),
        ),
        "subject": ParagraphStyle("subject", parent=body, fontName=bold, fontSize=12, leading=16, spaceBefore=6),
        "heading": ParagraphStyle("heading", parent=body, fontName=bold, fontSize=11.5, spaceBefore=6, spaceAfter=4),
        "bullet": ParagraphStyle("bullet", parent=body, spaceAfter=2),
    }


def _text(line: str) -> str:
    return escape(line)


def _paragraph(lines: list[str], styles: dict[str, ParagraphStyle]) -> Paragraph:
    return Paragraph("<br/>".join(_text(line) for line in lines), styles["body"])


def _bullet_list(items: list[str], styles: dict[str, ParagraphStyle]) -> ListFlowable:
    return ListFlowable(
        [ListItem(Paragraph(_text(item), styles["bullet"]), leftIndent=14) for item in items],
        bulletType="bullet",
        start="•",
        leftIndent=14,
        bulletFontName=styles["body"].fontName,
        spaceAfter=8,
    )


def body_flowables(body: str, styles: dict[str, ParagraphStyle]) -> list[Flowable]:
    flowables: list[Flowable] = []
    for block in layout.blocks(body):
        if block.kind == "heading":
            flowables.append(Paragraph(_text(block.lines[0]), styles["heading"]))
        elif block.kind == "bullets":
            flowables.append(_bullet_list(list(block.lines), styles))
        else:
            flowables.append(_paragraph(list(block.lines), styles))
    return flowables


def render_pdf(letter: LetterPage, *, title: str, author: str) -> bytes:
    styles = _styles()
    output = io.BytesIO()
    head = letter.letterhead

    def furniture(canvas: object, document: SimpleDocTemplate) -> None:
        canvas.saveState()  # type: ignore[attr-defined]
        canvas.setFont(styles["body"].fontName, 8.5)  # type: ignore[attr-defined]
        canvas.setFillColor(colors.HexColor("#383f43"))  # type: ignore[attr-defined]
        canvas.drawString(20 * mm, 12 * mm, f"{head.council_name} · Our reference {letter.reference}")  # type: ignore[attr-defined]
        canvas.drawRightString(190 * mm, 12 * mm, f"Page {document.page}")  # type: ignore[attr-defined]
        canvas.restoreState()  # type: ignore[attr-defined]

    document = SimpleDocTemplate(
        output,
        pagesize=A4,
        leftMargin=20 * mm,
        rightMargin=20 * mm,
        topMargin=18 * mm,
        bottomMargin=22 * mm,
        title=title,
        author=author,
        subject=letter.subject,
        creator=head.council_name,
    )
    contact = [line for line in (head.email, head.phone) if line]
    story: list[Flowable] = [
        Paragraph(_text(head.council_name), styles["council"]),
        Paragraph("<br/>".join(_text(line) for line in [*head.address_lines, *contact]), styles["head"]),
        Spacer(1, 10 * mm),
        Paragraph("<br/>".join(_text(line) for line in letter.recipient_lines) or "&nbsp;", styles["body"]),
        Spacer(1, 4 * mm),
        Paragraph(f"Our reference: {_text(letter.reference)}<br/>Date: {_text(letter.date_text)}", styles["body"]),
        Paragraph(_text(letter.subject), styles["subject"]),
        *body_flowables(letter.body, styles),
    ]
    document.build(story, onFirstPage=furniture, onLaterPages=furniture)
    return output.getvalue()
