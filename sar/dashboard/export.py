"""The request log as CSV, with the fields of sar-rules section 7 ("Logging and tracking requests").

Streamed in batches of cases (a handful of queries per batch, none per case), so exporting 50,000 cases neither
holds them all in memory nor takes a query per row. Fields filled by stages that are not built yet (systems searched,
consultations, response method, complaints, retention review) are present as empty columns, so the layout is
stable when those stages arrive: see LATER_STAGE_COLUMNS.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from sqlalchemy import select

from sar import calendar
from sar.auth.models import User
from sar.cases.models import Case, CasePerson, CaseRight, CompetenceAssessment, EvidenceItem, PersonRole, Right
from sar.cases.queries import case_batches
from sar.clock.models import CaseClock, ClockEvent, EventKind
from sar.downloads import csv_line
from sar.extensions import db

COLUMNS = (
    "reference",
    "rights",
    "channel",
    "received_at",
    "received_on",
    "logged_by",
    "requester_type",
    "data_subjects",
    "evidence",
    "start_date",
    "pauses",
    "extension_decided_on",
    "extension_reasons",
    "extension_notice_date",
    "statutory_due_date",
    "internal_target",
    "systems_searched",
    "search_terms",
    "consultations",
    "exemption_codes",
    "child_competence",
    "fee",
    "response_date",
    "response_method",
    "outcome_code",
    "complaint_or_ico_case",
    "closure_date",
    "retention_review_date",
    "owner",
    "clock_status",
)
# Filled by the gathering, review and bundle stages and by complaints/retention once they exist; blank until then.
LATER_STAGE_COLUMNS = (
    "systems_searched",
    "search_terms",
    "consultations",
    "response_method",
    "complaint_or_ico_case",
    "retention_review_date",
)
BATCH = 1000


def _fmt_events(events: list[tuple[EventKind, date, date | None, str | None]]) -> dict[str, str]:
    pauses: list[str] = []
    asked: date | None = None
    fee: list[str] = []
    extension = {"on": "", "reasons": "", "notice": ""}
    for kind, on, notice, reasons in events:
        if kind is EventKind.CLARIFICATION_ASKED:
            asked = on
        elif kind is EventKind.CLARIFICATION_ANSWERED and asked is not None:
            pauses.append(f"{asked.isoformat()} to {on.isoformat()}")
            asked = None
        elif kind is EventKind.FEE_REQUESTED:
            fee.append(f"requested {on.isoformat()}")
        elif kind is EventKind.FEE_PAID:
            fee.append(f"paid {on.isoformat()}")
        elif kind is EventKind.EXTENSION_DECIDED:
            extension = {"on": on.isoformat(), "reasons": reasons or "", "notice": notice.isoformat() if notice else ""}
    if asked is not None:
        pauses.append(f"{asked.isoformat()} to (open)")
    return {"pauses": "; ".join(pauses), "fee": "; ".join(fee), **{f"ext_{k}": v for k, v in extension.items()}}


def rows() -> Iterator[str]:
    """The CSV, header first, one case per line in reference order of receipt."""
    yield csv_line(list(COLUMNS))
    names: dict[int, str] = {i: n for i, n in db.session.execute(select(User.id, User.full_name))}
    for cases in case_batches(
        db.session.execute,
        Case.reference,
        Case.channel,
        Case.received_at,
        Case.received_on,
        Case.logged_by_id,
        Case.requester_type,
        Case.exemption_codes,
        Case.outcome,
        Case.closed_at,
        Case.owner_id,
        size=BATCH,
    ):
        between = (cases[0].id, cases[-1].id)
        rights: dict[int, list[Right]] = {}
        for case_id, right in db.session.execute(
            select(CaseRight.case_id, CaseRight.right).where(CaseRight.case_id.between(*between))
        ):
            rights.setdefault(case_id, []).append(right)
        subjects: dict[int, list[str]] = {}
        for case_id, name in db.session.execute(
            select(CasePerson.case_id, CasePerson.full_name)
            .where(CasePerson.case_id.between(*between), CasePerson.role == PersonRole.DATA_SUBJECT)
            .order_by(CasePerson.case_id, CasePerson.position, CasePerson.id)
        ):
            subjects.setdefault(case_id, []).append(name)
        evidence: dict[int, list[str]] = {}
        for item in db.session.execute(
            select(
                EvidenceItem.case_id,
                EvidenceItem.kind,
                EvidenceItem.requested_on,
                EvidenceItem.received_on,
                EvidenceItem.verified_by_id,
                EvidenceItem.verified_on,
            )
            .where(EvidenceItem.case_id.between(*between))
            .order_by(EvidenceItem.case_id, EvidenceItem.id)
        ):
            parts = [item.kind.value]
            parts += [f"requested {item.requested_on.isoformat()}"] if item.requested_on else []
            parts += [f"received {item.received_on.isoformat()}"] if item.received_on else []
            if item.verified_on:
                parts.append(f"verified {item.verified_on.isoformat()} by {names.get(item.verified_by_id, '?')}")
            evidence.setdefault(item.case_id, []).append(" ".join(parts))
        competence = {
            case_id: decision
            for case_id, decision in db.session.execute(
                select(CompetenceAssessment.case_id, CompetenceAssessment.decision).where(
                    CompetenceAssessment.case_id.between(*between)
                )
            )
        }
        events: dict[int, list[tuple[EventKind, date, date | None, str | None]]] = {}
        for case_id, kind, on, notice, reasons, _event_id in db.session.execute(
            select(
                ClockEvent.case_id,
                ClockEvent.kind,
                ClockEvent.event_date,
                ClockEvent.notice_date,
                ClockEvent.reasons,
                ClockEvent.id,
            )
            .where(ClockEvent.case_id.between(*between), ClockEvent.voided_at.is_(None))
            .order_by(ClockEvent.case_id, ClockEvent.event_date, ClockEvent.id)
        ):
            events.setdefault(case_id, []).append((kind, on, notice, reasons))
        clocks = {
            clock.case_id: clock
            for clock in db.session.execute(
                select(
                    CaseClock.case_id,
                    CaseClock.start_date,
                    CaseClock.due_date,
                    CaseClock.internal_target,
                    CaseClock.closed_on,
                    CaseClock.status,
                ).where(CaseClock.case_id.between(*between))
            )
        }
        order = list(Right)
        for c in cases:
            clock = clocks.get(c.id)
            ev = _fmt_events(events.get(c.id, []))
            closure = c.closed_at or None
            yield csv_line(
                [
                    c.reference,
                    "; ".join(r.value for r in sorted(rights.get(c.id, []), key=order.index)),
                    c.channel,
                    c.received_at,
                    c.received_on,
                    names.get(c.logged_by_id, ""),
                    c.requester_type,
                    "; ".join(subjects.get(c.id, [])),
                    "; ".join(evidence.get(c.id, [])),
                    clock.start_date if clock else None,
                    ev["pauses"],
                    ev["ext_on"],
                    ev["ext_reasons"],
                    ev["ext_notice"],
                    clock.due_date if clock else None,
                    clock.internal_target if clock else None,
                    None,
                    None,
                    None,
                    " ".join(c.exemption_codes or []),
                    competence.get(c.id),
                    ev["fee"],
                    clock.closed_on if clock else None,
                    None,
                    c.outcome,
                    None,
                    calendar.council_date(closure) if closure else (clock.closed_on if clock else None),
                    None,
                    names.get(c.owner_id, "") if c.owner_id else "",
                    clock.status if clock else "",
                ]
            )
