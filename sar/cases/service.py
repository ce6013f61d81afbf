"""Intake services: plain typed functions that change the case register, flush and audit.

They never commit (the request commits once, sar.web) so a failure leaves nothing half-saved. Every
change writes an audit event in the same transaction, and anything that can move the statutory clock
sends ``case_changed`` (sar.cases.signals) for the clock to recalculate.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from flask import current_app
from sqlalchemy import select

from sar import audit, calendar
from sar.audit import Author
from sar.auth.access import CASE_WORKERS
from sar.auth.models import Role, Team, User
from sar.cases import status as case_status
from sar.cases import validators
from sar.cases.export import people_register
from sar.cases.models import (
    LIST_ITEM_MAX,
    LIST_MAX_ITEMS,
    Case,
    CasePerson,
    CaseRight,
    CaseScopeTeam,
    CaseStatus,
    Channel,
    CompetenceAssessment,
    CompetenceDecision,
    EvidenceItem,
    EvidenceKind,
    Outcome,
    PersonRole,
    RequesterType,
    Right,
)
from sar.cases.queries import CaseFilters
from sar.cases.reference import next_reference
from sar.cases.signals import case_changed
from sar.cases.workflow import Closure, TransitionError, check_closure, check_reason
from sar.db import utcnow
from sar.errors import DomainError
from sar.extensions import db


class CaseError(DomainError):
    """A change the register refuses; ``field`` names the form field the message belongs to, if any."""


class DuplicateSubmission(Exception):
    """The intake form was submitted again (double click, back and resubmit): the case already exists."""

    def __init__(self, case: Case) -> None:
        super().__init__(case.reference)
        self.case = case


@dataclass(frozen=True)
class CaseDetails:
    channel: Channel
    received_at: datetime  # time-zone aware
    rights: frozenset[Right]
    requester_type: RequesterType
    description: str = ""
    scope_teams: tuple[Team, ...] = ()
    scope_from: date | None = None
    scope_to: date | None = None
    scope_description: str = ""
    education_record: bool | None = None
    received_time_known: bool = True


@dataclass(frozen=True)
class PersonDetails:
    full_name: str
    aliases: tuple[str, ...] = ()
    date_of_birth: date | None = None
    addresses: tuple[str, ...] = ()
    phones: tuple[str, ...] = ()
    emails: tuple[str, ...] = ()
    nhs_number: str | None = None
    ni_number: str | None = None
    relationship: str = ""
    job_title: str = ""
    organisation: str = ""
    consent_obtained: bool | None = None
    consent_date: date | None = None
    consent_note: str = ""


@dataclass(frozen=True)
class CompetenceDetails:
    decision: CompetenceDecision
    assessed_by: str
    assessed_on: date
    maturity: str = ""
    nature_of_data: str = ""
    court_orders: str = ""
    duty_of_confidence: str = ""
    consequences_of_parental_access: str = ""
    detriment_if_refused: str = ""
    childs_views: str = ""
    outcome_note: str = ""


@dataclass(frozen=True)
class EvidenceRequest:
    kind: EvidenceKind
    asked_for: str = ""
    requested_on: date | None = None
    person_id: int | None = None
    # Evidence can arrive unasked (enclosed with the request), so receipt may be recorded at once.
    received_on: date | None = None
    what_arrived: str = ""
    notes: str = ""


@dataclass
class _Changes:
    before: dict[str, Any] = field(default_factory=dict)
    after: dict[str, Any] = field(default_factory=dict)


# --- snapshots for the audit trail ---------------------------------------------------------------------


def case_snapshot(case: Case) -> dict[str, Any]:
    return {
        "reference": case.reference,
        "status": case.status,
        "outcome": case.outcome,
        "channel": case.channel,
        "received_at": case.received_at,
        "received_on": case.received_on,
        "received_time_known": case.received_time_known,
        "rights": sorted(r.value for r in case.right_values),
        "requester_type": case.requester_type,
        "description": case.description,
        "scope_team_ids": sorted(case.team_ids),
        "scope_from": case.scope_from,
        "scope_to": case.scope_to,
        "scope_description": case.scope_description,
        "education_record": case.education_record,
        "owner_id": case.owner_id,
    }


def person_snapshot(person: CasePerson) -> dict[str, Any]:
    return {
        "role": person.role,
        "full_name": person.full_name,
        "aliases": list(person.aliases),
        "date_of_birth": person.date_of_birth,
        "addresses": list(person.addresses),
        "phones": list(person.phones),
        "emails": list(person.emails),
        "nhs_number": person.nhs_number,
        "ni_number": person.ni_number,
        "relationship": person.relation,
        "job_title": person.job_title,
        "organisation": person.organisation,
        "consent_obtained": person.consent_obtained,
        "consent_date": person.consent_date,
        "consent_note": person.consent_note,
    }


def _diff(before: dict[str, Any], after: dict[str, Any]) -> _Changes:
    changes = _Changes()
    for key, value in after.items():
        if before.get(key) != value:
            changes.before[key] = before.get(key)
            changes.after[key] = value
    return changes


def _record_changes(
    action: str, subject: Case | CasePerson, before: dict[str, Any], after: dict[str, Any], by: Author
) -> _Changes:
    """Audit what an edit changed (the fields that differ, before and after); nothing is recorded for no change."""
    changes = _diff(before, after)
    if not changes.after:
        return changes
    summary = f"Changed {', '.join(sorted(changes.after))}"
    audit.record_on(subject, action, summary, before=changes.before, after=changes.after, by=by)
    return changes


# --- validation shared by create and update ------------------------------------------------------------


def _check_case_details(details: CaseDetails, now: datetime) -> None:
    if not details.rights:
        raise CaseError("Select at least one right requested", "rights")
    if details.received_at.tzinfo is None:
        raise CaseError("The time received must carry a time zone", "received_date")
    if details.received_at > now and calendar.council_date(details.received_at) == calendar.council_date(now):
        # Today's date with a time still to come: the time is what is wrong, so say so on the time field.
        local_now = calendar.council_time(now)
        raise CaseError(f"The time received must be in the past: it is {local_now:%H:%M} now", "received_time")
    try:
        validators.check_received(details.received_at, now)
    except validators.InvalidValue as invalid:
        raise CaseError(str(invalid), "received_date") from None
    if details.scope_from and details.scope_to and details.scope_from > details.scope_to:
        raise CaseError("The start of the date range must be the same as or before its end", "scope_from")


def _clean_list(values: Iterable[str], canonical: Any, what: str, field_name: str) -> list[str]:
    result: list[str] = []
    for raw in values:
        text = raw.strip()
        if not text:
            continue
        if len(text) > LIST_ITEM_MAX:
            raise CaseError(f"Each {what} must be {LIST_ITEM_MAX} characters or fewer", field_name)
        try:
            value = canonical(text) if canonical else " ".join(text.split())
        except validators.InvalidValue as invalid:
            raise CaseError(f"{invalid} (you entered ‘{text}’)", field_name) from None
        if value not in result:
            result.append(value)
    if len(result) > LIST_MAX_ITEMS:
        raise CaseError(f"Enter no more than {LIST_MAX_ITEMS} of each kind of {what}", field_name)
    return result


def _canonical(value: str | None, canonical: Any, field_name: str) -> str | None:
    if value is None or not value.strip():
        return None
    try:
        return str(canonical(value))
    except validators.InvalidValue as invalid:
        raise CaseError(str(invalid), field_name) from None


def _apply_person(person: CasePerson, details: PersonDetails, prefix: str = "") -> None:
    """Store the details in canonical form; identifiers that fail their checks are refused, not stored.

    ``prefix`` maps errors to the intake form's field names (``subject_nhs_number``).
    """
    name = " ".join(details.full_name.split())
    if not name:
        raise CaseError("Enter the person's full name", prefix + "full_name")
    person.full_name = name
    person.aliases = _clean_list(details.aliases, None, "other name", prefix + "aliases")
    person.addresses = _clean_list(details.addresses, validators.canonical_address, "address", prefix + "addresses")
    person.phones = _clean_list(details.phones, validators.canonical_phone, "phone number", prefix + "phones")
    person.emails = _clean_list(details.emails, validators.canonical_email, "email address", prefix + "emails")
    person.nhs_number = _canonical(details.nhs_number, validators.canonical_nhs_number, prefix + "nhs_number")
    person.ni_number = _canonical(details.ni_number, validators.canonical_ni_number, prefix + "ni_number")
    person.date_of_birth = details.date_of_birth
    person.relation = details.relationship.strip()
    person.job_title = details.job_title.strip()
    person.organisation = details.organisation.strip()
    person.consent_obtained = details.consent_obtained
    person.consent_date = details.consent_date if details.consent_obtained is not None else None
    person.consent_note = details.consent_note.strip()


def _apply_case_details(case: Case, details: CaseDetails) -> None:
    case.channel = details.channel
    case.received_at = details.received_at
    case.received_on = calendar.council_date(details.received_at)
    case.received_time_known = details.received_time_known
    case.requester_type = details.requester_type
    case.description = details.description.strip()
    case.scope_from = details.scope_from
    case.scope_to = details.scope_to
    case.scope_description = details.scope_description.strip()
    case.education_record = details.education_record
    wanted_rights = set(details.rights)
    case.rights = [row for row in case.rights if row.right in wanted_rights] + [
        CaseRight(right=right) for right in sorted(wanted_rights - case.right_values)
    ]
    wanted_teams = {team.id for team in details.scope_teams}
    existing_teams = set(case.team_ids)
    case.scope_teams = [row for row in case.scope_teams if row.team_id in wanted_teams] + [
        CaseScopeTeam(team_id=team_id) for team_id in sorted(wanted_teams - existing_teams)
    ]


# --- cases ---------------------------------------------------------------------------------------------


def find_by_form_token(token: str) -> Case | None:
    return db.session.scalar(select(Case).where(Case.form_token == token))


def log_case(
    details: CaseDetails,
    *,
    subject: PersonDetails,
    requester: PersonDetails | None,
    logged_by: User,
    form_token: str | None = None,
    owner: User | None = None,
    now: datetime | None = None,
) -> Case:
    """Log a new rights request with its data subject and (unless they ask for themselves) its requester.

    Raises DuplicateSubmission when ``form_token`` already created a case, CaseError for bad input.
    """
    now = now or utcnow()
    if form_token is not None:
        existing = find_by_form_token(form_token)
        if existing is not None:
            raise DuplicateSubmission(existing)
    _check_case_details(details, now)
    if details.requester_type.is_subject and requester is not None:
        raise CaseError("The subject is asking for themselves, so there is no separate requester", "requester_type")
    if not details.requester_type.is_subject and requester is None:
        raise CaseError("Enter the requester's details", "requester_full_name")
    if owner is not None and not owner.has_role(*CASE_WORKERS):
        raise CaseError("The case owner must be an information governance officer or the DPO", "owner")

    case = Case(
        status=CaseStatus.RECEIVED,
        logged_by_id=logged_by.id,
        owner_id=owner.id if owner else None,
        form_token=form_token,
        rights=[],
        scope_teams=[],
        people=[],
        evidence=[],
    )
    _apply_case_details(case, details)
    subject_person = CasePerson(role=PersonRole.DATA_SUBJECT, position=0)
    _apply_person(subject_person, subject, "subject_")
    case.people.append(subject_person)
    if requester is not None:
        requester_person = CasePerson(role=PersonRole.REQUESTER, position=1)
        _apply_person(requester_person, requester, "requester_")
        case.people.append(requester_person)
    # Everything is checked before the reference is reserved, so refused input never uses up a number. This is
    # also the transaction's first write: on SQLite it takes the database lock, so concurrent intakes queue here
    # instead of deadlocking later.
    case.reference = next_reference(db.session(), current_app.config["CASE_REFERENCE_PREFIX"], case.received_on.year)
    db.session.add(case)
    db.session.flush()
    audit.record_on(
        case,
        "case.created",
        f"Logged {case.reference}",
        after={**case_snapshot(case), "people": [person_snapshot(p) for p in case.people]},
        by=logged_by,
    )
    case_status.refresh(case, reason="request logged", by=logged_by)
    case_changed.send(case, reason="case logged", by=logged_by)
    return case


def update_case(case: Case, details: CaseDetails, *, by: Author, now: datetime | None = None) -> Case:
    """Change what was recorded at intake (channel, time received, rights, scope, requester type)."""
    _check_case_details(details, now or utcnow())
    if case.is_closed:
        raise CaseError("Reopen the case before changing it")
    if not details.requester_type.is_subject and not any(p.role is PersonRole.REQUESTER for p in case.people):
        raise CaseError(
            "Add the requester to the people register before choosing this requester type", "requester_type"
        )
    before = case_snapshot(case)
    _apply_case_details(case, details)
    db.session.flush()
    changes = _record_changes("case.updated", case, before, case_snapshot(case), by)
    if not changes.after:
        return case
    case_status.refresh(case, reason="request details changed", by=by)
    if {"received_at", "received_on", "rights"} & set(changes.after):
        case_changed.send(case, reason="rights or date received changed", by=by)
    return case


def assign_owner(case: Case, owner: User | None, *, by: Author) -> Case:
    if owner is not None and not owner.has_role(*CASE_WORKERS):
        raise CaseError("The case owner must be an information governance officer or the DPO", "owner")
    if owner is not None and not owner.active:
        raise CaseError("That account is not active", "owner")
    new_id = owner.id if owner else None
    if case.owner_id == new_id:
        return case
    before = {"owner_id": case.owner_id}
    case.owner_id = new_id
    case.owner = owner
    db.session.flush()
    summary = f"Owner set to {owner.full_name}" if owner else "Owner removed"
    audit.record_on(case, "case.owner_assigned", summary, before=before, after={"owner_id": new_id}, by=by)
    return case


def decide_outcome(case: Case, closure: Closure, reason: str, *, by: User, now: datetime | None = None) -> Case:
    """Close the case with an outcome, if the facts its outcome needs are recorded (sar.cases.workflow)."""
    facts = case_status.facts_for(case)
    check_closure(facts, closure, reason=reason, actor_is_dpo=by.has_role(Role.DPO))
    before = {"status": case.status, "outcome": case.outcome}
    case.outcome = closure.outcome
    case.outcome_reason = reason.strip()
    case.exemption_codes = sorted(closure.exemption_codes)
    case.transferred_to = closure.transferred_to
    case.transferred_to_detail = closure.transferred_to_detail.strip()
    case.ncnd_signed_off_by_id = by.id if closure.outcome is Outcome.NCND else None
    case.closed_at = now or utcnow()
    db.session.flush()
    summary = f"Outcome decided: {closure.outcome.label}. {reason.strip()}"[:2000]
    after = audit.snapshot(case, ("outcome", "exemption_codes", "transferred_to", "transferred_to_detail"))
    audit.record_on(case, "case.closed", summary, before=before, after=after, by=by)
    case_status.refresh(case, reason=f"outcome decided: {closure.outcome.label}", by=by)
    case_changed.send(case, reason="case closed", by=by)
    return case


def reopen_case(case: Case, reason: str, *, by: User) -> Case:
    """Clear the outcome (kept in the audit trail); the status goes back to whatever the facts say."""
    if not case.is_closed:
        raise TransitionError("The case is not closed, so it cannot be reopened")
    check_reason(reason, reopening=True)
    before = {
        "outcome": case.outcome,
        "outcome_reason": case.outcome_reason,
        "closed_at": case.closed_at,
        "withdrawn_on": case.withdrawn_on,
    }
    was = case.outcome
    case.outcome = None
    case.outcome_reason = ""
    case.exemption_codes = []
    case.transferred_to = None
    case.transferred_to_detail = ""
    case.ncnd_signed_off_by_id = None
    case.closed_at = None
    if was is Outcome.WITHDRAWN:
        # A withdrawn request that is reopened has been asked again: the withdrawal no longer stands.
        case.withdrawn_on = None
        case.withdrawal_note = ""
    db.session.flush()
    summary = f"Reopened: {reason.strip()}"[:2000]
    audit.record_on(case, "case.reopened", summary, before=before, after={"outcome": None}, by=by)
    case_status.refresh(case, reason="case reopened", by=by)
    case_changed.send(case, reason="case reopened", by=by)
    return case


def record_withdrawal(case: Case, on: date, note: str, *, by: User, today: date | None = None) -> Case:
    """Record that the requester withdrew the request (the fact the WITHDRAWN outcome needs)."""
    if case.is_closed:
        raise CaseError("The case is closed. Reopen it before recording a withdrawal")
    if on > (today or calendar.today()):
        raise CaseError("The date must be today or in the past", "withdrawn_on")
    if on < case.received_on:
        raise CaseError("The date cannot be before the request was received", "withdrawn_on")
    if not note.strip():
        raise CaseError("Enter how the requester told us they were withdrawing", "note")
    before = {"withdrawn_on": case.withdrawn_on, "withdrawal_note": case.withdrawal_note}
    case.withdrawn_on = on
    case.withdrawal_note = note.strip()
    db.session.flush()
    audit.record_on(
        case,
        "case.withdrawal_recorded",
        f"The requester withdrew the request on {on.day} {on:%B %Y}: {note.strip()}"[:2000],
        before=before,
        after={"withdrawn_on": on, "withdrawal_note": case.withdrawal_note},
        by=by,
    )
    case_status.refresh(case, reason="the requester's withdrawal recorded", by=by)
    return case


# --- the people register -------------------------------------------------------------------------------


def add_person(case: Case, role: PersonRole, details: PersonDetails, *, by: Author) -> CasePerson:
    if role is PersonRole.DATA_SUBJECT and case.subject is not None:
        raise CaseError("The case already has a data subject: one request per person", "role")
    person = CasePerson(role=role, position=max((p.position for p in case.people), default=0) + 1)
    _apply_person(person, details)
    case.people.append(person)
    db.session.flush()
    summary = f"Added {person.role.label.lower()} to the people register"
    audit.record_on(person, "person.added", summary, after=person_snapshot(person), by=by)
    case_changed.send(case, reason="person added to the register", by=by)
    return person


def update_person(
    person: CasePerson, details: PersonDetails, *, role: PersonRole | None = None, by: Author
) -> CasePerson:
    case = person.case
    if role is not None and role is not person.role:
        if person.is_subject or role is PersonRole.DATA_SUBJECT:
            raise CaseError("The data subject's role cannot be changed", "role")
        person.role = role
    before = person_snapshot(person)
    _apply_person(person, details)
    db.session.flush()
    if _record_changes("person.updated", person, before, person_snapshot(person), by).after:
        case_changed.send(case, reason="person changed on the register", by=by)
    return person


def remove_person(person: CasePerson, *, by: Author) -> None:
    case = person.case
    if person.is_subject:
        raise CaseError("The data subject cannot be removed from their own case")
    if (
        person.role is PersonRole.REQUESTER
        and not case.requester_type.is_subject
        and sum(p.role is PersonRole.REQUESTER for p in case.people) == 1
    ):
        raise CaseError("This is the only requester: change the requester type before removing them")
    for item in case.evidence:
        if item.person_id == person.id:
            item.person_id = None  # SQLite may not enforce ON DELETE SET NULL
    before = person_snapshot(person)
    person_id = person.id
    case.people.remove(person)
    db.session.flush()
    audit.record(
        "person.removed",
        object_type="case_person",
        object_id=person_id,
        case_id=case.id,
        summary="Removed from the people register",
        before=before,
        by=by,
    )
    case_changed.send(case, reason="person removed from the register", by=by)


def export_people_register(case: Case, *, by: Author) -> dict[str, Any]:
    """The register in the people.json format, recorded as a download of case data."""
    register = people_register(case)
    summary = f"Downloaded the people register ({len(register['people']) + 1} people)"
    audit.record_on(case, "case.people_exported", summary, by=by)
    return register


# --- evidence -------------------------------------------------------------------------------------------


def _check_evidence_dates(item: EvidenceItem, today: date) -> None:
    for name, value in (
        ("requested_on", item.requested_on),
        ("received_on", item.received_on),
        ("verified_on", item.verified_on),
    ):
        if value is not None and value > today:
            raise CaseError("The date must be today or in the past", name)
    if item.requested_on and item.received_on and item.received_on < item.requested_on:
        raise CaseError("The date received must be the same as or after the date it was asked for", "received_on")
    if item.verified_on and item.received_on and item.verified_on < item.received_on:
        raise CaseError("The date verified must be the same as or after the date it was received", "verified_on")
    if item.verified_on and not item.received_on:
        raise CaseError("Record that the evidence was received before verifying it", "verified_on")


_EVIDENCE_FIELDS = (
    "kind",
    "person_id",
    "asked_for",
    "requested_on",
    "received_on",
    "what_arrived",
    "verified_by_id",
    "verified_on",
    "notes",
)


def _evidence_snapshot(item: EvidenceItem) -> dict[str, Any]:
    return audit.snapshot(item, _EVIDENCE_FIELDS)


def record_evidence_request(
    case: Case, request: EvidenceRequest, *, by: Author, today: date | None = None
) -> EvidenceItem:
    """Record that evidence was asked for (or arrived unasked, with ``received_on`` set)."""
    if request.person_id is not None and request.person_id not in {p.id for p in case.people}:
        raise CaseError("Select a person from this case", "person_id")
    if request.requested_on is None and request.received_on is None:
        raise CaseError("Enter the date it was asked for, or the date it arrived", "requested_on")
    if request.received_on is None and request.what_arrived.strip():
        raise CaseError("Enter the date it arrived", "received_on")
    item = EvidenceItem(
        kind=request.kind,
        person_id=request.person_id,
        asked_for=request.asked_for.strip(),
        requested_on=request.requested_on,
        received_on=request.received_on,
        what_arrived=request.what_arrived.strip(),
        notes=request.notes.strip(),
    )
    _check_evidence_dates(item, today or calendar.today())
    case.evidence.append(item)
    asked = request.requested_on is not None
    return _evidence_recorded(
        item,
        "evidence.requested" if asked else "evidence.received",
        "asked for" if asked else "received",
        before=None,
        reason="recorded",
        by=by,
    )


def _evidence_recorded(
    item: EvidenceItem, action: str, what: str, *, before: dict[str, Any] | None, reason: str, by: Author
) -> EvidenceItem:
    """Flush, audit and tell the clock (identity and authority evidence moves the start of the time limit)."""
    db.session.flush()
    audit.record_on(item, action, f"{item.kind.label}: {what}", before=before, after=_evidence_snapshot(item), by=by)
    case_status.refresh(item.case, reason=f"{item.kind.label.lower()} {what}", by=by)
    case_changed.send(item.case, reason=f"{item.kind.value} evidence {reason}", by=by)
    return item


def record_evidence_receipt(
    item: EvidenceItem, received_on: date, what_arrived: str, *, by: Author, today: date | None = None
) -> EvidenceItem:
    before = _evidence_snapshot(item)
    item.received_on = received_on
    item.what_arrived = what_arrived.strip()
    _check_evidence_dates(item, today or calendar.today())
    return _evidence_recorded(item, "evidence.received", "received", before=before, reason="received", by=by)


def record_evidence_verification(
    item: EvidenceItem,
    verified_by: User,
    verified_on: date,
    notes: str = "",
    *,
    today: date | None = None,
) -> EvidenceItem:
    before = _evidence_snapshot(item)
    item.verified_by_id = verified_by.id
    item.verified_by = verified_by
    item.verified_on = verified_on
    if notes.strip():
        item.notes = (item.notes + "\n" + notes.strip()).strip()
    _check_evidence_dates(item, today or calendar.today())
    what = f"verified by {verified_by.full_name}"
    return _evidence_recorded(item, "evidence.verified", what, before=before, reason="verified", by=verified_by)


# --- children: competence and best interests -----------------------------------------------------------


# The seven factors an assessment weighs, each answered in writing (sar-rules section 5).
_COMPETENCE_FACTORS = (
    "maturity",
    "nature_of_data",
    "court_orders",
    "duty_of_confidence",
    "consequences_of_parental_access",
    "detriment_if_refused",
    "childs_views",
)


def record_competence_assessment(
    case: Case, details: CompetenceDetails, *, by: Author, today: date | None = None
) -> CompetenceAssessment:
    """Create or replace the case's assessment; the previous version stays in the audit trail."""
    if details.assessed_on > (today or calendar.today()):
        raise CaseError("The date assessed must be today or in the past", "assessed_on")
    if not details.assessed_by.strip():
        raise CaseError("Enter who made the assessment", "assessed_by")
    assessment = case.competence
    before = _competence_snapshot(assessment) if assessment else None
    if assessment is None:
        assessment = CompetenceAssessment(case_id=case.id)
        case.competence = assessment
    for name in (*_COMPETENCE_FACTORS, "outcome_note", "assessed_by"):
        setattr(assessment, name, getattr(details, name).strip())
    assessment.decision = details.decision
    assessment.assessed_on = details.assessed_on
    assessment.recorded_by_id = by.id if isinstance(by, User) else None
    assessment.recorded_at = utcnow()
    db.session.flush()
    audit.record_on(
        assessment,
        "competence.recorded" if before is None else "competence.updated",
        f"Competence assessment: {details.decision.label}",
        before=before,
        after=_competence_snapshot(assessment),
        by=by,
    )
    return assessment


