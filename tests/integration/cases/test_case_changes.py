"""The forms that change a case: details, people register, evidence, competence, status and owner."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import func, select
from support import error_messages, get_page, heading, page, table_rows, text_of

from sar.audit import AuditEvent, SystemActor
from sar.auth.models import Role
from sar.cases.facts import BundleFacts, Letter, ReviewFacts, SignOff
from sar.cases.models import (
    CasePerson,
    CaseStatus,
    CompetenceDecision,
    EvidenceKind,
    Outcome,
    PersonRole,
    RequesterType,
    Right,
    TransferTarget,
)
from sar.cases.signals import case_changed
from sar.extensions import db


def _date(day: date) -> list[str]:
    return [str(day.day), str(day.month), str(day.year)]


def _errors(response) -> list[str]:
    """The error summary's messages, as the officer reads them."""
    return error_messages(page(response, response.status_code))


def _actions(case_id: int) -> list[str]:
    """The changes recorded for a case (views are audited too, but are not changes)."""
    actions = db.session.scalars(select(AuditEvent.action).where(AuditEvent.case_id == case_id).order_by(AuditEvent.id))
    # Other stages (the clock) also write events for a case when intake changes it.
    mine = ("case", "person", "evidence", "competence")
    return [a for a in actions if a != "case.viewed" and a.split(".")[0] in mine]


def test_add_change_and_remove_a_person(officer_client, make_case):
    case = make_case()
    assert heading(get_page(officer_client, f"/cases/{case.id}/people/new")) == "Add a person to the register"
    response = officer_client.post(
        f"/cases/{case.id}/people/new",
        data={
            "role": "third_party",
            "full_name": "  Neil   Carter ",
            "relationship": "referrer (neighbour)",
            "addresses": "14 Southgate, Eastholme, dn9 1az",
            "phones": "+44 7700 900445\n07700900445",
            "emails": "neilcarter@aol.com",
            "date_of_birth": _date(date(1973, 12, 29)),
            "aliases": "NC",
            "consent_obtained": "no",
            "consent_date": _date(date.today()),
            "consent_note": "Refused on the phone",
        },
    )
    assert response.status_code == 302, _errors(response)
    person = db.session.scalars(select(CasePerson).where(CasePerson.full_name == "Neil Carter")).one()
    assert person.phones == ["07700 900445"]  # two spellings of one number are one number
    assert person.addresses == ["14 Southgate, Eastholme, DN9 1AZ"]
    assert person.consent_obtained is False and person.relation == "referrer (neighbour)"

    form = get_page(officer_client, f"/cases/{case.id}/people/{person.id}")
    assert form.find("input", {"name": "full_name"})["value"] == "Neil Carter"
    assert form.find("input", {"name": "relationship"})["value"] == "referrer (neighbour)"
    changed = officer_client.post(
        f"/cases/{case.id}/people/{person.id}",
        data={
            "role": "third_party",
            "full_name": "Neil Carter",
            "relationship": "referrer (neighbour)",
            "nhs_number": "943 476 5919",
            "consent_obtained": "",
        },
    )
    assert changed.status_code == 302, _errors(changed)
    assert person.nhs_number == "943 476 5919" and person.phones == [] and person.consent_obtained is None

    assert "Remove Neil Carter" in heading(get_page(officer_client, f"/cases/{case.id}/people/{person.id}/remove"))
    assert officer_client.post(f"/cases/{case.id}/people/{person.id}/remove").status_code == 302
    assert db.session.get(CasePerson, person.id) is None
    assert _actions(case.id)[-3:] == ["person.added", "person.updated", "person.removed"]


def test_bad_person_input_is_refused_and_nothing_saved(officer_client, make_case):
    case = make_case()
    response = officer_client.post(
        f"/cases/{case.id}/people/new",
        data={
            "role": "third_party",
            "full_name": "",
            "emails": "not-an-email",
            "phones": "07700 900445\nabc",
            "date_of_birth": ["29", "2", "2023"],
            "ni_number": "AB123456",
            "consent_obtained": "yes",
            "relationship": "r" * 101,
        },
    )
    assert response.status_code == 422
    errors = _errors(response)
    assert "Enter the person's full name" in errors
    assert "The date of birth must be a real date" in errors
    assert any(e.startswith("Enter an email address in the correct format") for e in errors)
    assert any("line ‘abc’" in e for e in errors)
    assert any("National Insurance number" in e for e in errors)
    assert "Enter the date of their answer" in errors
    assert "The relationship must be 100 characters or fewer" in errors
    assert db.session.scalar(select(func.count()).select_from(CasePerson)) == 1


