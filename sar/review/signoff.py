"""Two-person sign-off: the reviewer marks the case ready, a second person signs off or returns it.

The bundle stage asks :func:`is_signed_off`. Any later change to a decision voids the sign-off (and a
"ready" mark), so what was signed off is always what will be disclosed.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select

from sar import audit
from sar.audit import Author
from sar.auth.models import Role, User
from sar.cases import status
from sar.cases.models import Case
from sar.db import utcnow
from sar.errors import DomainError
from sar.extensions import db
from sar.review.models import (
    CaseReview,
    Consultation,
    DocumentReview,
    Outcome,
    PageWithheld,
    ReviewFinding,
    SignOffState,
)
from sar.sources.models import Document, DocumentStatus

SIGNERS = (Role.DPO, Role.IG_OFFICER)


class SignOffRefused(DomainError):
    """Why the case cannot move on, in words the officer understands."""


def review_of(case_id: int, *, create: bool = True) -> CaseReview | None:
    review = db.session.get(CaseReview, case_id)
    if review is None and create:
        review = CaseReview(case_id=case_id, state=SignOffState.IN_REVIEW, comments="", voided_reason="")
        db.session.add(review)
        db.session.flush()
    return review


def is_signed_off(case: Case) -> bool:
    """For the bundle stage: only a signed-off case may be bundled."""
    review = db.session.get(CaseReview, case.id)
    return review is not None and review.state is SignOffState.SIGNED_OFF


def void(case_id: int, why: str, *, by: Author) -> None:
    """A decision changed: a sign-off (or a "ready" mark) no longer describes the case."""
    review = db.session.get(CaseReview, case_id)
    if review is None or review.state not in (SignOffState.READY, SignOffState.SIGNED_OFF):
        return
    previous = review.state
    review.state = SignOffState.IN_REVIEW
    review.voided_reason = f"{previous.label} voided: {why}"
    review.signed_off_by_id = None
    review.signed_off_at = None
    db.session.flush()
    case = db.session.get_one(Case, case_id)
    audit.record_on(case, "review.signoff_voided", review.voided_reason, by=by)
    status.refresh(case, reason=review.voided_reason, by=by)


@dataclass(frozen=True)
class Blocker:
    message: str
    link: str  # endpoint name in sar.review.views, with the case id as its only argument


def blockers(case: Case) -> list[Blocker]:
    """Everything that stops the case being marked ready or signed off."""
    from sar.review import consistency

    found: list[Blocker] = []
    reading = db.session.scalar(
        select(func.count()).where(Document.case_id == case.id, Document.status == DocumentStatus.QUEUED)
    )
    if reading:
        found.append(Blocker(f"{reading} documents are still being read", "review.overview"))
    pending = db.session.scalar(
        select(func.count()).where(ReviewFinding.case_id == case.id, ReviewFinding.outcome == Outcome.PENDING)
    )
    if pending:
        found.append(Blocker(f"{pending} findings need a decision", "review.overview"))
    open_consultations = len(open_consultations_of(case.id))
    if open_consultations:
        found.append(Blocker(f"{open_consultations} consultations are not recorded yet", "review.consultations"))
    issues = [issue for issue in consistency.check(case) if not issue.explained]
    if issues:
        found.append(
            Blocker(f"{len(issues)} inconsistencies are not resolved or explained", "review.consistency_check")
        )
    return found


def codes_in_use(case_id: int) -> set[tuple[int, str]]:
    """(document, code) of every current decision that carries a code: redactions, withheld pages and documents."""
    used = {
        (int(d), str(c))
        for d, c in db.session.execute(
            select(ReviewFinding.document_id, ReviewFinding.code)
            .where(
                ReviewFinding.case_id == case_id,
                ReviewFinding.outcome == Outcome.REDACT,
                ReviewFinding.code.is_not(None),
            )
            .distinct()
        )
    }
    used |= {
        (int(d), str(c))
        for d, c in db.session.execute(
            select(PageWithheld.document_id, PageWithheld.code).where(PageWithheld.case_id == case_id)
        )
    }
    used |= {
        (int(d), str(c))
        for d, c in db.session.execute(
            select(DocumentReview.document_id, DocumentReview.withheld_code).where(
                DocumentReview.case_id == case_id, DocumentReview.withheld_code.is_not(None)
            )
        )
    }
    return used


def open_consultations_of(case_id: int) -> list[Consultation]:
    """Consultations not yet recorded whose code is still used on their document: a code changed away from
    no longer needs its consultation (it comes back if the code is used again)."""
    waiting = db.session.scalars(
        select(Consultation).where(
            Consultation.case_id == case_id, Consultation.recorded_at.is_(None), Consultation.withdrawn.is_(False)
        )
    ).all()
    if not waiting:
        return []
    used = codes_in_use(case_id)
    return [c for c in waiting if (c.document_id, c.code) in used]


def _check_role(by: User) -> None:
    if not by.has_role(*SIGNERS):
        raise SignOffRefused("Only the Data Protection Officer or an information governance officer can do this")


def _open_review(case: Case, by: User) -> CaseReview:
    """The checks every sign-off step opens with: the role, and a case not already signed off."""
    _check_role(by)
    review = review_of(case.id)
    assert review is not None
    if review.state is SignOffState.SIGNED_OFF:
        raise SignOffRefused(f"{case.reference} is already signed off")
    return review


def _second_person(case: Case, review: CaseReview, by: User, *, what: str) -> None:
    """Only a case its reviewer marked ready, and only by someone else."""
    if review.state is not SignOffState.READY:
        raise SignOffRefused(f"{case.reference} has not been marked ready by its reviewer")
    if review.ready_by_id == by.id:
        raise SignOffRefused(f"You marked this case ready: a second person must {what}")


def _nothing_blocks(case: Case, what: str) -> None:
    problems = blockers(case)
    if problems:
        raise SignOffRefused(f"Cannot {what}: " + "; ".join(b.message for b in problems))


def _recorded(
    case: Case, review: CaseReview, state: SignOffState, event: str, summary: str, *, by: User, **values: object
) -> CaseReview:
    """Move the review to ``state`` with ``values``, audit the step and re-derive the case's status from it."""
    review.state = state
    for name, value in values.items():
        setattr(review, name, value)
    db.session.flush()
    audit.record_on(case, event, summary, by=by)
    status.refresh(case, reason=summary[:1].lower() + summary[1:], by=by)
    return review


def mark_ready(case: Case, *, by: User) -> CaseReview:
    review = _open_review(case, by)
    _nothing_blocks(case, "mark ready")
    return _recorded(
        case,
        review,
        SignOffState.READY,
        "review.ready",
        "Review marked ready for sign-off",
        by=by,
        ready_by_id=by.id,
        ready_at=utcnow(),
        voided_reason="",
    )


def sign_off(case: Case, *, by: User) -> CaseReview:
    review = _open_review(case, by)
    _second_person(case, review, by, what="sign it off")
    _nothing_blocks(case, "sign off")
    return _recorded(
        case,
        review,
        SignOffState.SIGNED_OFF,
        "review.signed_off",
        "Review signed off by a second person",
        by=by,
        signed_off_by_id=by.id,
        signed_off_at=utcnow(),
        comments="",
    )


def return_case(case: Case, comments: str, *, by: User) -> CaseReview:
    review = _open_review(case, by)
    _second_person(case, review, by, what="check it")
    if not comments.strip():
        raise SignOffRefused("Enter what the reviewer needs to change", "comments")
    return _recorded(
        case,
        review,
        SignOffState.RETURNED,
        "review.returned",
        f"Review returned: {comments.strip()}",
        by=by,
        comments=comments.strip(),
    )
