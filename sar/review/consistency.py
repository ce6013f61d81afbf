"""The consistency check before sign-off.

It lists: the same person, identifier or sentence decided differently in two documents; a third party
redacted on one page and left visible (mentioned with no redaction) on another; the subject's own data
redacted. Each issue has a stable key, so a reviewer's explanation stays attached to it; an issue is
resolved when the decisions agree, or explained when a reviewer has said why the difference is right.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field

from sqlalchemy import select

from sar import audit
from sar.audit import author_fields
from sar.auth.models import User
from sar.cases.models import Case
from sar.extensions import db
from sar.review.models import ConsistencyExplanation, Outcome, ReviewFinding
from sar.sources.models import Document, DocumentPage, DocumentStatus

MAX_PLACES = 20


@dataclass(frozen=True)
class Place:
    document_id: int
    page_number: int
    label: str


@dataclass
class Issue:
    key: str
    kind: str
    message: str
    places: list[Place] = field(default_factory=list)
    explanation: str = ""

    @property
    def explained(self) -> bool:
        return bool(self.explanation)


def _key(*parts: object) -> str:
    return hashlib.sha256("|".join(map(str, parts)).encode()).hexdigest()


def _place(f: ReviewFinding) -> Place:
    return Place(
        f.document_id, f.page_number, f"{f.outcome.label}: {f.text!r} – document {f.document_id}, page {f.page_number}"
    )


def check(case: Case) -> list[Issue]:
    findings = list(
        db.session.scalars(
            select(ReviewFinding)
            .where(ReviewFinding.case_id == case.id, ReviewFinding.outcome != Outcome.PENDING)
            .order_by(ReviewFinding.document_id, ReviewFinding.page_number, ReviewFinding.start)
        )
    )
    issues: list[Issue] = []
    by_person: dict[str, list[ReviewFinding]] = {}
    by_text: dict[str, list[ReviewFinding]] = {}
    for f in findings:
        if f.person_ref and f.person_ref != "S":
            by_person.setdefault(f.person_ref, []).append(f)
        if f.folded_text and f.start >= 0 and f.person_ref != "S" and f.role != "subject":
            by_text.setdefault(f.folded_text, []).append(f)
    person_texts: set[str] = set()
    for ref, group in by_person.items():
        if _differs(group):
            issues.append(
                Issue(
                    _key("person", ref),
                    "person",
                    f"{group[0].person_name or ref} is redacted in some documents and disclosed in others",
                    _mixed_places(group),
                )
            )
            person_texts.update(f.folded_text for f in group)
    for text, group in by_text.items():
        if text in person_texts or not _differs(group):
            continue
        kind = "sentence" if len(text.split()) >= 6 else "identifier"
        issues.append(
            Issue(
                _key(kind, text),
                kind,
                f"{group[0].text!r} is redacted in some documents and disclosed in others",
                _mixed_places(group),
            )
        )
    issues.extend(_visible_elsewhere(case, findings))
    subject = [f for f in findings if f.outcome is Outcome.REDACT and (f.person_ref == "S" or f.role == "subject")]
    for document_id in sorted({f.document_id for f in subject}):
        mine = [f for f in subject if f.document_id == document_id]
        issues.append(
            Issue(
                _key("subject", document_id, *sorted(f.id for f in mine)),
                "subject",
                f"The data subject's own data is redacted in document {document_id} ({len(mine)} places)",
                [_place(f) for f in mine[:MAX_PLACES]],
            )
        )
    explanations = dict(
        db.session.execute(
            select(ConsistencyExplanation.key, ConsistencyExplanation.explanation).where(
                ConsistencyExplanation.case_id == case.id
            )
        ).all()
    )
    for issue in issues:
        issue.explanation = explanations.get(issue.key, "")
    return issues


def _differs(group: list[ReviewFinding]) -> bool:
    """Redacted in one document and disclosed in another."""
    redacted = {f.document_id for f in group if f.outcome is Outcome.REDACT}
    kept = {f.document_id for f in group if f.outcome is Outcome.KEEP}
    return bool(redacted) and bool(kept) and len(redacted | kept) > 1


def _mixed_places(group: list[ReviewFinding]) -> list[Place]:
    redacted = [f for f in group if f.outcome is Outcome.REDACT][: MAX_PLACES // 2]
    kept = [f for f in group if f.outcome is Outcome.KEEP][: MAX_PLACES // 2]
    return [_place(f) for f in redacted + kept]


def _visible_elsewhere(case: Case, findings: list[ReviewFinding]) -> list[Issue]:
    """Third parties' names redacted somewhere but written on another page with no finding over them (a mention
    someone decided to disclose is a difference of decision, listed as such)."""
    redacted_names: dict[str, ReviewFinding] = {}
    for f in findings:
        if f.outcome is Outcome.REDACT and f.category == "person" and f.role != "subject" and len(f.text) >= 3:
            redacted_names.setdefault(f.folded_text, f)
    if not redacted_names:
        return []
    covered: dict[tuple[int, int], list[tuple[int, int]]] = {}
    for d, n, s, e in db.session.execute(
        select(ReviewFinding.document_id, ReviewFinding.page_number, ReviewFinding.start, ReviewFinding.end).where(
            ReviewFinding.case_id == case.id
        )
    ):
        covered.setdefault((d, n), []).append((s, e))
    names = sorted(redacted_names, key=len, reverse=True)
    pattern = re.compile(
        r"(?<!\w)(" + "|".join(r"\s+".join(map(re.escape, n.split())) for n in names) + r")(?!\w)", re.IGNORECASE
    )
    found: dict[str, list[Place]] = {}
    rows = db.session.execute(
        select(DocumentPage.document_id, DocumentPage.number, DocumentPage.text)
        .join(Document, Document.id == DocumentPage.document_id)
        .where(Document.case_id == case.id, Document.status == DocumentStatus.READY)
        .order_by(DocumentPage.document_id, DocumentPage.number)
    )
    for document_id, number, text in rows:
        spans = covered.get((document_id, number), [])
        for match in pattern.finditer(text or ""):
            s, e = match.span()
            if any(a <= s and e <= b for a, b in spans):
                continue
            name = " ".join(match.group(0).lower().split())
            places = found.setdefault(name, [])
            if len(places) < MAX_PLACES:
                places.append(
                    Place(document_id, number, f"Visible: {match.group(0)!r} – document {document_id}, page {number}")
                )
    issues = []
    for name, places in found.items():
        first = redacted_names.get(name)
        if first is None:
            continue
        issues.append(
            Issue(
                _key("visible", name),
                "visible",
                f"{first.text!r} is redacted on one page and visible on {len(places)} other places",
                [_place(first), *places],
            )
        )
    return issues


def explain(case: Case, key: str, explanation: str, *, by: User) -> None:
    from sar.review.service import ReviewError

    if not explanation.strip():
        raise ReviewError("Explain why the difference is right", "explanation")
    if key not in {issue.key for issue in check(case)}:
        raise ReviewError("That inconsistency is no longer listed")
    row = db.session.scalars(
        select(ConsistencyExplanation).where(
            ConsistencyExplanation.case_id == case.id, ConsistencyExplanation.key == key
        )
    ).first()
    actor = author_fields(by)
    if row is None:
        row = ConsistencyExplanation(case_id=case.id, key=key, explanation="", by_label="")
        db.session.add(row)
    row.explanation = explanation.strip()[:2000]
    row.by_label = actor[1]
    db.session.flush()
    audit.record_on(case, "review.inconsistency_explained", f"Inconsistency explained: {row.explanation}", by=by)
