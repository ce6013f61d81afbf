"""The internal redaction schedule: every current decision of a case, one CSV row each.

Who decided, when, what, under which exemption (with its provision), the reviewer's reason and the
detector's explanation of why the words were flagged. The PDF schedule for the requester comes with the
bundle stage; this one is for the council's file and for an investigator.
"""

from __future__ import annotations

from collections.abc import Iterator

from sqlalchemy import select

from sar.cases.models import Case
from sar.downloads import csv_line
from sar.extensions import db
from sar.review import catalogue
from sar.review.models import DocumentReview, Outcome, PageWithheld, ReviewFinding
from sar.sources.models import Document

COLUMNS = (
    "case_reference",
    "document_id",
    "document_title",
    "page",
    "decision",
    "text",
    "person",
    "exemption_code",
    "exemption",
    "provision",
    "why_flagged",
    "reviewer_reason",
    "decided_by",
    "decided_at",
)


def rows(case: Case) -> Iterator[str]:
    codes = catalogue.by_code()
    titles = dict(db.session.execute(select(Document.id, Document.title).where(Document.case_id == case.id)).all())

    def code_cells(code: str | None) -> list[str]:
        exemption = codes.get(code or "")
        return [code or "", exemption.name if exemption else "", exemption.provision if exemption else ""]

    yield csv_line(COLUMNS)
    for flags in db.session.scalars(
        select(DocumentReview).where(DocumentReview.case_id == case.id).order_by(DocumentReview.document_id)
    ):
        what = (
            "withhold document"
            if flags.withheld_code
            else "not relevant"
            if flags.not_relevant
            else "duplicate"
            if flags.duplicate
            else ""
        )
        if what:
            yield csv_line(
                [
                    case.reference,
                    flags.document_id,
                    titles.get(flags.document_id, ""),
                    "",
                    what,
                    "",
                    "",
                    *code_cells(flags.withheld_code),
                    "",
                    flags.withheld_reason or flags.set_aside_reason,
                    flags.by_label,
                    flags.at,
                ]
            )
    for page in db.session.scalars(
        select(PageWithheld)
        .where(PageWithheld.case_id == case.id)
        .order_by(PageWithheld.document_id, PageWithheld.page_number)
    ):
        yield csv_line(
            [
                case.reference,
                page.document_id,
                titles.get(page.document_id, ""),
                page.page_number,
                "withhold page",
                "",
                "",
                *code_cells(page.code),
                "",
                page.reason,
                page.by_label,
                page.at,
            ]
        )
    last_id = 0
    while True:
        batch = db.session.scalars(
            select(ReviewFinding)
            .where(
                ReviewFinding.case_id == case.id, ReviewFinding.outcome != Outcome.PENDING, ReviewFinding.id > last_id
            )
            .order_by(ReviewFinding.id)
            .limit(1000)
        ).all()
        if not batch:
            break
        last_id = batch[-1].id
        for f in sorted(batch, key=lambda f: (f.document_id, f.page_number, f.start)):
            yield csv_line(
                [
                    case.reference,
                    f.document_id,
                    titles.get(f.document_id, ""),
                    f.page_number,
                    "redact" if f.outcome is Outcome.REDACT else "disclose",
                    f.text,
                    f.person_name,
                    *code_cells(f.code),
                    f.explanation,
                    f.reason,
                    f.decided_by_label,
                    f.decided_at,
                ]
            )
