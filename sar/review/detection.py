"""Detection in the background: the redaction library's Detector over every read page of a case.

Triggered when gathering has read a batch of documents (``sar.sources.signals.pages_ready``, once the case has
nothing left waiting to be read) and when the people register changes (``case_changed``). The job reads the whole
case: the register in the people.json format (sar.cases.export, exactly what the people export gives), the
case-level knowledge built once from every page, then each page. Findings are reconciled with what is stored,
keyed by (document, page, span, text):

* found again: the proposal is updated, the decision kept;
* new: added as "needs a decision";
* no longer found: removed if nobody decided on it, kept and marked "no longer detected" if someone did.

A run whose register and documents are the same as the last finished run's does nothing (retries, and the
many ``case_changed`` reasons that do not touch the register, cost one query).

A third party's answer to the consent question travels in the register as ``consent`` (:func:`with_answers`):
``true`` keeps their mentions (consent given), ``false`` redacts them under TP with the refusal in the
explanation. The export writes only ``consent: true``; a refusal must be in the register detection reads, or the
fingerprint would not change when someone refuses (refused and never asked would look the same) and the re-run
would be skipped. A professional's refusal does not undo Sch 2 para 17 (disclosure deemed reasonable), but an
express refusal is a factor to weigh (sar-rules section 4), so their mentions become "needs a decision".
"""

from __future__ import annotations

import bisect
import hashlib
import json
from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy import Table, delete, func, insert, select, update

from sar import audit
from sar.audit import SystemActor
from sar.cases import status
from sar.cases.export import RegisterIncomplete, people_register
from sar.cases.models import Case, CasePerson, PersonRole
from sar.db import utcnow
from sar.extensions import db
from sar.jobs import enqueue, register_job, registered_jobs, report_progress
from sar.review.models import DetectionRun, Origin, Outcome, ReviewFinding
from sar.sources.models import Document, DocumentPage, DocumentStatus

DETECT_JOB = "review.detect"
JOB_ACTOR = SystemActor("detection job")
EXAMPLES_KEPT = 20

CATEGORY_WORDS = {
    "person": "name",
    "phone": "phone number",
    "email": "email address",
    "address": "address",
    "postcode": "postcode",
    "dob": "date of birth",
    "nhs_number": "NHS number",
    "ni_number": "National Insurance number",
    "vehicle": "vehicle registration",
    "bank": "bank details",
    "upn": "pupil number",
}


@dataclass(frozen=True)
class PersonInfo:
    ref: str
    name: str
    role: str
    relationship: str
    consent: bool | None


def people_of(case: Case) -> dict[str, PersonInfo]:
    """The register's ids ("S", "P1"...) as people_register numbers them, with what explanations need."""
    info: dict[str, PersonInfo] = {}
    if case.subject is not None:
        info["S"] = PersonInfo("S", case.subject.full_name, "subject", "data subject", None)
    others: list[CasePerson] = [p for p in case.people if p.role is not PersonRole.DATA_SUBJECT]
    for number, person in enumerate(others, start=1):
        info[f"P{number}"] = PersonInfo(
            f"P{number}", person.full_name, person.role.value, person.relation, person.consent_obtained
        )
    return info


def with_answers(register: dict[str, Any], people: dict[str, PersonInfo]) -> dict[str, Any]:
    """The register with every recorded consent answer, given or refused (the export writes only consent)."""
    entries = []
    for entry in register.get("people", []):
        person = people.get(str(entry.get("id")))
        if person is not None and person.consent is not None:
            entry = {**entry, "consent": person.consent}
        entries.append(entry)
    return {**register, "people": entries}


def _refused_professional(person: PersonInfo | None, role: str, reason: str | None) -> bool:
    return person is not None and person.consent is False and (role == "professional" or reason == "TP-PRO")


