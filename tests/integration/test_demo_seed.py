"""``flask --app sar seed-demo``: the demo council a new user signs in to."""

from __future__ import annotations

import random
import re
from collections import Counter
from collections.abc import Iterator
from datetime import date, timedelta

import pytest
import support
from flask import Flask
from sqlalchemy import func, select

from sar import audit
from sar.auth.models import Role, Team, User
from sar.auth.passwords import verify_password
from sar.cases.models import (
    Case,
    CasePerson,
    CaseStatus,
    EvidenceKind,
    Outcome,
    PersonRole,
    RequesterType,
    Right,
)
from sar.cases.validators import nhs_number_valid, ni_number_valid
from sar.clock.models import CaseClock
from sar.demo import DEMO_PASSWORD
from sar.demo_data.people import PeopleFactory
from sar.demo_data.stories import all_stories
from sar.extensions import db

TODAY = date(2026, 11, 25)
DRAMA_PHONE = re.compile(r"^(07700 900\d{3}|01632 960\d{3})$")  # Ofcom drama ranges, in the register's spacing


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def demo(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Flask, str]]:
    """One seeded demo council per database for the whole module: seeding takes several seconds."""
    tmp_path = tmp_path_factory.mktemp("demo")
    if request.param == "postgresql":
        if not support.POSTGRES_AVAILABLE:
            pytest.skip("PostgreSQL is not reachable")
        url = request.getfixturevalue("postgres_schema_url")
    else:
        url = f"sqlite:///{tmp_path / 'demo.sqlite'}"
    with support.app_with_tables(support.base_test_config(tmp_path, url)) as application:
        result = application.test_cli_runner().invoke(args=["seed-demo", "--today", TODAY.isoformat()])
        assert result.exit_code == 0, result.output + repr(result.exception)
        yield application, result.output


@pytest.fixture
def seeded(demo: tuple[Flask, str]) -> str:
    db.session.expire_all()
    return demo[1]


@pytest.fixture
def demo_app(demo: tuple[Flask, str]) -> Flask:
    return demo[0]


def _cases() -> list[Case]:
    return list(db.session.scalars(select(Case).order_by(Case.id)))


def test_every_role_has_a_demo_user_who_can_sign_in_with_the_printed_password(seeded: str) -> None:
    users = list(db.session.scalars(select(User)))
    roles = Counter(role for user in users for role in user.roles)
    assert set(roles) == set(Role)
    assert roles[Role.IG_OFFICER] >= 2
    assert roles[Role.RECORD_HOLDER] >= 3
    assert len({user.team_id for user in users if Role.RECORD_HOLDER in user.roles}) >= 3, (
        "record holders in several teams"
    )
    for user in users:
        assert user.email in seeded, f"{user.email} is not printed"
        assert verify_password(user.password_hash, DEMO_PASSWORD)
        assert not user.mfa_enrolled, "demo users set up MFA at first sign-in, as real users do"
    assert DEMO_PASSWORD in seeded


def test_each_demo_account_gets_a_printed_one_time_set_up_link_that_works(seeded: str, demo_app: Flask) -> None:
    import re

    from sar.auth.models import EnrolmentLink

    links = re.findall(r"set-up link: http://127\.0\.0\.1:5000(/sign-in/enrol/\S+)", seeded)
    users = list(db.session.scalars(select(User).where(User.active.is_(True))))
    assert len(links) == len(users) == db.session.scalar(select(func.count()).select_from(EnrolmentLink))
    first = users[0]
    client = demo_app.test_client()
    lines = seeded.splitlines()
    path = next(
        re.search(r"(/sign-in/enrol/\S+)", lines[i + 1]).group(1)  # type: ignore[union-attr]
        for i, line in enumerate(lines)
        if first.email in line
    )
    step = client.post(path, data={"email": first.email, "password": DEMO_PASSWORD})
    assert step.status_code == 302 and step.headers["Location"].endswith("/sign-in/set-up-authenticator")


def test_teams_and_providers_are_seeded(seeded: str) -> None:
    names = set(db.session.scalars(select(Team.name)))
    for expected in ("Children's Social Care", "Early Help", "Families Information Service", "Fostering and Adoption"):
        assert expected in names


# Statuses are derived from facts (issue 9). Until gathering, review and the bundle exist, the demo can record only
# intake's and the clock's facts, so it reaches these statuses and the outcomes that need nothing later.
INTAKE_STATUSES = {
    CaseStatus.RECEIVED,
    CaseStatus.AWAITING_ID,
    CaseStatus.AWAITING_AUTHORITY,
    CaseStatus.AWAITING_FEE,
    CaseStatus.AWAITING_CLARIFICATION,
    CaseStatus.CLOSED,
}
REVIEW_STATUSES = {
    CaseStatus.IN_REVIEW,
    CaseStatus.AWAITING_SIGN_OFF,
    CaseStatus.RETURNED,
    CaseStatus.READY_TO_SEND,
}
INTAKE_OUTCOMES = {
    Outcome.TRANSFERRED,
    Outcome.WITHDRAWN,
    Outcome.ID_NOT_PROVIDED_CLOSED,
    Outcome.AUTHORITY_NOT_PROVIDED_CLOSED,
    Outcome.FEE_UNPAID_CLOSED,
    Outcome.CLARIFICATION_NOT_PROVIDED_CLOSED,
}


