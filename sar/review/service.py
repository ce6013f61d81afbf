"""Review decisions: each flushes, logs the decision, audits it with its author, and voids a sign-off.

Every function takes the acting user (``by``) explicitly. Views parse and render; they call these.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import func, select, update

from sar import audit, calendar
from sar.audit import Author, author_fields
from sar.auth.models import User
from sar.case_rows import of_case
from sar.cases import status
from sar.cases.models import Case, CasePerson
from sar.cases.signals import case_changed
from sar.db import utcnow
from sar.errors import DomainError
from sar.extensions import db
from sar.review import catalogue, queries, signoff
from sar.review.detection import boxes_for, fold
from sar.review.models import (
    Consultation,
    ConsultationKind,
    DecisionLog,
    DocumentReview,
    Origin,
    Outcome,
    PageWithheld,
    ReviewBatch,
    ReviewFinding,
    ReviewNote,
)
from sar.sources.models import Document, DocumentPage, DocumentStatus

MAX_REASON = 2000


class ReviewError(DomainError):
    """A decision that cannot be taken, with the form field it concerns."""


def _label(by: Author) -> str:
    return author_fields(by)[1]


def _check_code(code: str | None, *, required: bool) -> str | None:
    code = (code or "").strip().upper() or None
    if code is None:
        if required:
            raise ReviewError("Choose the exemption that applies", "code")
        return None
    exemption = catalogue.by_code().get(code)
    if exemption is None or not exemption.active or exemption.usage != "redaction":
        raise ReviewError(f"{code} is not an exemption that can be applied to a redaction", "code")
    return code


def _log(
    case_id: int,
    what: str,
    by: Author,
    *,
    document_id: int | None = None,
    page_number: int | None = None,
    finding_id: int | None = None,
    text: str = "",
    code: str | None = None,
    reason: str = "",
    batch_id: int | None = None,
) -> None:
    actor = author_fields(by)
    db.session.add(
        DecisionLog(
            case_id=case_id,
            document_id=document_id,
            page_number=page_number,
            finding_id=finding_id,
            what=what,
            text=text[:2000],
            code=code,
            reason=reason[:MAX_REASON],
            batch_id=batch_id,
            by_id=actor[0],
            by_label=actor[1],
            at=utcnow(),
        )
    )


def _log_finding(finding: ReviewFinding, what: str, by: Author, *, code: str | None, reason: str) -> None:
    """The decision log's line about one finding: where it is and the words it covers, with the code and reason
    as the reviewer gave them."""
    _log(
        finding.case_id,
        what,
        by,
        document_id=finding.document_id,
        page_number=finding.page_number,
        finding_id=finding.id,
        text=finding.text,
        code=code,
        reason=reason,
    )


def _ensure_consultation(case_id: int, document_id: int, code: str | None) -> None:
    if code is None:
        return
    exemption = catalogue.by_code().get(code)
    if exemption is None or exemption.consultation is ConsultationKind.NONE:
        return
    existing = db.session.scalars(
        select(Consultation).where(
            Consultation.case_id == case_id, Consultation.code == code, Consultation.document_id == document_id
        )
    ).first()
    if existing is None:
        db.session.add(Consultation(case_id=case_id, document_id=document_id, code=code, kind=exemption.consultation))
    elif existing.withdrawn:
        existing.withdrawn = False


def _set(
    finding: ReviewFinding, outcome: Outcome, code: str | None, reason: str, by: Author, batch_id: int | None = None
) -> None:
    actor = author_fields(by)
    finding.outcome = outcome
    finding.code = code if outcome is Outcome.REDACT else (code if code == "TP-PRO" else None)
    finding.reason = reason.strip()[:MAX_REASON]
    finding.decided_by_id = actor[0]
    finding.decided_by_label = actor[1]
    finding.decided_at = utcnow()
    finding.batch_id = batch_id
    if outcome is Outcome.REDACT:
        _ensure_consultation(finding.case_id, finding.document_id, finding.code)


def accepted_outcome(finding: ReviewFinding) -> tuple[Outcome, str | None]:
    """What accepting the proposal means: an unsure proposal is accepted as a redaction (the cautious side)."""
    if finding.proposed == "keep":
        return Outcome.KEEP, finding.proposed_code
    code = finding.proposed_code if finding.proposed_code and finding.proposed_code != "TP-PRO" else "TP"
    return Outcome.REDACT, code


def decide(
    finding: ReviewFinding,
    action: str,
    *,
    by: User,
    code: str | None = None,
    reason: str = "",
) -> ReviewFinding:
    """``action``: accept (the proposal), reject (the opposite), redact, keep, or exemption (change the code)."""
    if action == "accept":
        outcome, default_code = accepted_outcome(finding)
    elif action == "reject":
        accepted, _ = accepted_outcome(finding)
        outcome = Outcome.KEEP if accepted is Outcome.REDACT else Outcome.REDACT
        default_code = "TP" if outcome is Outcome.REDACT else None
    elif action == "redact":
        outcome, default_code = Outcome.REDACT, finding.code or "TP"
    elif action == "keep":
        outcome, default_code = Outcome.KEEP, None
    elif action == "exemption":
        outcome, default_code = Outcome.REDACT, None  # an exemption belongs to a redaction
        if not (code or "").strip():
            raise ReviewError("Choose the exemption that applies", "code")
    else:
        raise ReviewError("Choose what to do with this finding", "action")
    chosen = _check_code(code, required=False) if outcome is Outcome.REDACT else None
    final_code = chosen or default_code if outcome is Outcome.REDACT else default_code
    before = (finding.outcome, finding.code)
    _set(finding, outcome, final_code, reason, by)
    db.session.flush()
    _log_finding(finding, outcome.value, by, code=finding.code, reason=finding.reason)
    audit.record_on(
        finding,
        "review.decided",
        (
            f"{outcome.label} {finding.text!r} (document {finding.document_id} page {finding.page_number})"
            + (f" under {finding.code}" if finding.code else "")
        ),
        by=by,
        before={"outcome": before[0].value, "code": before[1]},
        after={"outcome": outcome.value, "code": finding.code},
    )
    if before != (finding.outcome, finding.code) or before[0] is Outcome.PENDING:
        signoff.void(finding.case_id, f"{_label(by)} changed the decision on {finding.text!r}", by=by)
    return finding


def finding_of_case(case_id: int, finding_id: int) -> ReviewFinding:
    return of_case(ReviewFinding, finding_id, case_id)


# --- adding redactions -------------------------------------------------------------------------------------


def _page(document: Document, number: int) -> DocumentPage:
    return db.session.execute(
        select(DocumentPage).where(DocumentPage.document_id == document.id, DocumentPage.number == number)
    ).scalar_one()


def _new_manual(
    document: Document,
    page: DocumentPage,
    start: int,
    end: int,
    text: str,
    boxes: list[list[float]],
    origin: Origin,
    code: str,
    reason: str,
    by: Author,
    batch_id: int | None = None,
) -> ReviewFinding:
    finding = ReviewFinding(
        case_id=document.case_id,
        document_id=document.id,
        page_number=page.number,
        start=start,
        end=end,
        text=text,
        folded_text=fold(text),
        boxes=boxes,
        origin=origin,
        category="",
        role="",
        person_ref=None,
        person_name="",
        proposed="redact",
        proposed_code=code,
        detected=True,
        explanation=f"Added by {_label(by)}" + (f": {reason.strip()}" if reason.strip() else "."),
    )
    db.session.add(finding)
    _set(finding, Outcome.REDACT, code, reason, by, batch_id)
    return finding


def _occurrences(text: str, needle: str) -> list[tuple[int, int]]:
    """Where ``needle`` occurs in ``text`` as whole words, ignoring case and runs of spaces."""
    words = [re.escape(part) for part in needle.split()]
    if not words:
        return []
    pattern = re.compile(r"(?<!\w)" + r"\s+".join(words) + r"(?!\w)", re.IGNORECASE)
    return [(m.start(), m.end()) for m in pattern.finditer(text)]


def redact_text(
    document: Document,
    number: int,
    *,
    by: User,
    code: str | None,
    reason: str = "",
    search: str = "",
    start: int | None = None,
    end: int | None = None,
) -> list[ReviewFinding]:
    """Add redactions for words of the page: every occurrence of ``search`` on it, or characters start:end."""
    page = _page(document, number)
    checked = _check_code(code, required=True)
    assert checked is not None
    if start is not None and end is not None:
        if not (0 <= start < end <= len(page.text)):
            raise ReviewError("Those words are not on this page", "start")
        spans = [(start, end)]
    else:
        if not search.strip():
            raise ReviewError("Enter the words to redact", "search")
        spans = _occurrences(page.text, search)
        if not spans:
            raise ReviewError(f"{search.strip()!r} does not appear on page {number}", "search")
    existing = {(f.start, f.end) for f in queries.findings_of_page(document.id, number)}
    made = []
    for s, e in spans:
        if (s, e) in existing:
            continue
        made.append(
            _new_manual(
                document, page, s, e, page.text[s:e], boxes_for(page.words, s, e), Origin.TEXT, checked, reason, by
            )
        )
    db.session.flush()
    for finding in made:
        _log_finding(finding, "redact (added)", by, code=checked, reason=reason)
    audit.record_on(
        document, "review.redaction_added", f"Added {len(made)} redactions on page {number} under {checked}", by=by
    )
    if made:
        signoff.void(document.case_id, f"{_label(by)} added a redaction", by=by)
    return made


def redact_box(
    document: Document,
    number: int,
    box: tuple[float, float, float, float],
    *,
    by: User,
    code: str | None,
    reason: str = "",
) -> ReviewFinding:
    """A redaction drawn on the page: a box in PDF points from the top-left corner."""
    page = _page(document, number)
    checked = _check_code(code, required=True)
    assert checked is not None
    x0, y0, x1, y1 = box
    x0, x1 = sorted((max(0.0, x0), min(page.width, x1)))
    y0, y1 = sorted((max(0.0, y0), min(page.height, y1)))
    if x1 - x0 < 1 or y1 - y0 < 1:
        raise ReviewError("The box is too small or outside the page", "x0")
    covered = "".join(
        page.text[int(w[0]) : int(w[1])] + " "
        for w in page.words
        if w[2] < x1 and w[4] > x0 and w[3] < y1 and w[5] > y0
    ).strip()
    finding = _new_manual(
        document,
        page,
        -1,
        -1,
        covered[:2000] or "(area of the page)",
        [[round(x0, 2), round(y0, 2), round(x1, 2), round(y1, 2)]],
        Origin.BOX,
        checked,
        reason,
        by,
    )
    db.session.flush()
    _log_finding(finding, "redact (area)", by, code=checked, reason=reason)
    audit.record_on(document, "review.area_redacted", f"Area redacted on page {number} under {checked}", by=by)
    signoff.void(document.case_id, f"{_label(by)} added a redaction", by=by)
    return finding


# --- pages and documents -----------------------------------------------------------------------------------


def withhold_page(document: Document, number: int, *, by: User, code: str | None, reason: str = "") -> None:
    _page(document, number)
    checked = _check_code(code, required=True)
    assert checked is not None
    row = db.session.scalars(
        select(PageWithheld).where(PageWithheld.document_id == document.id, PageWithheld.page_number == number)
    ).first()
    if row is None:
        row = PageWithheld(
            case_id=document.case_id, document_id=document.id, page_number=number, code=checked, reason="", by_label=""
        )
        db.session.add(row)
    row.code, row.reason, row.by_label, row.at = checked, reason.strip()[:MAX_REASON], _label(by), utcnow()
    _ensure_consultation(document.case_id, document.id, checked)
    db.session.flush()
    _log(
        document.case_id, "withhold page", by, document_id=document.id, page_number=number, code=checked, reason=reason
    )
    audit.record_on(document, "review.page_withheld", f"Page {number} withheld under {checked}", by=by)
    signoff.void(document.case_id, f"{_label(by)} withheld a page", by=by)


def release_page(document: Document, number: int, *, by: User) -> None:
    row = db.session.scalars(
        select(PageWithheld).where(PageWithheld.document_id == document.id, PageWithheld.page_number == number)
    ).first()
    if row is None:
        return
    db.session.delete(row)
    db.session.flush()
    _log(document.case_id, "release page", by, document_id=document.id, page_number=number)
    audit.record_on(document, "review.page_released", f"Page {number} no longer withheld", by=by)
    signoff.void(document.case_id, f"{_label(by)} released a withheld page", by=by)


def document_review(document: Document) -> DocumentReview:
    row = db.session.get(DocumentReview, document.id)
    if row is None:
        row = DocumentReview(
            document_id=document.id, case_id=document.case_id, withheld_reason="", set_aside_reason="", by_label=""
        )
        db.session.add(row)
    return row


DOCUMENT_FLAGS = {
    "withhold": "Withhold the whole document",
    "not_relevant": "Not relevant to the request",
    "duplicate": "A duplicate of another document",
    "done": "Review of this document finished",
    "clear": "Back in review (clear withheld, not relevant, duplicate and finished)",
}


def flag_document(document: Document, flag: str, *, by: User, code: str | None = None, reason: str = "") -> None:
    if flag not in DOCUMENT_FLAGS:
        raise ReviewError("Choose what to record about the document", "flag")
    row = document_review(document)
    if flag == "withhold":
        checked = _check_code(code, required=True)
        row.withheld_code, row.withheld_reason = checked, reason.strip()[:MAX_REASON]
        _ensure_consultation(document.case_id, document.id, checked)
    elif flag in ("not_relevant", "duplicate"):
        if not reason.strip() and flag == "duplicate":
            raise ReviewError("Say which document it duplicates", "reason")
        setattr(row, flag, True)
        row.set_aside_reason = reason.strip()[:MAX_REASON]
    elif flag == "done":
        pending = db.session.scalar(
            select(func.count()).where(
                ReviewFinding.document_id == document.id, ReviewFinding.outcome == Outcome.PENDING
            )
        )
        if pending:
            raise ReviewError(f"{pending} findings of this document still need a decision", "flag")
        row.done = True
    else:
        row.withheld_code, row.withheld_reason = None, ""
        row.not_relevant = row.duplicate = row.done = False
        row.set_aside_reason = ""
    row.by_label, row.at = _label(by), utcnow()
    db.session.flush()
    _log(
        document.case_id,
        DOCUMENT_FLAGS[flag][:40],
        by,
        document_id=document.id,
        code=row.withheld_code if flag == "withhold" else None,
        reason=reason,
    )
    audit.record_on(
        document,
        "review.document_flagged",
        f"{DOCUMENT_FLAGS[flag]}" + (f" under {row.withheld_code}" if flag == "withhold" else ""),
        by=by,
    )
    if flag != "done":
        signoff.void(document.case_id, f"{_label(by)} changed what happens to document {document.id}", by=by)
    what = f"document {document.id}: {DOCUMENT_FLAGS[flag].lower()}"
    status.refresh(db.session.get_one(Case, document.case_id), reason=what, by=by)


def add_note(case: Case, text: str, *, by: User, document: Document | None = None, page: int | None = None) -> None:
    if not text.strip():
        raise ReviewError("Enter the note", "note")
    note = ReviewNote(
        case_id=case.id,
        document_id=document.id if document else None,
        page_number=page,
        text=text.strip()[:MAX_REASON],
        by_label=_label(by),
    )
    db.session.add(note)
    db.session.flush()
    audit.record_on(
        case, "review.note_added", "Review note added" + (f" on document {document.id}" if document else ""), by=by
    )


# --- across the case ---------------------------------------------------------------------------------------


@dataclass
class Scope:
    """What "apply to every ..." would change: shown (with its count) before anything changes."""

    description: str
    findings: list[ReviewFinding]
    new_spans: list[tuple[DocumentPage, int, int]]  # occurrences of the text no finding covers yet

    @property
    def count(self) -> int:
        return len(self.findings) + len(self.new_spans)

    @property
    def documents(self) -> int:
        return len({f.document_id for f in self.findings} | {p.document_id for p, _, _ in self.new_spans})


def person_scope(case: Case, person_ref: str) -> Scope:
    findings = list(
        db.session.scalars(
            select(ReviewFinding)
            .where(ReviewFinding.case_id == case.id, ReviewFinding.person_ref == person_ref)
            .order_by(ReviewFinding.document_id, ReviewFinding.page_number, ReviewFinding.start)
        )
    )
    name = findings[0].person_name if findings else person_ref
    return Scope(f"every mention of {name}", findings, [])


def text_scope(case: Case, text: str) -> Scope:
    folded = fold(text)
    if not folded:
        raise ReviewError("Enter the words", "text")
    findings = list(
        db.session.scalars(
            select(ReviewFinding)
            .where(ReviewFinding.case_id == case.id, ReviewFinding.folded_text == folded)
            .order_by(ReviewFinding.document_id, ReviewFinding.page_number, ReviewFinding.start)
        )
    )
    covered: dict[tuple[int, int], list[tuple[int, int]]] = {}
    for row in db.session.execute(
        select(ReviewFinding.document_id, ReviewFinding.page_number, ReviewFinding.start, ReviewFinding.end).where(
            ReviewFinding.case_id == case.id, ReviewFinding.start >= 0
        )
    ):
        covered.setdefault((row[0], row[1]), []).append((row[2], row[3]))
    new_spans: list[tuple[DocumentPage, int, int]] = []
    pages = db.session.scalars(
        select(DocumentPage)
        .join(Document, Document.id == DocumentPage.document_id)
        .where(Document.case_id == case.id, Document.status == DocumentStatus.READY)
        .where(func.lower(DocumentPage.text).contains(text.strip().split()[0].lower()))
        .order_by(DocumentPage.document_id, DocumentPage.number)
    )
    for page in pages:
        spans = covered.get((page.document_id, page.number), [])
        for s, e in _occurrences(page.text, text):
            if not any(a < e and s < b for a, b in spans):
                new_spans.append((page, s, e))
    return Scope(f"every occurrence of {text.strip()!r}", findings, new_spans)


def apply_scope(
    case: Case, scope: Scope, outcome: Outcome, *, by: User, code: str | None = None, reason: str = ""
) -> ReviewBatch:
    """Apply one decision to everything in ``scope``, as one batch that :func:`undo_batch` reverses."""
    if outcome is Outcome.PENDING:
        raise ReviewError("Choose redact or disclose", "outcome")
    checked = _check_code(code, required=True) if outcome is Outcome.REDACT else None
    actor = author_fields(by)
    batch = ReviewBatch(
        case_id=case.id,
        description=f"{outcome.label} {scope.description}"[:300],
        previous={},
        by_id=actor[0],
        by_label=actor[1],
    )
    db.session.add(batch)
    db.session.flush()
    previous: dict[str, Any] = {}
    now = utcnow()
    rows = []
    for finding in scope.findings:
        previous[str(finding.id)] = [
            finding.outcome.value,
            finding.code,
            finding.reason,
            finding.decided_by_id,
            finding.decided_by_label,
            finding.decided_at.isoformat() if finding.decided_at else None,
        ]
        rows.append(
            {
                "id": finding.id,
                "outcome": outcome,
                "code": checked,
                "reason": reason.strip()[:MAX_REASON],
                "decided_by_id": actor[0],
                "decided_by_label": actor[1],
                "decided_at": now,
                "batch_id": batch.id,
            }
        )
    for chunk in range(0, len(rows), 1000):
        db.session.execute(update(ReviewFinding), rows[chunk : chunk + 1000])
    documents = {f.document_id for f in scope.findings}
    made = 0
    doc_cache: dict[int, Document] = {}
    for page, s, e in scope.new_spans:
        document = doc_cache.get(page.document_id) or db.session.get_one(Document, page.document_id)
        doc_cache[page.document_id] = document
        finding = _new_manual(
            document,
            page,
            s,
            e,
            page.text[s:e],
            boxes_for(page.words, s, e),
            Origin.TEXT,
            checked or "TP",
            reason,
            by,
            batch.id,
        )
        if outcome is Outcome.KEEP:
            _set(finding, Outcome.KEEP, None, reason, by, batch.id)
        documents.add(page.document_id)
        made += 1
    if outcome is Outcome.REDACT:
        for document_id in documents:
            _ensure_consultation(case.id, document_id, checked)
    batch.previous = previous
    db.session.flush()
    for obj in list(db.session.identity_map.values()):
        if isinstance(obj, ReviewFinding) and str(obj.id) in previous:
            db.session.expire(obj)
    _log(
        case.id,
        f"{outcome.value} (applied to many)",
        by,
        code=checked,
        reason=reason,
        batch_id=batch.id,
        text=f"{batch.description}: {len(rows)} changed, {made} added",
    )
    audit.record_on(
        batch,
        "review.bulk_decided",
        (
            f"{batch.description}: {len(rows) + made} mentions in {len(documents)} documents"
            + (f" under {checked}" if checked else "")
        ),
        by=by,
    )
    signoff.void(case.id, f"{actor[1]} applied a decision across the case", by=by)
    return batch


def undo_batch(case: Case, batch_id: int, *, by: User) -> ReviewBatch:
    batch = of_case(ReviewBatch, batch_id, case.id)
    if batch.undone_at is not None:
        raise ReviewError("This has already been undone")
    rows = []
    for finding_id, (outcome, code, reason, by_id, by_label, at) in batch.previous.items():
        rows.append(
            {
                "id": int(finding_id),
                "outcome": Outcome(outcome),
                "code": code,
                "reason": reason or "",
                "decided_by_id": by_id,
                "decided_by_label": by_label or "",
                "decided_at": None if at is None else _parse_time(at),
                "batch_id": None,
            }
        )
    for chunk in range(0, len(rows), 1000):
        db.session.execute(update(ReviewFinding), rows[chunk : chunk + 1000])
    added = list(
        db.session.scalars(
            select(ReviewFinding).where(ReviewFinding.batch_id == batch.id, ReviewFinding.origin != Origin.DETECTOR)
        )
    )
    for finding in added:
        db.session.delete(finding)
    batch.undone_at = utcnow()
    db.session.flush()
    for obj in list(db.session.identity_map.values()):
        if isinstance(obj, ReviewFinding):
            db.session.expire(obj)
    _batch_recorded(
        batch,
        "undo",
        f"Undid: {batch.description}",
        "review.bulk_undone",
        f"Undid {batch.description}: {len(rows)} decisions restored, {len(added)} added redactions removed",
        by=by,
        void=f"{_label(by)} undid a decision across the case",
    )
    return batch


def _batch_recorded(
    batch: ReviewBatch, what: str, logged: str, event: str, summary: str, *, by: User, void: str | None
) -> None:
    """The decision log's line, the audit event and (when decisions changed) the voided sign-off of a batch."""
    _log(batch.case_id, what, by, batch_id=batch.id, text=logged)
    audit.record_on(batch, event, summary, by=by)
    if void:
        signoff.void(batch.case_id, void, by=by)


