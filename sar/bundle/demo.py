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
    from sar.review.demo import finish_review

    case = _reviewed_case(cases)
    officers = [u for u in users if u.active and u.has_role(Role.IG_OFFICER)]
    dpos = [u for u in users if u.active and u.has_role(Role.DPO)]
    if case is None or not officers or not dpos:
        return None
    reviewer = case.owner if case.owner is not None and case.owner.has_role(Role.IG_OFFICER) else officers[0]
    finish_review(case, reviewer, dpos[0], today=_today())  # the DPO signs off: the second person
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
