"""Typesetting text that has no pages of its own (emails, web pages, text files, database records).

reportlab (BSD) lays out a plain, readable A4 page: a heading, a table of labelled fields
(From, To, Date...) and the body, one paragraph per line so line breaks in records and emails
survive. Text the built-in PDF fonts can show (Windows-1252: English and most Western European
names) is set in Helvetica; anything else (names in Polish, Turkish, Greek or Arabic script) in DejaVu
Sans (Debian ``fonts-dejavu-core``, installed with LibreOffice), which would otherwise be lost. Helvetica
first because embedding DejaVu costs a page 5.4 ms and 43 KB against 1.9 ms and 2 KB (measured on a
typeset email), and most gathered text needs nothing more.
"""

from __future__ import annotations

import re
import threading
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

_FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ufffe\uffff]")
_fonts_lock = threading.Lock()
_fonts: tuple[str, str] | None = None

# Characters per page of body text, to refuse a text that would typeset to more pages than allowed
# before spending the time on it (measured: about 4,000 characters of prose fill an A4 page here).
CHARS_PER_PAGE = 4_000
_LONGEST_LINE = 2_000


_BUILT_IN = ("Helvetica", "Helvetica-Bold")


def _font_names(*texts: str) -> tuple[str, str]:
    """Helvetica when every text can be shown in it, else DejaVu Sans when installed."""
    try:
        for text in texts:
            text.encode("cp1252")
        return _BUILT_IN
    except UnicodeEncodeError:
        pass
    global _fonts
    with _fonts_lock:
        if _fonts is None:
            regular, bold = _FONT_DIR / "DejaVuSans.ttf", _FONT_DIR / "DejaVuSans-Bold.ttf"
            if regular.exists() and bold.exists():
                pdfmetrics.registerFont(TTFont("SarSans", str(regular)))
                pdfmetrics.registerFont(TTFont("SarSans-Bold", str(bold)))
                _fonts = ("SarSans", "SarSans-Bold")
            else:
                _fonts = _BUILT_IN
        return _fonts


def _clean(text: str) -> str:
    return _CONTROL.sub("", text.replace("\r\n", "\n").replace("\r", "\n").replace("\t", "    "))


def _styles(*texts: str) -> tuple[ParagraphStyle, ParagraphStyle, ParagraphStyle, ParagraphStyle, ParagraphStyle]:
    regular, bold = _font_names(*texts)
    title = ParagraphStyle("title", fontName=bold, fontSize=14, leading=18, spaceAfter=2 * mm)
    subtitle = ParagraphStyle(
        "subtitle", fontName=regular, fontSize=10, leading=13, textColor=colors.HexColor("#505a5f")
    )
    label = ParagraphStyle("label", fontName=bold, fontSize=9.5, leading=12)
    value = ParagraphStyle("value", fontName=regular, fontSize=9.5, leading=12)
    body = ParagraphStyle("body", fontName=regular, fontSize=10, leading=13)
    return title, subtitle, label, value, body


def _pieces(text: str) -> list[str]:
    """Lines of the text, very long ones (minified HTML, exports without line breaks) cut at spaces.

    reportlab re-flows a paragraph each time it breaks a page, so one enormous paragraph costs time
    in proportion to its length times its pages; short paragraphs keep typesetting linear.
    """
    pieces: list[str] = []
    for line in _clean(text).split("\n"):
        while len(line) > _LONGEST_LINE:
            cut = line.rfind(" ", 0, _LONGEST_LINE)
            cut = cut if cut > 0 else _LONGEST_LINE
            pieces.append(line[:cut])
            line = line[cut:].lstrip(" ")
        pieces.append(line)
    return pieces


def _lines(text: str, style: ParagraphStyle) -> list[Paragraph | Spacer]:
    flow: list[Paragraph | Spacer] = []
    for line in _pieces(text):
        if line.strip():
            # Leading spaces carry meaning in quoted replies and records: keep them visible.
            indent = len(line) - len(line.lstrip(" "))
            flow.append(Paragraph("&nbsp;" * indent + escape(line.strip()), style))
        else:
            flow.append(Spacer(1, style.leading * 0.6))
    return flow


def typeset(
    out: Path,
    *,
    title: str,
    fields: list[tuple[str, str]],
    body: str = "",
    subtitle: str = "",
    body_heading: str = "",
) -> Path:
    """Write a readable PDF: heading, labelled fields (long values wrapped), then the body text."""
    title_style, subtitle_style, label_style, value_style, body_style = _styles(
        title, subtitle, body, body_heading, *(part for pair in fields for part in pair)
    )
    flow: list[object] = [Paragraph(escape(_clean(title)) or "(untitled)", title_style)]
    if subtitle:
        flow.append(Paragraph(escape(_clean(subtitle)), subtitle_style))
    flow.append(Spacer(1, 4 * mm))
    for label, value in fields:
        flow.extend(_field(label, value, label_style, value_style))
    if fields:
        flow.append(Spacer(1, 5 * mm))
    if body_heading:
        flow.append(Paragraph(escape(body_heading), label_style))
        flow.append(Spacer(1, 2 * mm))
    flow.extend(_lines(body, body_style))
    document = SimpleDocTemplate(
        str(out),
        pagesize=A4,
        leftMargin=20 * mm,
        rightMargin=20 * mm,
        topMargin=18 * mm,
        bottomMargin=18 * mm,
        title=_clean(title)[:200],
        creator="sar",
        invariant=1,
    )
    document.build(flow)
    return out


def _field(
    label: str, value: str, label_style: ParagraphStyle, value_style: ParagraphStyle
) -> list[Paragraph | Spacer]:
    """A short value sits beside its label; a long one (a case note) flows under it and may cross pages."""
    value = _clean(value).strip()
    if "\n" not in value and len(value) <= 300:
        bold = label_style.fontName
        return [Paragraph(f'<font name="{bold}">{escape(_clean(label))}:</font> {escape(value)}', value_style)]
    return [Paragraph(escape(_clean(label)), label_style), *_lines(value, value_style), Spacer(1, 2 * mm)]
