"""Recording clock events through the clock page, and the stored clock rebuilt from the full history."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select
from support import error_links, error_messages, field_error, get_page, page, summary_rows, text_of
from werkzeug.datastructures import MultiDict

from sar import audit
from sar.audit import SYSTEM, AuditEvent, SystemActor
from sar.auth.models import Role
from sar.cases import service as intake
from sar.cases.models import CaseStatus, EvidenceItem, EvidenceKind, Right
from sar.cases.signals import case_changed
from sar.clock import service
from sar.clock.models import CaseClock, ClockEvent, ClockStatus, EventKind
from sar.extensions import db


def stored(case_id: int) -> CaseClock:
    db.session.expire_all()
    clock = db.session.get(CaseClock, case_id)
    assert clock is not None
    return clock


@pytest.fixture
def record(date_fields):
    def post(client, case, kind: str, on: date, note: str = ""):
        data = MultiDict([("event-kind", kind), *date_fields("event", "event_date", on), ("event-note", note)])
        return client.post(f"/cases/{case.id}/clock/events", data=data)

    return post


@pytest.fixture
def extend(date_fields):
    def post(client, case, decided: date, notice: date, reasons: str = "Complex: records held by five teams"):
        data = MultiDict(
            [
                *date_fields("extension", "decided_on", decided),
                ("extension-reasons", reasons),
                *date_fields("extension", "notice_date", notice),
            ]
        )
        return client.post(f"/cases/{case.id}/clock/extension", data=data)

    return post


def _ask_for_id(case, on: date) -> EvidenceItem:
    item = intake.record_evidence_request(
        case, intake.EvidenceRequest(kind=EvidenceKind.IDENTITY, requested_on=on), by=case.logged_by
    )
    db.session.commit()
    return item


def test_identity_events_recorded_before_issue_9_still_count(make_case, pin_today):
    """Older cases may hold proof-of-identity events on the clock: the clock and the status both still read them."""
    pin_today(date(2026, 1, 25))
    case = make_case(date(2026, 1, 5))
    db.session.add(ClockEvent(case_id=case.id, kind=EventKind.ID_REQUESTED, event_date=date(2026, 1, 6)))
    db.session.flush()
    from sar.cases import status

    status.refresh(case, reason="test", by=SystemActor("test"))
    assert case.status is CaseStatus.AWAITING_ID


def recalculations(case_id: int) -> list[AuditEvent]:
    return list(
        db.session.scalars(
            select(AuditEvent)
            .where(AuditEvent.case_id == case_id, AuditEvent.action == "clock.recalculated")
            .order_by(AuditEvent.id)
        )
    )


def test_logging_a_case_stores_its_first_due_date(make_case):
    case = make_case(date(2025, 11, 25))  # vector 4: 25 and 26 Dec are bank holidays
    clock = stored(case.id)
    assert (clock.start_date, clock.raw_due_date, clock.due_date) == (
        date(2025, 11, 25),
        date(2025, 12, 25),
        date(2025, 12, 29),
    )
    assert clock.status is ClockStatus.RUNNING
    [first] = recalculations(case.id)
    assert first.before is None
    assert first.after["due_date"] == "2025-12-29"


def test_vector_16_id_received_moves_the_start(make_case, client_as, record, pin_today):
    pin_today(date(2026, 1, 25))
    case = make_case(date(2026, 1, 5))
    # Proof of identity is recorded once, in intake's evidence (issue 9); the clock reads its dates from there.
    item = _ask_for_id(case, date(2026, 1, 6))
    assert stored(case.id).status is ClockStatus.AWAITING_ID
    assert case.status is CaseStatus.AWAITING_ID
    intake.record_evidence_receipt(item, date(2026, 1, 20), "Passport", by=case.logged_by)
    db.session.commit()
    assert case.status is CaseStatus.RECEIVED
    clock = stored(case.id)
    assert (clock.start_date, clock.due_date) == (date(2026, 1, 20), date(2026, 2, 20))
    assert clock.status is ClockStatus.RUNNING
    change = recalculations(case.id)[-1]
    assert change.before["due_date"] == "2026-02-05"
    assert change.after["due_date"] == "2026-02-20"
    assert "identity evidence received" in change.summary
    assert "05 Feb 2026" in change.summary and "20 Feb 2026" in change.summary


def test_vector_17_and_19_pause_then_extension(make_case, client_as, record, extend, pin_today):
    pin_today(date(2026, 3, 25))
    case = make_case(date(2026, 3, 2))
    client = client_as(Role.DPO)
    record(client, case, "clarification_asked", date(2026, 3, 4))
    clock = stored(case.id)
    assert clock.status is ClockStatus.PAUSED and clock.paused_since == date(2026, 3, 4)
    rows = summary_rows(get_page(client, f"/cases/{case.id}/clock"))
    # Paused 4 to 25 March inclusive (22 days) if answered today: 2 Apr + 22 = 24 Apr.
    assert rows["Paused since"] == "Wed 4 Mar 2026 If the answer arrives today the due date becomes Fri 24 Apr 2026"
    record(client, case, "clarification_answered", date(2026, 3, 11))
    clock = stored(case.id)
    assert (clock.raw_due_date, clock.due_date, clock.excluded_days) == (date(2026, 4, 10), date(2026, 4, 10), 8)
    assert clock.notice_deadline == date(2026, 4, 10)
    response = extend(client, case, date(2026, 3, 20), date(2026, 3, 20))
    assert response.status_code == 302
    clock = stored(case.id)
    assert clock.extended and clock.due_date == date(2026, 6, 10)  # vector 19
    event = db.session.scalar(select(ClockEvent).where(ClockEvent.kind == EventKind.EXTENSION_DECIDED))
    assert event.reasons == "Complex: records held by five teams" and event.notice_date == date(2026, 3, 20)


def test_extension_notice_after_the_deadline_is_refused_with_the_reason(make_case, client_as, extend, pin_today):
    pin_today(date(2026, 2, 20))
    case = make_case(date(2026, 1, 5))  # notice deadline Thu 5 Feb 2026
    response = extend(client_as(Role.IG_OFFICER), case, date(2026, 2, 10), date(2026, 2, 10))
    [message] = error_messages(page(response, 422))
    assert "cannot be extended" in message and "the last day to send it was Thu 5 Feb 2026" in message
    clock = stored(case.id)
    assert not clock.extended and clock.due_date == date(2026, 2, 5)
    assert db.session.scalar(select(ClockEvent)) is None


def test_extension_needs_reasons_and_only_once(make_case, client_as, extend, pin_today):
    pin_today(date(2026, 1, 20))
    case = make_case(date(2026, 1, 5))
    client = client_as(Role.IG_OFFICER)
    response = extend(client, case, date(2026, 1, 19), date(2026, 1, 19), reasons="  ")
    assert error_messages(page(response, 422)) == [
        "Enter the reasons for the extension (the complexity or number of the person's requests). "
        "The notice must state them."
    ]
    assert extend(client, case, date(2026, 1, 19), date(2026, 1, 19)).status_code == 302
    assert stored(case.id).due_date == date(2026, 4, 7)  # 5 Apr 2026 is Easter Sunday, 6 Apr Easter Monday
    again = extend(client, case, date(2026, 1, 20), date(2026, 1, 20))
    [message] = error_messages(page(again, 422))
    assert "already been extended" in message


def test_other_rights_have_no_clarification_pause(make_case, client_as, record, extend, pin_today):
    pin_today(date(2026, 3, 20))
    case = make_case(date(2026, 3, 2), rights=(Right.ERASURE,))
    client = client_as(Role.IG_OFFICER)
    response = record(client, case, "clarification_asked", date(2026, 3, 4))
    [message] = error_messages(page(response, 422))
    assert "only be paused for clarification on a subject access request" in message
    clock = stored(case.id)
    assert clock.due_date == date(2026, 4, 2) and clock.status is ClockStatus.RUNNING
    # ...but the same month and extension apply.
    assert extend(client, case, date(2026, 3, 20), date(2026, 3, 20)).status_code == 302
    assert stored(case.id).due_date == date(2026, 6, 2)


def test_an_erasure_case_ignores_pauses_in_its_history(make_case, app):
    """If rights change from access to erasure after a pause, recalculation drops the pause."""
    case = make_case(date(2026, 3, 2))
    db.session.add_all(
        [
            ClockEvent(case_id=case.id, kind=EventKind.CLARIFICATION_ASKED, event_date=date(2026, 3, 4)),
            ClockEvent(case_id=case.id, kind=EventKind.CLARIFICATION_ANSWERED, event_date=date(2026, 3, 11)),
        ]
    )
    case_changed.send(case, reason="events loaded", by=SYSTEM)
    assert stored(case.id).due_date == date(2026, 4, 10)
    case.rights[0].right = Right.ERASURE
    db.session.flush()
    db.session.expire(case, ["rights"])
    case_changed.send(case, reason="rights changed", by=SYSTEM)
    assert stored(case.id).due_date == date(2026, 4, 2)


@pytest.mark.parametrize(
    ("kind", "on", "message"),
    [
        ("clarification_answered", date(2026, 3, 10), "no open request for clarification"),
        ("fee_requested", date(2026, 2, 27), "before the request was received"),
        ("fee_paid", date(2026, 4, 1), "cannot be in the future"),
        ("clarification_asked", date(2206, 3, 3), "cannot be in the future"),
        # Facts with one home elsewhere (issue 9: one action records one fact, in one place).
        ("id_received", date(2026, 3, 10), "evidence section"),
        ("authority_requested", date(2026, 3, 10), "evidence section"),
        ("case_reopened", date(2026, 3, 10), "outcome on the case page"),
    ],
)
def test_bad_dates_are_refused_with_a_clear_message(make_case, client_as, record, pin_today, kind, on, message):
    pin_today(date(2026, 3, 20))
    case = make_case(date(2026, 3, 2))
    response = record(client_as(Role.IG_OFFICER), case, kind, on)
    [shown] = error_messages(page(response, 422))
    assert message in shown
    assert db.session.scalar(select(ClockEvent)) is None


def test_pause_answered_before_it_was_asked_is_refused(make_case, client_as, record, pin_today):
    pin_today(date(2026, 3, 20))
    case = make_case(date(2026, 3, 2))
    client = client_as(Role.IG_OFFICER)
    record(client, case, "clarification_asked", date(2026, 3, 10))
    response = record(client, case, "clarification_answered", date(2026, 3, 5))
    [message] = error_messages(page(response, 422))
    assert "cannot be answered (5 March 2026) before it was asked (10 March 2026)" in message
    assert stored(case.id).status is ClockStatus.PAUSED


def test_missing_or_impossible_date_is_refused(make_case, client_as, pin_today):
    pin_today(date(2026, 3, 20))
    case = make_case(date(2026, 3, 2))
    data = MultiDict(
        [
            ("event-kind", "fee_paid"),
            ("event-event_date", "31"),
            ("event-event_date", "2"),
            ("event-event_date", "2026"),
        ]
    )
    response = client_as(Role.IG_OFFICER).post(f"/cases/{case.id}/clock/events", data=data)
    html = page(response, 422)
    # The one date input of the form kit, with its GOV.UK message (issue 8: one date-input style).
    assert error_links(html) == {"The date it happened must be a real date": "#event-event_date-day"}
    assert field_error(html, "event-event_date") == "The date it happened must be a real date"


def test_voiding_an_event_recalculates_and_keeps_it_on_the_timeline(make_case, client_as, record, pin_today):
    pin_today(date(2026, 1, 25))
    case = make_case(date(2026, 1, 5))
    client = client_as(Role.IG_OFFICER)
    record(client, case, "fee_requested", date(2026, 1, 6))
    record(client, case, "fee_paid", date(2026, 1, 20))
    assert case.status is CaseStatus.RECEIVED
    event = db.session.scalar(select(ClockEvent).where(ClockEvent.kind == EventKind.FEE_PAID))
    url = f"/cases/{case.id}/clock/events/{event.id}/void"
    assert client.get(url).status_code == 200
    refused = client.post(url, data={"void-reason": ""})
    assert refused.status_code == 422
    response = client.post(url, data={"void-reason": "Entered on the wrong case"})
    assert response.status_code == 302
    clock = stored(case.id)
    assert clock.status is ClockStatus.AWAITING_FEE and clock.due_date == date(2026, 2, 5)
    assert case.status is CaseStatus.AWAITING_FEE  # the derived status follows the voided fact too
    [voided] = [
        item for item in get_page(client, f"/cases/{case.id}/clock").select(".sar-timeline li") if item.find("del")
    ]
    assert text_of(voided.find("del")) == "Tue 20 Jan 2026 : Fee paid"
    assert "Marked as a mistake" in text_of(voided) and "Why it was a mistake: Entered on the wrong case" in text_of(
        voided
    )
    actions = list(db.session.scalars(select(AuditEvent.action).where(AuditEvent.case_id == case.id)))
    assert "clock.event_voided" in actions


def test_intake_evidence_dates_feed_the_clock(make_case):
    case = make_case(date(2026, 1, 5))
    item = EvidenceItem(case_id=case.id, kind=EvidenceKind.PARENTAL_RESPONSIBILITY, requested_on=date(2026, 1, 6))
    db.session.add(item)
    case_changed.send(case, reason="parental_responsibility evidence recorded", by=SYSTEM)
    assert stored(case.id).status is ClockStatus.AWAITING_AUTHORITY
    item.received_on = date(2026, 1, 20)
    case_changed.send(case, reason="parental_responsibility evidence received", by=SYSTEM)
    clock = stored(case.id)
    assert clock.status is ClockStatus.RUNNING
    assert (clock.start_date, clock.due_date) == (date(2026, 1, 20), date(2026, 2, 20))


def test_closing_in_intake_closes_the_clock(make_case, pin_today):
    from datetime import UTC, datetime

    case = make_case(date(2026, 1, 5))
    case.status = CaseStatus.CLOSED
    case.closed_at = datetime(2026, 2, 3, 23, 30, tzinfo=UTC)  # 3 Feb in London (GMT)
    case_changed.send(case, reason="case closed", by=SYSTEM)
    clock = stored(case.id)
    assert clock.status is ClockStatus.CLOSED and clock.closed_on == date(2026, 2, 3)
    assert clock.answered_on_time is True and clock.response_days == 29


# One client per test: the fixtures keep one app context for the whole test, so Flask-Login's cached user (on g)
# would leak from one signed-in client to the next.
@pytest.mark.parametrize("role", [Role.RECORD_HOLDER, Role.ADMIN])
def test_roles_without_case_access_get_403(make_case, client_as, record, pin_today, role):
    pin_today(date(2026, 3, 20))
    case = make_case(date(2026, 3, 2))
    client = client_as(role)
    assert client.get(f"/cases/{case.id}/clock").status_code == 403
    assert record(client, case, "fee_requested", date(2026, 3, 3)).status_code == 403
    assert db.session.scalar(select(ClockEvent)) is None


def test_auditor_reads_but_cannot_record(make_case, client_as, record, extend, pin_today):
    pin_today(date(2026, 3, 20))
    case = make_case(date(2026, 3, 2))
    auditor = client_as(Role.AUDITOR)
    html = get_page(auditor, f"/cases/{case.id}/clock")
    assert "Record a clock event" not in [text_of(h2) for h2 in html.select("h2")]
    assert html.select("main form") == []
    assert record(auditor, case, "fee_requested", date(2026, 3, 3)).status_code == 403
    assert extend(auditor, case, date(2026, 3, 3), date(2026, 3, 3)).status_code == 403
    assert db.session.scalar(select(ClockEvent)) is None


def test_deadline_panel_on_the_case_page(make_case, client_as, record, pin_today, app):
    pin_today(date(2026, 1, 25))
    case = make_case(date(2026, 1, 5))
    client = client_as(Role.IG_OFFICER)
    _ask_for_id(case, date(2026, 1, 6))
    html = get_page(client, f"/cases/{case.id}")
    panel = html.find("section", attrs={"aria-labelledby": "deadline-panel-heading"})
    assert text_of(panel.find("h2")) == "Deadline"
    rows = summary_rows(panel)
    assert rows["Clock"].startswith("Awaiting proof of identity")
    assert rows["Statutory due date"].startswith("Thu 5 Feb 2026")  # due date from receipt until the ID arrives
    # The next action, from the same fact.
    assert "proof of identity, then record its receipt" in text_of(html.select_one("main"))
    assert panel.find("a", href=f"/cases/{case.id}/clock") is not None
    assert panel.find("form", action=f"/cases/{case.id}/clock/events") is not None  # recorded from the case page


def test_recalculate_every_case_from_the_command_line(app, make_case, pin_today):
    pin_today(date(2026, 3, 25))
    access = make_case(date(2026, 3, 2))
    erasure = make_case(date(2026, 3, 2), rights=(Right.ERASURE,))
    waiting = make_case(date(2026, 1, 5))
    service.record_event(access, EventKind.CLARIFICATION_ASKED, date(2026, 3, 4), by=SYSTEM)
    service.record_event(access, EventKind.CLARIFICATION_ANSWERED, date(2026, 3, 11), by=SYSTEM)
    db.session.add(
        EvidenceItem(
            case_id=waiting.id, kind=EvidenceKind.IDENTITY, requested_on=date(2026, 1, 6), received_on=date(2026, 1, 20)
        )
    )
    db.session.commit()
    before = {c.id: stored(c.id).internal_target for c in (access, erasure, waiting)}
    audits_before = db.session.scalar(select(func.count()).select_from(AuditEvent))

    app.config["INTERNAL_TARGET_DAYS"] = 20
    result = app.test_cli_runner().invoke(args=["recalculate-clocks", "--reason", "internal target now 20 days"])
    assert result.exit_code == 0, result.output
    assert "3 cases recalculated" in result.output and "3 changed" in result.output
    after = {c.id: stored(c.id) for c in (access, erasure, waiting)}
    # Day 20 counting 2 Mar as day 1 is 21 Mar, plus 8 pause days = Sun 29 Mar, rolled back to Fri 27 Mar.
    assert after[access.id].internal_target == date(2026, 3, 27)
    assert after[erasure.id].internal_target == date(2026, 3, 20) < before[erasure.id]  # Sat 21 Mar, back to Fri
    # The bulk path reads intake's evidence too: ID arrived 20 Jan, so the wait is over and the start moved.
    assert after[waiting.id].status is ClockStatus.RUNNING and after[waiting.id].due_date == date(2026, 2, 20)
    new_audits = list(db.session.scalars(select(AuditEvent).where(AuditEvent.id > audits_before)))
    # Per case only where the due date or status moved (the waiting case); the target change is in the summary.
    assert [(a.action, a.case_id) for a in new_audits] == [
        ("clock.recalculated", waiting.id),
        ("clock.recalculated_all", None),
    ]
    assert new_audits[0].before["due_date"] == "2026-02-05" and new_audits[0].after["due_date"] == "2026-02-20"
    assert "3 cases, 3 changed, 1 with a new due date" in new_audits[1].summary
    assert all("internal target now 20 days" in a.summary for a in new_audits)
    assert audit.verify_chain()[1] is None  # the bulk writer extends the hash chain exactly as record() does

    # Same answer as the per-case path, and running it again changes nothing.
    for case in (access, erasure, waiting):
        service.recalculate(case, "check", by=SYSTEM)
    db.session.commit()
    again = app.test_cli_runner().invoke(args=["recalculate-clocks"])
    assert "0 changed" in again.output
