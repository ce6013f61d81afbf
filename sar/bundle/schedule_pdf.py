"""The internal redaction schedule as a PDF, for the council's file: every redaction and withheld page with its
page, code, reason, explanation and who decided. Never part of the bundle (it names what was removed).

Rows come from the review's current decisions (sar.review.models); the bundle page is given when the case has a
current build that holds the document.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import LongTable, Paragraph, SimpleDocTemplate, TableStyle
from reportlab.platypus.flowables import Flowable
from sqlalchemy import select

from sar import audit
from sar.audit import Author
from sar.bundle.letters.pdf import _fonts
from sar.bundle.models import BundleEntry
from sar.bundle.queries import current_build
from sar.calendar import COUNCIL_TZ, long_date
from sar.cases.models import Case
from sar.extensions import db
from sar.review import catalogue
from sar.review.models import DocumentReview, Outcome, PageWithheld, ReviewFinding
from sar.sources.models import Document


@dataclass(frozen=True)
class ScheduleRow:
    document: str
    page: str
    what: str
    code: str
    reason: str
    explanation: str
    decided: str


def _bundle_pages(case: Case) -> dict[int, BundleEntry]:
    return {e.document_id: e for b in current_build(case) for e in b.entries if e.document_id}


def rows(case: Case) -> Iterator[ScheduleRow]:
    codes = catalogue.by_code()
    titles = dict(db.session.execute(select(Document.id, Document.title).where(Document.case_id == case.id)).all())
    entries = _bundle_pages(case)

    def name(code: str | None) -> str:
        exemption = codes.get(code or "")
        return f"{exemption.name} ({exemption.provision})" if exemption else ""

    def where(document_id: int, page: int | None) -> tuple[str, str]:
        entry = entries.get(document_id)
        label = f"{entry.position}. " if entry else ""
        document = f"{label}{titles.get(document_id, '') or f'Document {document_id}'}"
        if page is None:
            return document, "all"
        shown = f"p. {page}"
        if entry and not entry.pages_withheld:
            shown += f" (bundle p. {entry.first_page + page - 1}, part file)"
        return document, shown

    def when(row_by: str, at: object) -> str:
        stamp = at.astimezone(COUNCIL_TZ).strftime("%d/%m/%Y %H:%M") if hasattr(at, "astimezone") else ""
        return f"{row_by}, {stamp}".strip(", ")

    for flag in db.session.scalars(
        select(DocumentReview).where(DocumentReview.case_id == case.id, DocumentReview.withheld_code.is_not(None))
    ):
        document, page = where(flag.document_id, None)
        yield ScheduleRow(
            document,
            page,
            "Whole document withheld",
            flag.withheld_code or "",
            name(flag.withheld_code),
            flag.withheld_reason,
            when(flag.by_label, flag.at),
        )
    for withheld in db.session.scalars(
        select(PageWithheld)
        .where(PageWithheld.case_id == case.id)
        .order_by(PageWithheld.document_id, PageWithheld.page_number)
    ):
        document, page = where(withheld.document_id, withheld.page_number)
        yield ScheduleRow(
            document,
            page,
            "Page withheld",
            withheld.code,
            name(withheld.code),
            withheld.reason,
            when(withheld.by_label, withheld.at),
        )
    for finding in db.session.scalars(
        select(ReviewFinding)
        .where(ReviewFinding.case_id == case.id, ReviewFinding.outcome == Outcome.REDACT)
        .order_by(ReviewFinding.document_id, ReviewFinding.page_number, ReviewFinding.start)
    ):
        document, page = where(finding.document_id, finding.page_number)
        what = f"Redacted: “{finding.text}”" if finding.text else "Redacted: an area of the page"
        explanation = "; ".join(part for part in (finding.reason, finding.explanation) if part)
        yield ScheduleRow(
            document,
            page,
            what,
            finding.code or "",
            name(finding.code),
            explanation,
            when(finding.decided_by_label, finding.decided_at),
        )


def render(case: Case, path: Path) -> int:
    regular, bold = _fonts()
    cell = ParagraphStyle("cell", fontName=regular, fontSize=8, leading=10)
    head = ParagraphStyle("head", parent=cell, fontName=bold)
    title = ParagraphStyle("title", fontName=bold, fontSize=14, leading=18, spaceAfter=6)
    body = ParagraphStyle("body", fontName=regular, fontSize=9.5, leading=12, spaceAfter=8)

    def p(text: str, style: ParagraphStyle = cell) -> Paragraph:
        return Paragraph(escape(text), style)

    table = [[p(h, head) for h in ("Document", "Page", "What", "Code", "Reason", "Explanation", "Decided by")]]
    count = 0
    for row in rows(case):
        count += 1
        table.append(
            [p(row.document), p(row.page), p(row.what), p(row.code), p(row.reason), p(row.explanation), p(row.decided)]
        )
    story: list[Flowable] = [
        p(f"Internal redaction schedule – {case.reference}", title),
        p(
            "INTERNAL: not for disclosure. This schedule names what was removed from the bundle and why. "
            f"{count} entr{'y' if count == 1 else 'ies'}.",
            body,
        ),
    ]
    if count:
        grid = LongTable(table, colWidths=[48 * mm, 22 * mm, 50 * mm, 18 * mm, 45 * mm, 55 * mm, 32 * mm], repeatRows=1)
        grid.setStyle(
            TableStyle(
                [
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("LINEBELOW", (0, 0), (-1, 0), 0.8, colors.black),
                    ("LINEBELOW", (0, 1), (-1, -1), 0.25, colors.grey),
                ]
            )
        )
        story.append(grid)
    else:
        story.append(p("Nothing has been redacted or withheld on this case.", body))
    document = SimpleDocTemplate(
        str(path),
        pagesize=landscape(A4),
        leftMargin=12 * mm,
        rightMargin=12 * mm,
        topMargin=12 * mm,
        bottomMargin=12 * mm,
        title=f"Redaction schedule {case.reference}",
    )

    def footer(canvas: object, doc: SimpleDocTemplate) -> None:
        canvas.setFont(regular, 7)  # type: ignore[attr-defined]
        canvas.drawString(12 * mm, 6 * mm, f"{case.reference} · internal redaction schedule · page {doc.page}")  # type: ignore[attr-defined]

    document.build(story, onFirstPage=footer, onLaterPages=footer)
    return count


def schedule_pdf(case: Case, *, by: Author) -> bytes:
    """The internal schedule as a PDF for ``by`` to download: reading it is audited like any read of the case."""
    audit.record_on(case, "bundle.schedule_downloaded", "Internal redaction schedule (PDF) downloaded", by=by)
    with tempfile.TemporaryDirectory(prefix="sar-schedule-") as tmp:
        path = Path(tmp) / "schedule.pdf"
        render(case, path)
        return path.read_bytes()


__all__ = ["ScheduleRow", "long_date", "render", "rows", "schedule_pdf"]