def explain(category: str, role: str, action: str, reason: str | None, person: PersonInfo | None) -> str:
    """Why the detector proposes what it does, in words the reviewer and the schedule can use."""
    what = CATEGORY_WORDS.get(category, category)
    who = ""
    if person is not None:
        described = f" ({person.relationship})" if person.relationship else ""
        who = f" of {person.name}{described}"
    if role == "subject":
        return f"The data subject's own {what}: their own data is disclosed."
    if role == "requester":
        return f"The requester's {what}{who}: already known to them, so disclosed."
    if role == "organisation":
        return f"An organisation's {what} (letterhead or office details), not a person's: disclosed."
    if _refused_professional(person, role, reason):
        return (
            f"The {what}{who}, a professional acting officially, who refused consent: disclosure is normally "
            "deemed reasonable (Sch 2 para 17), but their express refusal must be weighed. Decide."
        )
    if reason == "TP-PRO" or role == "professional":
        return f"The {what}{who}, a professional acting officially: disclosure is deemed reasonable (Sch 2 para 17)."
    if person is not None and person.consent is True and action == "keep":
        return f"The {what}{who}, a third party who consented to disclosure."
    if action == "review":
        return (
            f"A {what} the register does not explain{who}: it may identify someone other than the subject. "
            "Decide whether it is third-party information."
        )
    refusal = " They refused consent." if person is not None and person.consent is False else ""
    if role == "third_party":
        return (
            f"The {what}{who}, a third party: it would identify them, and no consent is recorded.{refusal}"
            if not refusal
            else f"The {what}{who}, a third party: it would identify them.{refusal}"
        )
    return f"A {what} that may identify someone other than the subject{who}."


def boxes_for(words: list[list[float]], start: int, end: int) -> list[list[float]]:
    """The boxes of the words a span of the page's text covers, joined into one box per line.

    Words come in text order, so the first one the span touches is found by bisection: a page has hundreds of
    words and a case hundreds of thousands of findings."""
    first = bisect.bisect_right(words, start, key=lambda word: int(word[1]))
    boxes: list[list[float]] = []
    for word in words[first:]:
        w_start, w_end = int(word[0]), int(word[1])
        if w_start >= end:
            break
        if w_end <= start:
            continue
        x0, y0, x1, y1 = (float(v) for v in word[2:6])
        if boxes:
            last = boxes[-1]
            same_line = abs(last[1] - y0) < (y1 - y0) * 0.5 and x0 >= last[0]
            if same_line:
                last[1], last[2], last[3] = min(last[1], y0), max(last[2], x1), max(last[3], y1)
                continue
        boxes.append([x0, y0, x1, y1])
    return [[round(v, 2) for v in box] for box in boxes]


def fold(text: str) -> str:
    return " ".join(text.lower().split())[:200]


def _fingerprint(register: dict[str, Any], pages: list[tuple[int, int, str]]) -> str:
    digest = hashlib.sha256(json.dumps(register, sort_keys=True).encode())
    for document_id, number, text in pages:
        digest.update(f"{document_id}:{number}:{len(text)}:".encode())
        digest.update(hashlib.sha256(text.encode()).digest())
    return digest.hexdigest()


def request_detection(case_id: int, reason: str) -> None:
    """Queue a detection run for the case in the caller's transaction."""
    if DETECT_JOB not in registered_jobs():
        register_jobs()
    enqueue(DETECT_JOB, {"case_id": case_id, "reason": reason[:200]})


def _pages(case_id: int) -> list[tuple[int, int, str, list[list[float]]]]:
    rows = db.session.execute(
        select(DocumentPage.document_id, DocumentPage.number, DocumentPage.text, DocumentPage.words)
        .join(Document, Document.id == DocumentPage.document_id)
        .where(Document.case_id == case_id, Document.status == DocumentStatus.READY)
        .order_by(DocumentPage.document_id, DocumentPage.number)
    ).all()
    return [(int(d), int(n), t or "", w or []) for d, n, t, w in rows]


