"""Service rules that the forms do not reach: the register's invariants and the audit written for each change."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select

from sar.audit import SYSTEM, AuditEvent, verify_chain
from sar.auth.models import Role
from sar.cases import service
from sar.cases.facts import BundleFacts
from sar.cases.models import CaseStatus, EvidenceKind, Outcome, PersonRole, RequesterType, Right
from sar.cases.workflow import Closure, TransitionError
from sar.extensions import db


def test_log_case_refuses_inconsistent_requesters(officer, make_case):
    details = service.CaseDetails(
        channel=service.Channel.EMAIL,
        received_at=datetime.now(UTC) - timedelta(hours=1),
        rights=frozenset({Right.ACCESS}),
        requester_type=RequesterType.SELF,
    )
    with pytest.raises(service.CaseError, match="no separate requester"):
        service.log_case(
            details,
            subject=service.PersonDetails(full_name="A B"),
            requester=service.PersonDetails(full_name="C D"),
            logged_by=officer,
        )
    with pytest.raises(service.CaseError, match="must be in the past"):
        service.log_case(
            service.CaseDetails(**{**details.__dict__, "received_at": datetime.now(UTC) + timedelta(1)}),
            subject=service.PersonDetails(full_name="A B"),
            requester=None,
            logged_by=officer,
        )
    with pytest.raises(service.CaseError) as bad_nhs:
        service.log_case(
            details, subject=service.PersonDetails(full_name="A B", nhs_number="123"), requester=None, logged_by=officer
        )
    assert bad_nhs.value.field == "subject_nhs_number"


def test_a_form_token_logs_one_case(officer):
    details = service.CaseDetails(
        channel=service.Channel.POST,
        received_at=datetime.now(UTC) - timedelta(hours=1),
        rights=frozenset({Right.ERASURE}),
        requester_type=RequesterType.SELF,
    )
    first = service.log_case(
        details, subject=service.PersonDetails(full_name="A B"), requester=None, logged_by=officer, form_token="t-1"
    )
    db.session.commit()
    with pytest.raises(service.DuplicateSubmission) as duplicate:
        service.log_case(
            details, subject=service.PersonDetails(full_name="A B"), requester=None, logged_by=officer, form_token="t-1"
        )
    assert duplicate.value.case is first


def test_only_one_data_subject_and_it_keeps_its_role(make_case):
    case = make_case()
    with pytest.raises(service.CaseError, match="already has a data subject"):
        service.add_person(case, PersonRole.DATA_SUBJECT, service.PersonDetails(full_name="Second Child"), by=SYSTEM)
    with pytest.raises(service.CaseError, match="cannot be changed"):
        service.update_person(
            case.subject, service.PersonDetails(full_name="Jordan Lee"), role=PersonRole.THIRD_PARTY, by=SYSTEM
        )


def test_the_only_requester_cannot_be_removed_while_the_case_says_someone_else_asked(make_case):
    case = make_case(requester_type=RequesterType.PARENT_PR)
    requester = case.requester
    assert requester is not None and requester.role is PersonRole.REQUESTER
    with pytest.raises(service.CaseError, match="only requester"):
        service.remove_person(requester, by=SYSTEM)


def test_removing_a_person_detaches_their_evidence(make_case, officer):
    case = make_case(requester_type=RequesterType.SOLICITOR)
    helper = service.add_person(
        case, PersonRole.REQUESTER, service.PersonDetails(full_name="Second Solicitor"), by=SYSTEM
    )
    item = service.record_evidence_request(
        case,
        service.EvidenceRequest(kind=EvidenceKind.IDENTITY, requested_on=date.today(), person_id=helper.id),
        by=SYSTEM,
    )
    service.remove_person(helper, by=officer)
    db.session.commit()
    assert item.person_id is None


def test_evidence_cannot_be_verified_before_it_arrives(make_case, officer):
    case = make_case()
    item = service.record_evidence_request(
        case, service.EvidenceRequest(kind=EvidenceKind.IDENTITY, requested_on=date.today()), by=SYSTEM
    )
    with pytest.raises(service.CaseError, match="received before verifying"):
        service.record_evidence_verification(item, officer, date.today())


def test_evidence_person_must_belong_to_the_case(make_case):
    case, other = make_case(), make_case(subject_name="Someone Else")
    with pytest.raises(service.CaseError, match="from this case"):
        service.record_evidence_request(
            case,
            service.EvidenceRequest(kind=EvidenceKind.IDENTITY, requested_on=date.today(), person_id=other.subject.id),
            by=SYSTEM,
        )


def test_deciding_an_outcome_keeps_the_chain_intact(make_case, officer, make_user, later_stages):
    case = make_case()
    with pytest.raises(TransitionError, match="verified and released"):
        service.decide_outcome(case, Closure(Outcome.PARTIAL, exemption_codes=("TP",)), "Sent", by=officer)
    later_stages(bundle=BundleFacts(built=True, verified=True, released=True))
    with pytest.raises(TransitionError, match="Select the exemptions"):
        service.decide_outcome(case, Closure(Outcome.PARTIAL), "Sent", by=officer)
    service.decide_outcome(
        case, Closure(Outcome.PARTIAL, exemption_codes=("TP", "CHILD-ABUSE")), "Sent with redactions", by=officer
    )
    db.session.commit()
    assert case.exemption_codes == ["CHILD-ABUSE", "TP"] and case.status is CaseStatus.CLOSED
    events = list(
        db.session.scalars(select(AuditEvent).where(AuditEvent.case_id == case.id, AuditEvent.action.like("case.%")))
    )
    assert [e.action for e in events] == ["case.created", "case.closed", "case.status_derived"]
    assert all(e.actor_id == officer.id for e in events[1:])
    checked, problem = verify_chain()
    assert problem is None and checked >= 4


def test_only_case_workers_can_own_cases(make_case, make_user):
    case = make_case()
    auditor = make_user(Role.AUDITOR)
    with pytest.raises(service.CaseError, match="owner must be"):
        service.assign_owner(case, auditor, by=SYSTEM)