def test_about_forty_cases_in_every_status_and_outcome_the_recorded_facts_allow(seeded: str) -> None:
    cases = _cases()
    assert 35 <= len(cases) <= 45
    # Gathering's seeding sends search tasks for the cases with nothing outstanding from the requester; review's
    # carries four of them on through each step of review and sign-off.
    assert {case.status for case in cases} == INTAKE_STATUSES | {CaseStatus.GATHERING} | REVIEW_STATUSES
    assert {case.outcome for case in cases if case.is_closed} == INTAKE_OUTCOMES
    assert all(case.outcome is None for case in cases if not case.is_closed)
    references = [case.reference for case in cases]
    assert len(set(references)) == len(references)
    assert all(re.fullmatch(r"SAR-20\d\d-\d{5}", ref) for ref in references)


def test_every_demo_case_has_the_status_its_facts_give(seeded: str) -> None:
    """Every fact sequence in the demo data, replayed by the derivation, gives the stored status, and the audit
    trail's derived-status events end at it."""
    from sar.cases.status import facts_for
    from sar.cases.workflow import derive, unmet

    for case in _cases():
        facts = facts_for(case)
        assert derive(facts).status is case.status, case.reference
        if case.outcome is not None:
            assert unmet(case.outcome, facts) == [], (case.reference, case.outcome)
        changes = db.session.scalars(
            select(audit.AuditEvent)
            .where(audit.AuditEvent.case_id == case.id, audit.AuditEvent.action == "case.status_derived")
            .order_by(audit.AuditEvent.id)
        ).all()
        final = changes[-1].after["status"] if changes else CaseStatus.RECEIVED.value
        assert final == case.status.value, case.reference


def test_stories_stop_where_their_facts_stop(seeded: str) -> None:
    """A story waiting on the requester shows that wait; one that goes on to later stages waits at "Received", or at
    "Gathering" once gathering's seeding has sent its searches, or at a step of review for the four review's
    seeding carries on (the bundle is not built yet)."""
    by_status = Counter(case.status for case in _cases())
    assert by_status[CaseStatus.AWAITING_ID] and by_status[CaseStatus.AWAITING_CLARIFICATION]
    assert by_status[CaseStatus.GATHERING] >= 5
    assert by_status[CaseStatus.RECEIVED] + by_status[CaseStatus.GATHERING] >= 10


def test_cases_are_spread_over_the_last_year_relative_to_today(seeded: str) -> None:
    received = [case.received_on for case in _cases()]
    assert max(received) <= TODAY
    assert min(received) >= TODAY - timedelta(days=366)
    assert min(received) <= TODAY - timedelta(days=270), "some cases should be most of a year old"
    closed = [case for case in _cases() if case.is_closed]
    assert all(case.closed_at is not None and case.closed_at.date() >= case.received_on for case in closed)


def test_due_dates_come_from_the_clock_with_some_overdue_some_due_soon_some_late(seeded: str) -> None:
    clocks = {clock.case_id: clock for clock in db.session.scalars(select(CaseClock))}
    cases = _cases()
    assert set(clocks) == {case.id for case in cases}, "every case has a due date worked out by the clock"
    open_due = [clocks[c.id].due_date for c in cases if not c.is_closed]
    assert any(due < TODAY for due in open_due), "some open cases are overdue"
    assert any(TODAY <= due <= TODAY + timedelta(days=10) for due in open_due), "some are due soon"
    answered = [clocks[c.id].answered_on_time for c in cases if c.is_closed]
    assert True in answered and False in answered, "some closed on time, some late"
    assert any(clock.extended for clock in clocks.values()), "at least one case was extended"
    assert any(clock.excluded_days for clock in clocks.values()), "at least one clock paused for clarification"
    assert not [clock.problem for clock in clocks.values() if clock.problem]


