"""The demo's end of the line (called by sar.demo): one case reviewed, signed off by a second person, its bundle
built, checked by the release gate and released, and a download link emailed to the requester.

Everything goes through the services the pages use (review decisions, two-person sign-off, the builder, the gate,
the release, delivery), so a newcomer can open a real bundle within a minute of `make demo` and the audit trail
reads as if staff had done the work. The link and the password are printed once, at seeding, like the set-up links.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask import current_app
from sqlalchemy import func, select

from sar.auth.models import Role, User
from sar.bundle.delivery import service as delivery
from sar.bundle.delivery.models import PasswordChannel
from sar.cases.models import Case, CasePerson
from sar.extensions import db
from sar.sources.models import Document, DocumentStatus

DEMO_REQUESTER_EMAIL = "requester@example.org"  # example.org is reserved: nothing is ever delivered to it


@dataclass(frozen=True)
class DemoDelivery:
    reference: str
    case_id: int
    url: str
    password: str
    pages: int


def _reviewed_case(cases: list[Case]) -> Case | None:
    """The open access request with the fewest read pages and nothing still being read: the release gate checks
    every page (OCR included), so the smallest case keeps `make demo` quick."""
    from sar.sources.models import DocumentPage

    best: tuple[int, Case] | None = None
    for case in cases:
        if case.is_closed or not case.is_access_request:
            continue
        states = set(db.session.scalars(select(Document.status).where(Document.case_id == case.id)))
        if DocumentStatus.READY not in states or DocumentStatus.QUEUED in states:
            continue
        pages = db.session.scalar(
            select(func.count()).select_from(DocumentPage).join(Document).where(Document.case_id == case.id)
        )
        if best is None or (pages or 0) < best[0]:
            best = (pages or 0, case)
    return best[1] if best else None


def _review(case: Case, reviewer: User) -> None:
    """Detection as the background job would run it, then every finding decided: the detector's sure proposals
    accepted, the rest redacted as third-party data (the cautious choice), consultations and inconsistencies
    recorded with a reviewer's note."""
    from sar.review import consistency, detection, signoff
    from sar.review import service as review
    from sar.review.models import Outcome, ReviewFinding

    def pending() -> list[ReviewFinding]:
        return list(
            db.session.scalars(
                select(ReviewFinding).where(ReviewFinding.case_id == case.id, ReviewFinding.outcome == Outcome.PENDING)
            )
        )

    detection.detect_case({"case_id": case.id, "reason": "demo: documents read"})
    for finding in pending():
        # What a reviewer does with a lone capitalised word nobody in the register answers to ("Actions", the
        # "Foster" of a foster carer): it is not a person here. Redacting it would blank the word everywhere it is
        # printed, and the release gate would rightly find it in the index ("Fostering and Adoption").
        if finding.role == "unknown" and finding.category == "person" and " " not in finding.text.strip():
            review.decide(finding, "keep", by=reviewer, reason="Not a person's name here: an ordinary word")
    review.accept_all_proposed(case, by=reviewer)
    for finding in pending():
        if finding.role == "subject":  # an ambiguous first name the detector thinks is most likely the requester's
            review.decide(finding, "keep", by=reviewer, reason="The requester's own name")
        else:
            review.decide(finding, "redact", by=reviewer, code="TP", reason="Third party: not the requester's data")
    for consultation in signoff.open_consultations_of(case.id):
        review.record_consultation(
            consultation,
            by=reviewer,
            consultee="Dr Sam Patel, named doctor for safeguarding",
            opinion="Disclosure of the remaining text would not cause serious harm.",
            opinion_date=_today(),
        )
    for issue in consistency.check(case):
        if not issue.explained:
            consistency.explain(case, issue.key, "Checked: the difference is right in context.", by=reviewer)


def _searches_returned(case: Case, by: User) -> None:
    """The teams that sent nothing answer "no records held": nothing is still being searched for when it is sent."""
    from sar.sources import tasks
    from sar.sources.models import SearchTask, TaskStatus

    for task in db.session.scalars(
        select(SearchTask).where(SearchTask.case_id == case.id, SearchTask.status == TaskStatus.OPEN)
    ):
        statement = tasks.Statement(
            systems_searched=f"{task.team.name} case system; team shared drive; team mailbox",
            terms_used="\n".join(task.identifiers),
            searched_by=by.full_name,
            searched_on=_today(),
        )
        tasks.no_records_held(task, statement, by=by)


def _today() -> date:
    from sar.calendar import today

    return today()


def _requester_email(case: Case) -> str:
    person: CasePerson | None = case.requester or case.subject
    assert person is not None
    if not person.emails:
        person.emails = [DEMO_REQUESTER_EMAIL]
        db.session.flush()
    return str(person.emails[0])


def seed_released_bundle(cases: list[Case], users: list[User]) -> DemoDelivery | None:
    """Take one gathered case through review, sign-off, build, release and delivery (in the caller's transaction)."""
    from sar.bundle import service as bundles
    from sar.review import signoff

    case = _reviewed_case(cases)
    officers = [u for u in users if u.active and u.has_role(Role.IG_OFFICER)]
    dpos = [u for u in users if u.active and u.has_role(Role.DPO)]
    if case is None or not officers or not dpos:
        return None
    reviewer = case.owner if case.owner is not None and case.owner.has_role(Role.IG_OFFICER) else officers[0]
    _searches_returned(case, reviewer)
    _review(case, reviewer)
    signoff.mark_ready(case, by=reviewer)
    signoff.sign_off(case, by=dpos[0])  # the second person
    parts = bundles.build_bundle(case, by=reviewer)
    released = [bundles.release_bundle(part, by=reviewer) for part in parts]
    first = released[0]
    issued = delivery.create_link(
        case,
        first.bundle,
        to_address=_requester_email(case),
        channel=PasswordChannel.SMS,  # shown to the officer; the demo prints it instead
        password=first.password,
        by=reviewer,
    )
    current_app.logger.info("demo: %s released and sent (link %s)", case.reference, issued.link.id)
    return DemoDelivery(case.reference, case.id, issued.url, first.password, first.bundle.page_count)