def detect_case(payload: dict[str, Any]) -> None:
    """Job handler: detect in every read page of the case and reconcile with what is stored."""
    from redaction import Detector, RegisterError, clean_text, load_register

    case = db.session.get(Case, int(payload["case_id"]))
    if case is None:
        return
    reading = db.session.scalar(
        select(func.count()).where(Document.case_id == case.id, Document.status == DocumentStatus.QUEUED)
    )
    if reading:
        return  # the last document to be read queues another run
    people = people_of(case)
    try:
        register_data = with_answers(people_register(case), people)
        register = load_register(register_data)
    except (RegisterIncomplete, RegisterError) as error:
        audit.record_on(case, "review.detection_skipped", f"Detection not run: {error}", by=JOB_ACTOR)
        return
    pages = _pages(case.id)
    fingerprint = _fingerprint(register_data, [(d, n, t) for d, n, t, _ in pages])
    last = db.session.scalars(
        select(DetectionRun)
        .where(DetectionRun.case_id == case.id, DetectionRun.finished_at.is_not(None))
        .order_by(DetectionRun.id.desc())
        .limit(1)
    ).first()
    if last is not None and last.fingerprint == fingerprint:
        return
    run = DetectionRun(case_id=case.id, reason=str(payload.get("reason", ""))[:200], fingerprint=fingerprint)
    db.session.add(run)
    db.session.flush()
    detector = Detector(register)
    texts = [clean_text(text) for _, _, text, _ in pages]
    knowledge = detector.case_knowledge(texts)
    found: dict[tuple[int, int, int, int, str], dict[str, Any]] = {}
    for index, ((document_id, number, _, words), text) in enumerate(zip(pages, texts, strict=True)):
        if index % 200 == 0:
            report_progress(index, len(pages), f"Detecting: page {index} of {len(pages)}")
        for finding in detector.detect(text, knowledge):
            person = people.get(finding.person_id or "")
            key = (document_id, number, finding.start, finding.end, finding.text)
            refused = finding.action == "keep" and _refused_professional(person, finding.role, finding.reason)
            found[key] = {
                "category": finding.category,
                "role": finding.role,
                "person_ref": finding.person_id,
                "person_name": person.name if person else "",
                "proposed": "review" if refused else finding.action,
                "proposed_code": finding.reason,
                "explanation": explain(finding.category, finding.role, finding.action, finding.reason, person),
                "boxes": boxes_for(words, finding.start, finding.end),
            }
    _reconcile(case.id, run, found)
    run.documents = len({d for d, _, _, _ in pages})
    run.pages = len(pages)
    run.finished_at = utcnow()
    db.session.flush()
    audit.record_on(
        case,
        "review.detection_run",
        (
            f"Detection ({run.reason or 'documents read'}): {run.pages} pages, {run.added} new findings, "
            f"{run.changed} proposals changed, {run.removed} no longer found, "
            f"{run.decisions_kept} decisions kept"
        ),
        by=JOB_ACTOR,
    )
    if run.added:
        from sar.review import signoff

        signoff.void(case.id, f"detection found {run.added} new mentions", by=JOB_ACTOR)
    # Documents read and findings to decide are review's facts: the case moves to "In review" here.
    status.refresh(case, reason=f"detection found {run.added} new findings in {run.documents} documents", by=JOB_ACTOR)


_PROPOSAL_FIELDS = ("category", "role", "person_ref", "person_name", "proposed", "proposed_code", "explanation")


@dataclass
class _Plan:
    updates: list[dict[str, Any]]
    gone_pending: list[int]
    gone_decided: list[int]
    examples: list[str]
    seen: set[tuple[int, int, int, int, str]]
    decisions_kept: int = 0