def _parse_time(value: str) -> Any:
    from datetime import datetime

    return datetime.fromisoformat(value)


def accept_all_proposed(case: Case, *, by: User) -> tuple[int, int]:
    """Accept every pending proposal the detector was sure of; returns (accepted, left for a person)."""
    pending = list(
        db.session.scalars(
            select(ReviewFinding).where(ReviewFinding.case_id == case.id, ReviewFinding.outcome == Outcome.PENDING)
        )
    )
    sure = [f for f in pending if f.proposed in ("redact", "keep")]
    actor = author_fields(by)
    batch = ReviewBatch(
        case_id=case.id, description="Accept every pending proposal", previous={}, by_id=actor[0], by_label=actor[1]
    )
    db.session.add(batch)
    db.session.flush()
    previous: dict[str, Any] = {}
    for finding in sure:
        previous[str(finding.id)] = [Outcome.PENDING.value, None, "", None, "", None]
        outcome, code = accepted_outcome(finding)
        _set(finding, outcome, code, "", by, batch.id)
    batch.previous = previous
    db.session.flush()
    _batch_recorded(
        batch,
        "accept proposals",
        f"{len(sure)} proposals accepted",
        "review.bulk_accepted",
        f"Accepted {len(sure)} pending proposals; {len(pending) - len(sure)} left for a person to decide",
        by=by,
        void=f"{actor[1]} accepted proposals" if sure else None,
    )
    return len(sure), len(pending) - len(sure)