def test_the_subject_cannot_be_removed(officer_client, make_case):
    case = make_case()
    subject = case.subject
    response = officer_client.post(f"/cases/{case.id}/people/{subject.id}/remove")
    assert response.status_code == 422
    [message] = _errors(response)
    assert "cannot be removed" in message


def test_evidence_asked_for_received_and_verified_feeds_the_clock(officer_client, officer, make_case):
    case = make_case(requester_type=RequesterType.SOLICITOR)
    reasons: list[str] = []
    asked, arrived = date.today() - timedelta(days=5), date.today() - timedelta(days=1)
    with case_changed.connected_to(lambda sender, reason, by: reasons.append(reason)):
        response = officer_client.post(
            f"/cases/{case.id}/evidence/new",
            data={
                "kind": "authority",
                "person_id": "0",
                "asked_for": "Signed form of authority",
                "requested_on": _date(asked),
            },
        )
        assert response.status_code == 302, _errors(response)
        item = case.evidence[0]
        receipt = get_page(officer_client, f"/cases/{case.id}/evidence/{item.id}/received")
        assert "Signed form of authority" in text_of(receipt.select_one("main"))
        early = officer_client.post(
            f"/cases/{case.id}/evidence/{item.id}/received",
            data={"received_on": _date(asked - timedelta(days=1)), "what_arrived": "x"},
        )
        assert early.status_code == 422
        assert "The date received must be the same as or after the date it was asked for" in _errors(early)
        assert (
            officer_client.post(
                f"/cases/{case.id}/evidence/{item.id}/received",
                data={"received_on": _date(arrived), "what_arrived": "Authority signed by the client"},
            ).status_code
            == 302
        )
        assert (
            officer_client.post(
                f"/cases/{case.id}/evidence/{item.id}/verified",
                data={"verified_on": _date(date.today()), "notes": "Signature matches"},
            ).status_code
            == 302
        )
    assert item.kind is EvidenceKind.AUTHORITY
    assert (item.requested_on, item.received_on, item.verified_on) == (asked, arrived, date.today())
    assert item.verified_by_id == officer.id and item.notes == "Signature matches"
    assert reasons == ["authority evidence recorded", "authority evidence received", "authority evidence verified"]
    # Asking moved the case to "awaiting authority" and receipt moved it back: each a derived status change.
    assert _actions(case.id)[-5:] == [
        "evidence.requested",
        "case.status_derived",
        "evidence.received",
        "case.status_derived",
        "evidence.verified",
    ], _actions(case.id)


def test_evidence_needs_a_date_and_no_future_dates(officer_client, make_case):
    case = make_case()
    missing = officer_client.post(f"/cases/{case.id}/evidence/new", data={"kind": "identity", "person_id": "0"})
    assert missing.status_code == 422
    assert "Enter the date it was asked for, or the date it arrived" in _errors(missing)
    future = officer_client.post(
        f"/cases/{case.id}/evidence/new",
        data={"kind": "identity", "person_id": "0", "requested_on": _date(date.today() + timedelta(days=3))},
    )
    assert future.status_code == 422
    assert "The date it was asked for must be today or in the past" in _errors(future)
    assert case.evidence == []


def test_competence_assessment_is_recorded_and_updated(officer_client, make_case):
    case = make_case(requester_type=RequesterType.PARENT_PR)
    form = get_page(officer_client, f"/cases/{case.id}/competence")
    assert heading(form) == "Competence and best interests"
    assert "The child's views" in [text_of(label) for label in form.select("label")]
    data = {
        "maturity": "Mature for 13",
        "childs_views": "Does not want Dad to see the notes",
        "decision": "competent_does_not_authorise",
        "outcome_note": "Refuse the father's request",
        "assessed_by": "Sam Jones, social worker",
        "assessed_on": _date(date.today()),
    }
    assert officer_client.post(f"/cases/{case.id}/competence", data=data).status_code == 302
    assert case.competence.decision is CompetenceDecision.COMPETENT_DOES_NOT_AUTHORISE
    data["decision"] = "competent_authorises"
    assert officer_client.post(f"/cases/{case.id}/competence", data=data).status_code == 302
    assert case.competence.decision is CompetenceDecision.COMPETENT_AUTHORISES
    assert _actions(case.id)[-2:] == ["competence.recorded", "competence.updated"]
    assert "Does not want Dad to see the notes" in text_of(
        get_page(officer_client, f"/cases/{case.id}").select_one("main")
    )
    bad = officer_client.post(f"/cases/{case.id}/competence", data={"assessed_on": ["1", "1", ""]})
    assert bad.status_code == 422
    assert set(_errors(bad)) >= {
        "Select the conclusion",
        "Enter who made the assessment",
        "The date assessed must include a year",
    }


# Issue 9: statuses are derived from facts and never set by hand; closing is a decision the server checks.


