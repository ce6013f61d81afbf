"""case status derived from facts: withdrawal and time-known columns, and every case's status re-derived

Revision ID: 0004_case_status
Revises: 0003_foundations
Create Date: 2026-12-04 07:13:00.580585

The data step replays each case's recorded facts (evidence, clock events, withdrawal, outcome) through the one
table in sar.cases.workflow, stores the status it gives, and reports every case whose recorded status
contradicted its facts, and every closed case whose outcome lacks the facts that outcome now needs (those stay
closed: the decision was taken; the report says what the file does not show). Later stages' tables do not exist
at this revision, so their facts are absent, as the derivation expects.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from typing import Any

import sqlalchemy as sa
from alembic import op

from sar.cases.facts import CaseFacts, ClockFacts, IntakeFacts
from sar.cases.models import CaseStatus, EvidenceKind, Outcome, Right
from sar.cases.workflow import derive, unmet
from sar.clock.history import EventFact, EvidenceFact
from sar.clock.history import derive as derive_clock
from sar.clock.models import EventKind

# revision identifiers, used by Alembic.
revision = "0004_case_status"
down_revision = "0003_foundations"
branch_labels = None
depends_on = None

log = logging.getLogger("alembic.runtime.migration")

_cases = sa.table(
    "cases",
    sa.column("id", sa.Integer),
    sa.column("reference", sa.String),
    sa.column("status", sa.String),
    sa.column("outcome", sa.String),
    sa.column("owner_id", sa.Integer),
    sa.column("received_on", sa.Date),
    sa.column("withdrawn_on", sa.Date),
)
_rights = sa.table("case_rights", sa.column("case_id", sa.Integer), sa.column("right", sa.String))
_evidence = sa.table(
    "case_evidence",
    sa.column("case_id", sa.Integer),
    sa.column("kind", sa.String),
    sa.column("requested_on", sa.Date),
    sa.column("received_on", sa.Date),
    sa.column("verified_on", sa.Date),
)
_events = sa.table(
    "clock_events",
    sa.column("id", sa.Integer),
    sa.column("case_id", sa.Integer),
    sa.column("kind", sa.String),
    sa.column("event_date", sa.Date),
    sa.column("notice_date", sa.Date),
    sa.column("voided_at", sa.DateTime),
)
_CLOCK_EVIDENCE = {"identity": "id", "authority": "authority", "parental_responsibility": "authority"}


def upgrade() -> None:
    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.add_column(sa.Column("received_time_known", sa.Boolean(), server_default=sa.true(), nullable=False))
        batch_op.add_column(sa.Column("withdrawn_on", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("withdrawal_note", sa.Text(), server_default="", nullable=False))
    for line in derive_every_status(op.get_bind()):
        log.warning(line)


def derive_every_status(connection: sa.Connection) -> list[str]:
    """Store each case's derived status; return the report, one line per contradiction."""
    rights: dict[int, set[Right]] = defaultdict(set)
    for case_id, right in connection.execute(sa.select(_rights.c.case_id, _rights.c.right)):
        rights[case_id].add(Right(right))
    evidence: dict[int, list[Any]] = defaultdict(list)
    for row in connection.execute(sa.select(_evidence)):
        evidence[row.case_id].append(row)
    events: dict[int, list[EventFact]] = defaultdict(list)
    query = sa.select(_events).where(_events.c.voided_at.is_(None)).order_by(_events.c.case_id, _events.c.id)
    for row in connection.execute(query):
        events[row.case_id].append(EventFact(EventKind(row.kind), row.event_date, row.notice_date))
    report: list[str] = []
    for case in connection.execute(sa.select(_cases).order_by(_cases.c.id)).all():
        facts = _facts(case, rights[case.id], evidence[case.id], events[case.id])
        derived = derive(facts).status
        recorded = CaseStatus(case.status)
        if derived is not recorded:
            report.append(
                f"{case.reference}: status was ‘{recorded.label}’ but its facts say ‘{derived.label}’; now "
                f"‘{derived.label}’"
            )
            connection.execute(sa.update(_cases).where(_cases.c.id == case.id).values(status=derived.value))
        if facts.intake.outcome is not None:
            missing = unmet(facts.intake.outcome, facts)
            if missing:
                report.append(
                    f"{case.reference}: closed as ‘{facts.intake.outcome.label}’ but the file does not show "
                    f"{'; '.join(missing)}"
                )
    if report:
        report.insert(0, f"Case status derived from the facts: {len(report)} contradictions to look at")
    return report


def _facts(case: Any, rights: set[Right], evidence: list[Any], events: list[EventFact]) -> CaseFacts:
    awaited = {EvidenceKind(e.kind) for e in evidence if e.requested_on is not None and e.received_on is None}
    unverified = {EvidenceKind(e.kind) for e in evidence if e.received_on is not None and e.verified_on is None}
    clock = derive_clock(
        case.received_on,
        events,
        access_request=Right.ACCESS in rights,
        evidence=[EvidenceFact(_CLOCK_EVIDENCE.get(e.kind, ""), e.requested_on, e.received_on) for e in evidence],
    )
    return CaseFacts(
        intake=IntakeFacts(
            rights=frozenset(rights),
            outcome=Outcome(case.outcome) if case.outcome else None,
            evidence_awaited=frozenset(awaited),
            evidence_unverified=frozenset(unverified),
            withdrawal_recorded=case.withdrawn_on is not None,
            has_owner=case.owner_id is not None,
        ),
        clock=ClockFacts(
            fee_awaited=clock.awaiting_fee,
            clarification_open=clock.open_pause is not None,
            id_awaited=clock.awaiting_id,
            authority_awaited=clock.awaiting_authority,
        ),
    )


def downgrade() -> None:
    # Statuses stay as derived: the hand-set ones they replaced were the contradictions the upgrade reported.
    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.drop_column("withdrawal_note")
        batch_op.drop_column("withdrawn_on")
        batch_op.drop_column("received_time_known")
