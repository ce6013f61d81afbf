"""Review for the demo council (called by sar.demo after gathering's seeding): detection over every case whose
documents were read, then four cases carried on through review so each step has an example to open:

* partly reviewed: some findings decided, one document finished, the rest waiting ("In review");
* ready: every finding decided and the case marked ready ("Awaiting sign-off");
* returned: marked ready, then sent back by the DPO with comments ("Returned for changes");
* signed off: checked and signed off by a second person ("Signed off: send the response").

Everything goes through review's own services, as the pages would, so the audit trail and the derived status
read as if staff had done the work. :func:`finish_review` is also what another stage's demo calls to get a
signed-off case to build a bundle from.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sqlalchemy import select

from sar.auth.models import Role, User
from sar.cases.models import Case
from sar.extensions import db
from sar.review import consistency, detection, service, signoff
from sar.review.models import CaseReview, Outcome, ReviewFinding
from sar.sources import tasks
from sar.sources.models import Document, DocumentStatus, SearchTask, TaskStatus

UNSURE_REASON = "Not in the register and could identify someone other than the subject"
RETURN_COMMENTS = (
    "The neighbour's name is still readable in the second record; check every mention of him and the address "
    "before marking it ready again."
)


def _pending(case: Case) -> list[ReviewFinding]:
    return list(
        db.session.scalars(
            select(ReviewFinding)
            .where(ReviewFinding.case_id == case.id, ReviewFinding.outcome == Outcome.PENDING)
            .order_by(ReviewFinding.document_id, ReviewFinding.page_number, ReviewFinding.start)
        )
    )


def _detect(case: Case) -> None:
    """Run detection now, as the job worker would (the queued job finds nothing changed and does nothing)."""
    detection.detect_case({"case_id": case.id, "reason": "documents read"})


def _searches_returned(case: Case, by: User, today: date) -> None:
    """The teams that sent nothing answer "no records held", so review is what the case waits for."""
    for task in db.session.scalars(
        select(SearchTask).where(SearchTask.case_id == case.id, SearchTask.status == TaskStatus.OPEN)
    ):
        statement = tasks.Statement(
            systems_searched=f"{task.team.name} case system; team shared drive; team mailbox",
            terms_used="\n".join(task.identifiers),
            searched_by=by.full_name,
            searched_on=today,
        )
        tasks.no_records_held(task, statement, by=by)


def _decide_everything(case: Case, reviewer: User) -> None:
    """Decide every finding as a careful reviewer would, record consultations and explain what the consistency check
    still lists: what a reviewer does before marking a case ready.

    A lone capitalised word nobody in the register answers to ("Actions", the "Foster" of a foster carer) is kept: it
    is not a person here, and redacting it would blank the word everywhere it is printed (the release gate would
    rightly find it in the index's "Fostering and Adoption"). The detector's sure proposals are accepted; an
    ambiguous name it thinks is the subject's is kept; anything else unsure is redacted as third-party data."""
    for finding in _pending(case):
        if finding.role == "unknown" and finding.category == "person" and " " not in finding.text.strip():
            service.decide(finding, "keep", by=reviewer, reason="Not a person's name here: an ordinary word")
    service.accept_all_proposed(case, by=reviewer)
    for finding in _pending(case):
        if finding.role == "subject":
            service.decide(finding, "keep", by=reviewer, reason="The requester's own name")
        else:
            service.decide(finding, "redact", by=reviewer, code="TP", reason=UNSURE_REASON)
    for consultation in signoff.open_consultations_of(case.id):
        service.record_consultation(
            consultation,
            by=reviewer,
            consultee="Dr A Patel, consultant community paediatrician",
            opinion="Disclosure of these passages would be likely to cause serious harm to the child's health.",
            opinion_date=case.received_on,
        )
    for issue in consistency.check(case):
        if not issue.explained:
            consistency.explain(case, issue.key, "Checked: each place is decided on its own facts", by=reviewer)


def mark_ready(case: Case, reviewer: User, today: date) -> CaseReview:
    """Every finding decided and the case marked ready by ``reviewer``: it awaits a second person."""
    _detect(case)
    _searches_returned(case, reviewer, today)
    _decide_everything(case, reviewer)
    return signoff.mark_ready(case, by=reviewer)


def finish_review(case: Case, reviewer: User, signer: User, *, today: date | None = None) -> CaseReview:
    """Review ``case`` to the end: decided by ``reviewer``, signed off by ``signer`` (another DPO or IG officer).

    For another stage's demo (the bundle) that needs a signed-off case: the case must have read documents. A case
    already signed off is left as it is, so calling this twice is harmless."""
    review = signoff.review_of(case.id)
    if review is not None and signoff.is_signed_off(case):
        return review
    mark_ready(case, reviewer, today or case.received_on)
    return signoff.sign_off(case, by=signer)


def _partly_reviewed(case: Case, reviewer: User, today: date) -> None:
    _detect(case)
    _searches_returned(case, reviewer, today)
    pending = _pending(case)
    for finding in pending[: len(pending) // 2]:
        service.decide(finding, "accept", by=reviewer)
    first = db.session.get(Document, pending[0].document_id) if pending else None
    if first is not None and not any(f.document_id == first.id for f in _pending(case)):
        service.flag_document(first, "done", by=reviewer)
    service.add_note(case, "Half way: the school reports still to check against the register", by=reviewer)


def seed_review(cases: Sequence[Case], users: Sequence[User], today: date) -> list[Case]:
    """Detection for every open case with read documents; the first four carried on as the module says.
    Returns the four, in the order partly reviewed, awaiting sign-off, returned, signed off."""
    dpo = next(u for u in users if u.has_role(Role.DPO))
    officers = [u for u in users if u.has_role(Role.IG_OFFICER)]
    read = set(db.session.scalars(select(Document.case_id).where(Document.status == DocumentStatus.READY)))
    with_documents = [c for c in cases if c.id in read and not c.is_closed]
    for case in with_documents:
        _detect(case)
    chosen = with_documents[:4]
    for number, case in enumerate(chosen):
        reviewer = case.owner if case.owner in officers else officers[0]
        if number == 0:
            _partly_reviewed(case, reviewer, today)
        elif number == 1:
            mark_ready(case, reviewer, today)
        elif number == 2:
            mark_ready(case, reviewer, today)
            signoff.return_case(case, RETURN_COMMENTS, by=dpo)
        else:
            finish_review(case, reviewer, dpo, today=today)
    return chosen