def _competence_snapshot(assessment: CompetenceAssessment) -> dict[str, Any]:
    names = (*_COMPETENCE_FACTORS, "decision", "outcome_note", "assessed_by", "assessed_on")
    return {name: getattr(assessment, name) for name in names}


# --- reading ---------------------------------------------------------------------------------------------


def get_case(case_id: int) -> Case:
    """The case or NoResultFound (which sar.web turns into a 404)."""
    return db.session.execute(select(Case).where(Case.id == case_id)).scalar_one()


def record_case_viewed(case: Case, *, by: Author, what: str = "case page") -> None:
    """Viewing case data is audited like a change (issue 2: every view of case data)."""
    audit.record_on(case, "case.viewed", f"Viewed {what}", by=by)


def record_duplicate_check(cases: list[Case], *, by: Author) -> None:
    """Showing possible duplicates at intake names other cases' subjects: audited as a view of each."""
    for case in cases:
        record_case_viewed(case, by=by, what="as a possible duplicate while logging a new request")


def record_case_search(filters: CaseFilters, found: int, *, by: Author) -> None:
    """The case list shows subjects' and requesters' names, so each search is audited as a view."""
    audit.record(
        "cases.searched",
        object_type="case_list",
        summary=f"Case list: {found} cases",
        after={"filters": filters.describe(), "found": found},
        by=by,
    )


def case_workers() -> list[User]:
    """Active users who may own a case."""
    from sar.auth.models import UserRole

    return list(
        db.session.scalars(
            select(User)
            .join(UserRole)
            .where(UserRole.role.in_(CASE_WORKERS), User.active.is_(True))
            .distinct()
            .order_by(User.full_name)
        )
    )


def active_teams() -> list[Team]:
    return list(db.session.scalars(select(Team).where(Team.active.is_(True)).order_by(Team.name)))
