"""Daily reminders, delivered to a real SMTP server (aiosmtpd) listening on loopback: no mocks."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from email.message import Message

import pytest
from sqlalchemy import func, select
from support import SmtpServer

from sar import jobs
from sar.audit import SYSTEM
from sar.auth.models import Role
from sar.clock import service
from sar.clock.models import EventKind
from sar.extensions import db
from sar.mail import MailStatus, OutboxMessage

TODAY = date(2026, 3, 16)  # Monday


@pytest.fixture
def smtp(app) -> Iterator[SmtpServer]:
    server = SmtpServer(app)
    yield server
    server.stop()


@pytest.fixture
def cases(app, make_case, make_user, pin_today):
    pin_today(TODAY)
    owner = make_user(Role.IG_OFFICER, email="owner@council.example", full_name="Olive Owner")
    dpo = make_user(Role.DPO, email="dpo@council.example", full_name="Dee Pio")
    made = {
        "overdue": make_case(date(2026, 1, 5), owner=owner),  # due 5 Feb
        "due_soon": make_case(date(2026, 2, 18), owner=owner),  # due Wed 18 Mar, notice by 18 Mar
        "target": make_case(date(2026, 2, 20), owner=owner),  # target Thu 19 Mar (3 working days: not yet), due 20 Mar
        "unowned": make_case(date(2026, 2, 18)),  # due 18 Mar, nobody owns it: to the DPO
        "far": make_case(date(2026, 3, 16), owner=owner),  # due 16 Apr: nothing yet
        "paused": make_case(date(2026, 2, 18), owner=owner),
    }
    service.record_event(made["paused"], EventKind.CLARIFICATION_ASKED, date(2026, 3, 2), by=SYSTEM)
    db.session.commit()
    return {"owner": owner, "dpo": dpo, **made}


def send(app, day: date = TODAY):
    result = app.test_cli_runner().invoke(args=["send-reminders", "--date", day.isoformat()])
    assert result.exit_code == 0, result.output
    return result.output


def subjects(messages: list[Message]) -> list[str]:
    return sorted(str(m["Subject"]) for m in messages)


def test_reminders_go_to_owners_and_overdue_cases_to_the_dpo(app, smtp, cases):
    smtp.start()
    output = send(app)
    assert "0 failed" in output
    ref = {key: case.reference for key, case in cases.items() if key not in ("owner", "dpo")}
    assert subjects(smtp.inbox.to("owner@council.example")) == sorted(
        [
            f"Due Wednesday 18 March 2026: {ref['due_soon']}",
            f"Extension notice deadline: {ref['due_soon']}",
            f"Internal target near: {ref['due_soon']}",
            f"Due Friday 20 March 2026: {ref['target']}",
            f"Extension notice deadline: {ref['target']}",
        ]
    )
    to_dpo = subjects(smtp.inbox.to("dpo@council.example"))
    assert f"OVERDUE: {ref['overdue']}" in to_dpo
    assert f"Due Wednesday 18 March 2026: {ref['unowned']}" in to_dpo
    assert not any(ref["far"] in s or ref["paused"] in s for s in subjects(smtp.inbox.messages))
    overdue = next(m for m in smtp.inbox.messages if str(m["Subject"]).startswith("OVERDUE"))
    assert "39 calendar days ago" in overdue.get_payload()
    assert overdue["From"] == "sar@council.example"


def test_running_twice_on_one_day_sends_nothing_twice(app, smtp, cases):
    smtp.start()
    send(app)
    first = len(smtp.inbox.messages)
    assert first > 0
    output = send(app)
    assert "0 queued" in output and f"{first} already queued" in output
    assert len(smtp.inbox.messages) == first
    # The next day is a new day's reminders.
    send(app, date(2026, 3, 17))
    assert len(smtp.inbox.messages) > first


def test_server_down_keeps_reminders_queued_until_it_is_back(app, smtp, cases):
    output = send(app)  # nothing is listening on the port yet
    assert "0 sent" in output
    queued = list(db.session.scalars(select(OutboxMessage)))
    assert queued and all(m.status is MailStatus.QUEUED and m.attempts == 1 and m.last_error for m in queued)
    assert "ConnectionRefusedError" in queued[0].last_error

    smtp.start()
    output = send(app)  # the same day again: no new reminders, the queued ones go out
    assert f"{len(queued)} sent" in output
    db.session.expire_all()
    assert all(
        m.status is MailStatus.SENT and m.attempts == 2 and m.last_error is None
        for m in db.session.scalars(select(OutboxMessage))
    )
    assert len(smtp.inbox.messages) == len(queued)
    assert db.session.scalar(select(func.count()).select_from(OutboxMessage)) == len(queued)


def test_reminders_as_a_background_job(app, smtp, cases):
    smtp.start()
    jobs.enqueue("clock.send_reminders", {"date": TODAY.isoformat()})
    db.session.commit()
    result = jobs.run_worker(once=True)
    assert (result.succeeded, result.failed) == (1, 0)
    assert smtp.inbox.to("dpo@council.example")
    assert all(m.status is MailStatus.SENT for m in db.session.scalars(select(OutboxMessage)))