def _compare(existing: list[Any], found: dict[tuple[int, int, int, int, str], dict[str, Any]]) -> _Plan:
    """What a run changes in the stored findings: proposals to update, findings gone (decided or not)."""
    plan = _Plan([], [], [], [], set())
    for row in existing:
        key = (row.document_id, row.page_number, row.start, row.end, row.text)
        plan.seen.add(key)
        new = found.get(key)
        where = f"{row.text!r} (document {row.document_id} page {row.page_number})"
        if new is None:
            if row.outcome is Outcome.PENDING:
                plan.gone_pending.append(row.id)
            elif row.detected:
                plan.gone_decided.append(row.id)
                plan.examples.append(f"{where}: no longer detected; the decision ({row.outcome.label}) is kept")
            continue
        old = {name: getattr(row, name) for name in _PROPOSAL_FIELDS}
        if old == {name: new[name] for name in _PROPOSAL_FIELDS} and row.detected:
            continue
        plan.updates.append({"id": row.id, "detected": True, **{n: new[n] for n in _PROPOSAL_FIELDS}})
        if old["proposed"] != new["proposed"] or old["person_ref"] != new["person_ref"]:
            plan.examples.append(f"{where}: proposal {old['proposed']} → {new['proposed']}")
        if row.outcome is not Outcome.PENDING:
            plan.decisions_kept += 1
    return plan


def _reconcile(case_id: int, run: DetectionRun, found: dict[tuple[int, int, int, int, str], dict[str, Any]]) -> None:
    existing = db.session.execute(
        select(
            ReviewFinding.id,
            ReviewFinding.document_id,
            ReviewFinding.page_number,
            ReviewFinding.start,
            ReviewFinding.end,
            ReviewFinding.text,
            ReviewFinding.outcome,
            ReviewFinding.detected,
            *(getattr(ReviewFinding, name) for name in _PROPOSAL_FIELDS),
        ).where(ReviewFinding.case_id == case_id, ReviewFinding.origin == Origin.DETECTOR)
    ).all()
    plan = _compare(list(existing), found)
    now = utcnow()
    inserts = [
        {
            "case_id": case_id,
            "document_id": key[0],
            "page_number": key[1],
            "start": key[2],
            "end": key[3],
            "text": key[4],
            "folded_text": fold(key[4]),
            "origin": Origin.DETECTOR,
            "outcome": Outcome.PENDING,
            "detected": True,
            "reason": "",
            "decided_by_label": "",
            "created_at": now,
            **values,
        }
        for key, values in found.items()
        if key not in plan.seen
    ]
    if existing:
        plan.examples.extend(
            f"{row['text']!r} (document {row['document_id']} page {row['page_number']}): new, "
            f"proposed {row['proposed']}"
            for row in inserts[:EXAMPLES_KEPT]
        )
    # Core executemany on the table: the ORM's bulk insert splits rows whose None values differ into separate
    # statements (thousands of them for a big case), which cost more than detection itself.
    table = cast(Table, ReviewFinding.__table__)
    for chunk in range(0, len(inserts), 2000):
        db.session.connection().execute(insert(table), inserts[chunk : chunk + 2000])
    if plan.updates:
        db.session.execute(update(ReviewFinding), plan.updates)
    for chunk in range(0, len(plan.gone_pending), 500):
        db.session.execute(
            delete(ReviewFinding)
            .where(ReviewFinding.id.in_(plan.gone_pending[chunk : chunk + 500]))
            .execution_options(synchronize_session=False)
        )
    if plan.gone_decided:
        db.session.execute(
            update(ReviewFinding)
            .where(ReviewFinding.id.in_(plan.gone_decided))
            .values(detected=False)
            .execution_options(synchronize_session=False)
        )
    run.added = len(inserts)
    run.changed = len(plan.updates)
    run.removed = len(plan.gone_pending) + len(plan.gone_decided)
    run.decisions_kept = plan.decisions_kept + len(plan.gone_decided)
    run.changes = plan.examples[:EXAMPLES_KEPT]
    for obj in list(db.session.identity_map.values()):
        if isinstance(obj, ReviewFinding):
            db.session.expire(obj)


def register_jobs() -> None:
    register_job(DETECT_JOB, detect_case)


register_jobs()