def test_there_is_no_way_to_set_a_status_by_hand(officer_client, make_case):
    case = make_case()
    assert officer_client.get(f"/cases/{case.id}/status").status_code == 404
    posted = officer_client.post(f"/cases/{case.id}/outcome", data={"to_status": "ready_to_send", "reason": "x"})
    assert posted.status_code == 422 and "Select the outcome" in _errors(posted)
    assert case.status is CaseStatus.RECEIVED


def test_close_with_an_outcome_and_reopen(officer_client, make_case):
    case = make_case()
    form = get_page(officer_client, f"/cases/{case.id}/outcome")
    offered = [text_of(label) for label in form.select("input[name=outcome] + label")]
    assert "Transferred to another body" in offered
    # Outcomes whose facts are missing are listed with what they need, not offered.
    needs = dict((row[0], row[1]) for row in table_rows(form, "#not-yet ~ div table"))
    assert any("a response bundle that has been verified and released" in need.lower() for need in needs.values())
    assert not set(needs) & set(offered)
    transfer = officer_client.post(
        f"/cases/{case.id}/outcome", data={"outcome": "TRANSFERRED", "reason": "Parent wants the school record"}
    )
    assert transfer.status_code == 422 and "Select where the request was transferred to" in _errors(transfer)
    assert (
        officer_client.post(
            f"/cases/{case.id}/outcome",
            data={
                "outcome": "TRANSFERRED",
                "transferred_to": "school_record",
                "reason": "Parent wants the school record",
            },
        ).status_code
        == 302
    )
    assert case.status is CaseStatus.CLOSED and case.outcome is Outcome.TRANSFERRED
    assert case.transferred_to is TransferTarget.SCHOOL_RECORD and case.closed_at is not None
    closed = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "case.closed")).one()
    assert closed.before == {"status": "received", "outcome": None}
    assert closed.after["outcome"] == "TRANSFERRED"
    assert "Parent wants the school record" in closed.summary
    no_reason = officer_client.post(f"/cases/{case.id}/outcome", data={"reason": ""})
    assert no_reason.status_code == 422 and "Enter why the case is being reopened" in _errors(no_reason)
    reopen = officer_client.post(f"/cases/{case.id}/outcome", data={"reason": "Asked again"})
    assert reopen.status_code == 302 and case.outcome is None and case.closed_at is None
    assert case.status is CaseStatus.RECEIVED
    assert _actions(case.id)[-4:] == ["case.closed", "case.status_derived", "case.reopened", "case.status_derived"]


def test_outcomes_whose_facts_are_missing_are_refused_on_the_server(officer_client, make_case):
    case = make_case()
    for outcome, needs in (
        ("FULL", "verified and released"),
        ("PARTIAL", "verified and released"),
        ("NONE_HELD", "search statement"),
        ("REFUSED_MUE", "refusal letter"),
        ("WITHDRAWN", "withdrawal"),
        ("ID_NOT_PROVIDED_CLOSED", "proof of identity asked for"),
    ):
        # Posted directly, as a hand-made request would: the radios never offered them.
        response = officer_client.post(
            f"/cases/{case.id}/outcome", data={"outcome": outcome, "exemption_codes": ["TP"], "reason": "Try to close"}
        )
        assert response.status_code == 422, outcome
        assert case.outcome is None and case.status is CaseStatus.RECEIVED
        messages = " ".join(_errors(response))
        assert "Not a valid choice" in messages or needs in messages, (outcome, messages)
    for outcome, needs in (("FULL", "verified and released"), ("WITHDRAWN", "withdrawal")):
        from sar.cases import service
        from sar.cases.workflow import Closure, TransitionError

        with pytest.raises(TransitionError, match=needs):
            service.decide_outcome(case, Closure(Outcome(outcome)), "Try", by=case.logged_by)
    assert case.outcome is None


def test_withdrawal_is_a_fact_that_makes_withdrawn_available(officer_client, make_case):
    case = make_case()
    bad = officer_client.post(f"/cases/{case.id}/withdrawal", data={"withdrawn_on": _date(date.today()), "note": ""})
    assert bad.status_code == 422 and "Enter how they told us" in _errors(bad)
    assert (
        officer_client.post(
            f"/cases/{case.id}/withdrawal", data={"withdrawn_on": _date(date.today()), "note": "Phoned to withdraw"}
        ).status_code
        == 302
    )
    assert case.withdrawn_on == date.today()
    case_page = text_of(get_page(officer_client, f"/cases/{case.id}").select_one("main"))
    assert "The requester has withdrawn: record the outcome" in case_page
    assert (
        officer_client.post(
            f"/cases/{case.id}/outcome", data={"outcome": "WITHDRAWN", "reason": "Withdrawn by phone"}
        ).status_code
        == 302
    )
    assert case.status is CaseStatus.CLOSED and case.outcome is Outcome.WITHDRAWN