# --- consultations and consent -----------------------------------------------------------------------------


def record_consultation(
    consultation: Consultation, *, by: User, consultee: str, opinion: str, opinion_date: date | None
) -> None:
    if not consultee.strip():
        raise ReviewError(
            "Enter the health professional's name and role"
            if consultation.kind is ConsultationKind.HEALTH
            else "Enter the team manager's name",
            "consultee",
        )
    if not opinion.strip():
        raise ReviewError(
            "Enter their opinion" if consultation.kind is ConsultationKind.HEALTH else "Enter their reasons",
            "opinion",
        )
    if consultation.kind is ConsultationKind.HEALTH and opinion_date is None:
        raise ReviewError("Enter the date of the opinion", "opinion_date")
    if opinion_date is not None and opinion_date > calendar.today():
        raise ReviewError("The date of the opinion must be today or in the past", "opinion_date")
    consultation.consultee = consultee.strip()[:200]
    consultation.opinion = opinion.strip()[:MAX_REASON]
    consultation.opinion_date = opinion_date
    consultation.recorded_by_label = _label(by)
    consultation.recorded_at = utcnow()
    db.session.flush()
    _log(
        consultation.case_id,
        "consultation recorded",
        by,
        document_id=consultation.document_id,
        code=consultation.code,
        reason=f"{consultation.consultee}: {consultation.opinion}",
    )
    audit.record_on(
        consultation,
        "review.consultation_recorded",
        f"{consultation.kind.label} recorded for {consultation.code} (document {consultation.document_id})",
        by=by,
    )


def record_consent(person: CasePerson, consent: bool, answered_on: date, note: str, *, by: User) -> None:
    """A third party's consent or refusal, recorded on the register: detection re-runs with it."""
    if answered_on > calendar.today():
        raise ReviewError("The date of their answer must be today or in the past", "answered_on")
    before = {"consent_obtained": person.consent_obtained, "consent_date": person.consent_date}
    person.consent_obtained = consent
    person.consent_date = answered_on
    person.consent_note = note.strip()[:500]
    db.session.flush()
    audit.record_on(
        person,
        "person.consent_recorded",
        f"{person.full_name} {'consented to' if consent else 'refused'} disclosure",
        by=by,
        before=before,
        after={"consent_obtained": consent, "consent_date": answered_on},
    )
    case_changed.send(person.case, reason="consent recorded", by=by)
