"""What review tells intake about a case, for its derived status (sar.cases.facts): how many documents there are
to review, how many still wait for a decision, and where the two-person sign-off stands.

A document awaits review while it is still being read or while any of its findings needs a decision: the same
facts that stop the reviewer marking the case ready (``sar.review.signoff.blockers``), so the next action on the
case page never says "mark ready" while marking ready would be refused for that reason.
"""

from __future__ import annotations

from sqlalchemy import select

from sar.cases.facts import ReviewFacts, SignOff
from sar.cases.models import Case
from sar.extensions import db
from sar.review.models import CaseReview, Outcome, ReviewFinding, SignOffState
from sar.sources.models import Document, DocumentStatus
from sar.sources.queries import set_aside_ids

_SIGN_OFF = {SignOffState.SIGNED_OFF: SignOff.GIVEN, SignOffState.RETURNED: SignOff.RETURNED}


def review_facts(case: Case) -> ReviewFacts:
    aside = set_aside_ids(case.id)
    documents = {
        int(document_id): status
        for document_id, status in db.session.execute(
            select(Document.id, Document.status).where(
                Document.case_id == case.id, Document.status.in_((DocumentStatus.READY, DocumentStatus.QUEUED))
            )
        )
        if document_id not in aside
    }
    undecided = set(
        db.session.scalars(
            select(ReviewFinding.document_id)
            .where(ReviewFinding.case_id == case.id, ReviewFinding.outcome == Outcome.PENDING)
            .distinct()
        )
    )
    awaiting = sum(1 for d, status in documents.items() if status is DocumentStatus.QUEUED or d in undecided)
    review = db.session.get(CaseReview, case.id)
    state = review.state if review is not None else SignOffState.IN_REVIEW
    return ReviewFacts(
        documents_total=len(documents),
        documents_awaiting_review=awaiting,
        # A returned review is no longer "ready": the reviewer marks it ready again after the changes.
        marked_ready=state in (SignOffState.READY, SignOffState.SIGNED_OFF),
        sign_off=_SIGN_OFF.get(state),
    )