def test_ncnd_needs_the_dpo_and_its_facts(officer_client, client_as, dpo, make_case, later_stages):
    case = make_case()
    data = {"outcome": "NCND", "reason": "Confirming would prejudice a police investigation"}
    assert officer_client.post(f"/cases/{case.id}/outcome", data=data).status_code == 422
    later_stages(
        review=ReviewFacts(documents_total=3, marked_ready=True, sign_off=SignOff.GIVEN),
        bundle=BundleFacts(letters_sent=frozenset({Letter.RESPONSE})),
    )
    refused = officer_client.post(f"/cases/{case.id}/outcome", data=data)
    assert refused.status_code == 422
    assert any("Only the Data Protection Officer can sign off" in message for message in _errors(refused))
    assert client_as(user=dpo).post(f"/cases/{case.id}/outcome", data=data).status_code == 302
    assert case.outcome is Outcome.NCND and case.ncnd_signed_off_by_id == dpo.id


def test_disclosure_is_possible_once_a_stage_reports_a_released_bundle(officer_client, make_case, later_stages):
    case = make_case()
    data = {"outcome": "PARTIAL", "exemption_codes": ["TP", "SW-SH"], "reason": "Sent with redactions"}
    later_stages(bundle=BundleFacts(built=True, verified=True))
    assert officer_client.post(f"/cases/{case.id}/outcome", data=data).status_code == 422
    later_stages(
        review=ReviewFacts(documents_total=3, marked_ready=True, sign_off=SignOff.GIVEN),
        bundle=BundleFacts(built=True, verified=True, released=True),
    )
    from sar.cases import status

    status.refresh(case, reason="bundle released", by=SystemActor("test"))
    assert case.status is CaseStatus.READY_TO_SEND
    assert officer_client.post(f"/cases/{case.id}/outcome", data=data).status_code == 302
    assert case.outcome is Outcome.PARTIAL and case.exemption_codes == ["SW-SH", "TP"]
    case_page = text_of(get_page(officer_client, f"/cases/{case.id}").select_one("main"))
    assert "SW-SH: Serious harm (social work)" in case_page and "Third-party information" in case_page


def test_assign_owner(officer_client, officer, make_user, make_case):
    case = make_case()
    holder = make_user(Role.RECORD_HOLDER, full_name="Rec Holder")
    offered = [text_of(option) for option in get_page(officer_client, f"/cases/{case.id}/owner").select("option")]
    assert "Ida Officer" in offered and "Rec Holder" not in offered
    assert officer_client.post(f"/cases/{case.id}/owner", data={"owner": str(holder.id)}).status_code == 422
    assert officer_client.post(f"/cases/{case.id}/owner", data={"owner": str(officer.id)}).status_code == 302
    assert case.owner_id == officer.id
    assert officer_client.post(f"/cases/{case.id}/owner", data={"owner": "0"}).status_code == 302
    assert case.owner_id is None
    assert _actions(case.id).count("case.owner_assigned") == 2


def test_edit_request_details(officer_client, make_case):
    case = make_case()
    assert heading(get_page(officer_client, f"/cases/{case.id}/edit")) == "Change request details"
    moment = datetime.now(UTC) - timedelta(days=10)
    reasons: list[str] = []
    data = {
        "channel": "post",
        "received_date": _date(moment.date()),
        "received_time": "9am",
        "rights": ["access", "objection"],
        "requester_type": "self",
        "description": "Changed",
    }
    with case_changed.connected_to(lambda sender, reason, by: reasons.append(reason)):
        response = officer_client.post(f"/cases/{case.id}/edit", data=data)
    assert response.status_code == 302, _errors(response)
    assert case.right_values == {Right.ACCESS, Right.OBJECTION}
    assert case.received_on == moment.date() and case.description == "Changed"
    assert reasons == ["rights or date received changed"]
    updated = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "case.updated")).one()
    assert updated.before["rights"] == ["access"] and updated.after["rights"] == ["access", "objection"]
    # A separate requester type needs a requester on the register first.
    data["requester_type"] = "solicitor"
    refused = officer_client.post(f"/cases/{case.id}/edit", data=data)
    assert refused.status_code == 422 and case.requester_type is RequesterType.SELF


def test_person_roles_offered_exclude_a_second_subject(officer_client, make_case):
    case = make_case()
    roles = get_page(officer_client, f"/cases/{case.id}/people/new").select("input[name=role]")
    assert "data_subject" not in [role["value"] for role in roles] and roles
    response = officer_client.post(f"/cases/{case.id}/people/new", data={"role": "data_subject", "full_name": "X"})
    assert response.status_code == 422
    assert [p.role for p in case.people] == [PersonRole.DATA_SUBJECT]