def test_the_stories_a_childrens_services_demo_needs(seeded: str) -> None:
    cases = _cases()

    def subject_age(case: Case) -> int:
        assert case.subject is not None and case.subject.date_of_birth is not None
        return (case.received_on - case.subject.date_of_birth).days // 365

    care_leavers = [
        c for c in cases if c.requester_type is RequesterType.SELF and c.is_access_request and "care" in c.description
    ]
    assert any(18 <= subject_age(c) <= 25 and "whole file" in c.description for c in care_leavers)
    parents = [c for c in cases if c.requester_type is RequesterType.PARENT_PR]
    young = [c for c in parents if subject_age(c) < 10 and c.competence is not None]
    assert young, "a parent asking for a young child, with the competence and best-interests record"
    assert all(c.competence.consequences_of_parental_access for c in young if c.competence)
    solicitors = [c for c in cases if c.requester_type is RequesterType.SOLICITOR]
    assert any(
        item.kind is EvidenceKind.AUTHORITY and item.is_verified and "signed" in item.what_arrived.lower()
        for c in solicitors
        for item in c.evidence
    ), "a solicitor with the client's signed authority"
    assert any(Right.OBJECTION in c.right_values and "NHS number" in c.description for c in cases)
    assert any(
        Right.ERASURE in c.right_values and "Families Information Service" in {row.team.name for row in c.scope_teams}
        for c in cases
    )


def test_people_registers_are_realistic_and_fictional(seeded: str) -> None:
    people = list(db.session.scalars(select(CasePerson)))
    roles = Counter(person.role for person in people)
    assert roles[PersonRole.PROFESSIONAL] >= 40 and roles[PersonRole.THIRD_PARTY] >= 80
    relationships = {person.relation for person in people}
    for expected in ("mother", "father", "mother's partner", "foster carer", "referrer (neighbour)", "social worker"):
        assert expected in relationships, expected
    assert any("sister" in r or "brother" in r for r in relationships)
    titles = {person.job_title for person in people if person.role is PersonRole.PROFESSIONAL}
    assert {"Social Worker", "Independent Reviewing Officer"} <= titles
    assert any("Police" in title or "Constable" in title for title in titles)
    assert any(title in ("Class Teacher", "General Practitioner", "Designated Safeguarding Lead") for title in titles)

    consents = Counter(p.consent_obtained for p in people if p.role is PersonRole.THIRD_PARTY)
    assert consents[True] and consents[False], "some third parties consented to disclosure, some refused"

    nhs_numbers = [p.nhs_number for p in people if p.nhs_number]
    assert len(nhs_numbers) >= 40
    assert all(nhs_number_valid(n) and n.startswith("999") for n in nhs_numbers), "valid mod-11, in the test range"
    ni_numbers = [p.ni_number for p in people if p.ni_number]
    assert ni_numbers and all(ni_number_valid(n) for n in ni_numbers)
    phones = [phone for p in people for phone in p.phones]
    assert phones and all(DRAMA_PHONE.match(phone) for phone in phones), [x for x in phones if not DRAMA_PHONE.match(x)]
    emails = [email for p in people for email in p.emails]
    assert emails and all(email.endswith("@example.org") for email in emails)
    subjects = [p for p in people if p.role is PersonRole.DATA_SUBJECT]
    assert all(p.addresses and re.search(r"ZX\d \d[A-Z]{2}$", p.addresses[0]) for p in subjects)
    children = [p for p in subjects if p.date_of_birth and (TODAY - p.date_of_birth).days < 16 * 365]
    assert children and all(p.ni_number is None for p in children), "children under 16 have no NI number"


def test_each_register_exports_in_the_people_json_format_the_redaction_stage_reads(seeded: str) -> None:
    from sar.cases.export import people_register

    for case in _cases():
        register = people_register(case)
        subject = register["subject"]
        assert subject["id"] == "S" and subject["name"]
        assert re.fullmatch(r"999 \d{3} \d{4}", subject["nhs_number"])
        assert subject["ni_number"] is None or ni_number_valid(subject["ni_number"])
        ids = [person["id"] for person in register["people"]]
        assert len(set(ids)) == len(ids)
        for person in register["people"]:
            assert person["role"] in ("third_party", "professional", "requester")
            assert person["name"] and person["relationship"], person


def test_seeding_is_audited_and_the_chain_verifies(seeded: str) -> None:
    events = db.session.scalar(select(func.count()).select_from(audit.AuditEvent)) or 0
    assert events > 200
    actions = set(db.session.scalars(select(audit.AuditEvent.action).distinct()))
    # No demo story can reopen a case until a disclosure can be closed (issue 9: that needs the bundle stage).
    assert {
        "user_created",
        "case.created",
        "case.closed",
        "evidence.received",
        "case.status_derived",
        "case.withdrawal_recorded",
    } <= actions
    assert {"competence.recorded", "person.added", "person.updated", "clock.event_recorded"} <= actions
    checked, problem = audit.verify_chain()
    assert problem is None and checked == events


def test_a_released_bundle_is_ready_to_open_from_the_printed_link_and_password(seeded: str, demo_app: Flask) -> None:
    """A newcomer follows the printed link as the requester and opens the real, signed-off, gate-checked bundle."""
    import io

    from pypdf import PdfReader

    from sar.bundle.delivery.models import DeliveryLink
    from sar.bundle.models import Bundle, BundleStatus
    from sar.review import is_signed_off

    found = re.search(r"download link: http://127\.0\.0\.1:5000(/records/\S+)\n\s+PDF password:\s+(\S+)", seeded)
    assert found, "the demo prints a download link and its password"
    path, password = found.groups()
    [bundle] = db.session.scalars(select(Bundle).where(Bundle.status == BundleStatus.RELEASED)).all()
    case = db.session.get_one(Case, bundle.case_id)
    assert is_signed_off(case) and bundle.gate_passed is True and bundle.is_released
    assert case.reference in seeded
    link = db.session.scalars(select(DeliveryLink)).one()
    assert link.bundle_id == bundle.id and path.rsplit("/", 1)[1] not in link.token_hash

    client = demo_app.test_client()
    page = client.get(path)
    download = client.post(path)

    assert page.status_code == 200 and case.reference in page.get_data(as_text=True)
    assert download.status_code == 200
    reader = PdfReader(io.BytesIO(download.data))
    assert reader.is_encrypted and reader.decrypt(password)
    assert case.reference in (reader.pages[0].extract_text() or "")
    db.session.rollback()


def test_if_empty_makes_a_second_run_a_no_op(seeded: str, demo_app: Flask) -> None:
    cases_before = db.session.scalar(select(func.count()).select_from(Case))
    users_before = db.session.scalar(select(func.count()).select_from(User))
    result = demo_app.test_cli_runner().invoke(args=["seed-demo", "--if-empty"])
    assert result.exit_code == 0
    assert "already" in result.output
    assert "priya.raman@council.example" in result.output, "the demo sign-ins are shown again"
    assert "set-up link: http://127.0.0.1:5000/sign-in/enrol/" in result.output, "with fresh set-up links"
    assert db.session.scalar(select(func.count()).select_from(Case)) == cases_before
    assert db.session.scalar(select(func.count()).select_from(User)) == users_before


def test_without_if_empty_a_second_run_refuses_and_changes_nothing(seeded: str, demo_app: Flask) -> None:
    cases_before = db.session.scalar(select(func.count()).select_from(Case))
    result = demo_app.test_cli_runner().invoke(args=["seed-demo"])
    assert result.exit_code != 0
    assert "already has staff accounts" in result.output
    assert db.session.scalar(select(func.count()).select_from(Case)) == cases_before


def test_the_stories_are_the_same_every_time() -> None:
    def snapshot(seed: int) -> list[tuple[str, str, object, int]]:
        stories = all_stories(PeopleFactory(random.Random(seed), TODAY))
        return [(s.key, s.subject.full_name, s.subject.nhs_number, s.received_days_ago) for s in stories]

    assert snapshot(7) == snapshot(7)
    assert snapshot(7) != snapshot(8)


def test_review_has_a_case_at_every_step_with_documents_partly_reviewed(seeded: str) -> None:
    from sar.review.models import CaseReview, ReviewFinding, SignOffState
    from sar.review.models import Outcome as Decision

    by_status = {case.status: case for case in _cases()}
    partly = by_status[CaseStatus.IN_REVIEW]
    decisions = Counter(db.session.scalars(select(ReviewFinding.outcome).where(ReviewFinding.case_id == partly.id)))
    assert decisions[Decision.PENDING] and (decisions[Decision.REDACT] or decisions[Decision.KEEP])
    signed = db.session.get_one(CaseReview, by_status[CaseStatus.READY_TO_SEND].id)
    assert signed.state is SignOffState.SIGNED_OFF and signed.signed_off_by_id != signed.ready_by_id
    returned = db.session.get_one(CaseReview, by_status[CaseStatus.RETURNED].id)
    assert returned.comments
    assert db.session.get_one(CaseReview, by_status[CaseStatus.AWAITING_SIGN_OFF].id).state is SignOffState.READY


def test_no_signed_off_demo_case_redacts_its_subjects_own_name(seeded: str) -> None:
    """Each signed-off case's bundle must pass the release gate, which keeps the subject's names."""
    from sar.review.models import CaseReview, ReviewFinding, SignOffState
    from sar.review.models import Outcome as Decision

    signed = db.session.scalars(select(CaseReview).where(CaseReview.state == SignOffState.SIGNED_OFF)).all()
    assert len(signed) >= 2  # review's example and the case taken on to a released bundle
    for review in signed:
        subject = db.session.get_one(Case, review.case_id).subject
        assert subject is not None
        redacted = set(
            db.session.scalars(
                select(ReviewFinding.text).where(
                    ReviewFinding.case_id == review.case_id, ReviewFinding.outcome == Decision.REDACT
                )
            )
        )
        assert not redacted & set(subject.full_name.split())
