"""Search tasks: commissioned in one step, seen only by their record holders, answered with files or a search
statement; upload links for providers; the chase ladder by email through a real SMTP server."""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Iterator
from datetime import date, timedelta
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select
from support import SmtpServer, error_messages, normalize_spaces, page, sign_in_as
from werkzeug.datastructures import MultiDict

from sar.audit import AuditEvent
from sar.auth.models import Role, Team, User
from sar.cases.models import Case
from sar.clock.models import CaseClock
from sar.db import utcnow
from sar.extensions import db
from sar.sources import tasks
from sar.sources.models import Document, SearchTask, TaskStatus, TeamContact, UploadLink
from tests.integration.sources.conftest import LETTER, make_pdf

TODAY = date(2026, 11, 5)  # a Thursday; the case below was received on Monday 2 November


@pytest.fixture
def world(
    app: Flask,
    make_case: Callable[..., Case],
    make_team: Callable[..., Team],
    make_user: Callable[..., User],
    pin_today: Callable[[date], None],
) -> dict[str, Any]:
    pin_today(TODAY)
    csc = make_team("Children's Social Care")
    early_help = make_team("Early Help")
    barnardos = make_team("Barnardo's children's centres")
    owner = make_user(Role.IG_OFFICER, email="owner@council.example")
    case = make_case(date(2026, 11, 2), owner=owner)
    other_case = make_case(date(2026, 11, 3))
    world = {
        "case": case,
        "other_case": other_case,
        "csc": csc,
        "early_help": early_help,
        "barnardos": barnardos,
        "owner": owner,
        "alice": make_user(Role.RECORD_HOLDER, email="alice@council.example", team=csc, full_name="Alice Adams"),
        "bob": make_user(Role.RECORD_HOLDER, email="bob@council.example", team=early_help, full_name="Bob Brown"),
        "carol": make_user(Role.RECORD_HOLDER, email="carol@council.example", team=csc, full_name="Carol Cole"),
    }
    db.session.commit()
    return world


def commission(
    world: dict[str, Any], *teams: Team, assignee: User | None = None, case: Case | None = None, due: date | None = None
) -> list[SearchTask]:
    made = tasks.commission(
        case or world["case"],
        tasks.Commission(
            teams=teams,
            instructions="All case notes and emails about the family",
            search_terms="",
            due_date=due or date(2026, 11, 20),
            assignee=assignee,
        ),
        by=world["owner"],
    )
    db.session.commit()
    return made


def _date(prefix: str, d: date) -> list[tuple[str, str]]:
    return [(prefix, str(d.day)), (prefix, str(d.month)), (prefix, str(d.year))]


def test_an_officer_commissions_searches_from_several_teams_in_one_step(
    app: Flask, world: dict[str, Any], client_as: Callable[..., FlaskClient]
) -> None:
    officer = sign_in_as(app.test_client(), world["owner"])
    case = world["case"]
    form = officer.get(f"/cases/{case.id}/tasks/new").get_data(as_text=True)
    clock = db.session.get(CaseClock, case.id)
    assert clock is not None
    expected_due = tasks.default_due_date(case)
    assert expected_due < clock.internal_target <= clock.due_date
    assert f'value="{expected_due.day}"' in form

    data = [
        ("teams", str(world["csc"].id)),
        ("teams", str(world["early_help"].id)),
        ("instructions", "Every record about the family since 2015"),
        ("search_terms", "14 Elm Road"),
        ("assignee", str(world["bob"].id)),
        *_date("due_date", expected_due),
    ]
    response = officer.post(f"/cases/{case.id}/tasks/new", data=MultiDict(data))
    assert response.status_code == 302
    made = {t.team_id: t for t in tasks.tasks_of_case(case.id)}
    assert set(made) == {world["csc"].id, world["early_help"].id}
    assert made[world["csc"].id].assignee_id is None  # Bob is not in social care: that task goes to its inbox
    assert made[world["early_help"].id].assignee_id == world["bob"].id
    assert all(t.due_date == expected_due and t.search_terms == "14 Elm Road" for t in made.values())

    late = [*data[:-3], *_date("due_date", clock.due_date + timedelta(days=1))]
    refused = officer.post(f"/cases/{case.id}/tasks/new", data=MultiDict(late))
    assert refused.status_code == 422
    assert "on or before the statutory due date" in refused.get_data(as_text=True)
    none = officer.post(
        f"/cases/{case.id}/tasks/new", data=MultiDict([("instructions", "x"), *_date("due_date", expected_due)])
    )
    assert none.status_code == 422 and "Select at least one team or provider" in none.get_data(as_text=True)


def test_record_holders_see_only_their_own_tasks_and_nothing_else_of_the_case(
    app: Flask, world: dict[str, Any]
) -> None:
    inbox_task = commission(world, world["csc"])[0]  # the social care inbox: Alice and Carol
    bobs_task = commission(world, world["early_help"], assignee=world["bob"])[0]
    alice = sign_in_as(app.test_client(), world["alice"])
    bob = sign_in_as(app.test_client(), world["bob"])

    assert f"/tasks/{inbox_task.id}" in alice.get("/tasks").get_data(as_text=True)
    assert f"/tasks/{bobs_task.id}" not in alice.get("/tasks").get_data(as_text=True)
    assert alice.get(f"/tasks/{inbox_task.id}").status_code == 200
    for url in (f"/tasks/{bobs_task.id}", f"/tasks/{bobs_task.id}/no-records"):
        assert alice.get(url).status_code == 404, url
    upload = alice.post(
        f"/tasks/{bobs_task.id}/files",
        data={"files": [(io.BytesIO(b"x"), "a.txt")]},
        content_type="multipart/form-data",
    )
    assert upload.status_code == 404
    assert bob.get(f"/tasks/{inbox_task.id}").status_code == 404
    case_id = world["case"].id
    for url in (f"/cases/{case_id}", f"/cases/{case_id}/documents", f"/cases/{case_id}/tasks", "/cases"):
        assert alice.get(url).status_code == 403, url
    page = alice.get(f"/tasks/{inbox_task.id}").get_data(as_text=True)
    assert "All case notes and emails about the family" in page
    home = alice.get("/").get_data(as_text=True)
    assert "You have 1 open search task" in home and "My tasks" in home
    viewed = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "task.viewed")).all()
    assert {(e.actor_id, e.object_id) for e in viewed} == {(world["alice"].id, str(inbox_task.id))}


def test_a_record_holder_sends_files_that_become_documents_of_the_case(
    app: Flask, world: dict[str, Any], run_jobs: Callable[[], None]
) -> None:
    task = commission(world, world["csc"])[0]
    alice = sign_in_as(app.test_client(), world["alice"])
    response = alice.post(
        f"/tasks/{task.id}/files",
        data={"files": [(io.BytesIO(make_pdf(LETTER)), "letter.pdf"), (io.BytesIO(b"Case note text"), "note.txt")]},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    run_jobs()
    documents = db.session.scalars(select(Document).where(Document.task_id == task.id)).all()
    assert sorted(d.original_name for d in documents) == ["letter.pdf", "note.txt"]
    assert {d.source for d in documents} == {"Children's Social Care"}
    assert all(d.case_id == world["case"].id and d.page_count == 1 for d in documents)
    assert db.session.get(SearchTask, task.id).status is TaskStatus.RECORDS_SUPPLIED  # type: ignore[union-attr]
    empty = page(alice.post(f"/tasks/{task.id}/files", data={}, content_type="multipart/form-data"), 422)
    assert error_messages(empty) == ["Select one or more files"]
    assert [a["href"] for a in empty.select(".govuk-error-summary__list a")] == ["#files"]  # the summary leads to it

    # A search the officer cancelled takes nothing more, and says so instead of failing.
    tasks.cancel(task, by=world["owner"])
    db.session.commit()
    late = alice.post(
        f"/tasks/{task.id}/files",
        data={"files": [(io.BytesIO(b"Late note"), "late.txt")]},
        content_type="multipart/form-data",
    )
    assert error_messages(page(late, 422)) == ["This search is finished: nothing more can be sent for it."]
    assert db.session.scalar(select(func.count(Document.id)).where(Document.task_id == task.id)) == 2


def test_no_records_held_keeps_a_search_statement_as_evidence_for_the_case(app: Flask, world: dict[str, Any]) -> None:
    task = commission(world, world["early_help"], assignee=world["bob"])[0]
    bob = sign_in_as(app.test_client(), world["bob"])
    form = bob.get(f"/tasks/{task.id}/no-records").get_data(as_text=True)
    assert "Bob Brown" in form
    empty = bob.post(f"/tasks/{task.id}/no-records", data={})
    assert empty.status_code == 422 and "Enter the systems and places searched" in empty.get_data(as_text=True)
    response = bob.post(
        f"/tasks/{task.id}/no-records",
        data=MultiDict(
            [
                ("systems_searched", "EHM case system; team shared drive"),
                ("terms_used", "Name, date of birth"),
                ("searched_by", "Bob Brown"),
                *_date("searched_on", TODAY),
            ]
        ),
    )
    assert response.status_code == 302
    officer = sign_in_as(app.test_client(), world["owner"])
    page = officer.get(f"/cases/{world['case'].id}/tasks").get_data(as_text=True)
    assert "EHM case system; team shared drive" in page and "No records held" in page
    case_page = officer.get(f"/cases/{world['case'].id}").get_data(as_text=True)
    assert "1 hold no records" in case_page


def _make_link(app: Flask, world: dict[str, Any], task: SearchTask) -> str:
    officer = sign_in_as(app.test_client(), world["owner"])
    page = officer.post(f"/cases/{task.case_id}/tasks/{task.id}/links", data={"recipient": "DP lead, Barnardo's"})
    assert page.status_code == 200
    match = re.search(r'value="(http://[^"]+/upload/[^"]+)"', page.get_data(as_text=True))
    assert match is not None
    return match.group(1).split("localhost", 1)[1]


def test_an_upload_link_works_once_for_its_task_only_and_every_use_is_audited(
    app: Flask, world: dict[str, Any]
) -> None:
    task = commission(world, world["barnardos"])[0]
    other = commission(world, world["barnardos"], case=world["other_case"])[0]
    path = _make_link(app, world, task)
    assert db.session.scalar(select(UploadLink.token_hash)) not in path  # only the hash is stored

    visitor = app.test_client()
    page = visitor.get(path)
    assert page.status_code == 200 and "All case notes and emails about the family" in page.get_data(as_text=True)
    assert "Test Officer" not in page.get_data(as_text=True)
    sent = visitor.post(
        path,
        data={"sender": "Jan, Barnardo's", "files": [(io.BytesIO(b"Centre log"), "log.txt")]},
        content_type="multipart/form-data",
    )
    assert sent.status_code == 200 and "Files sent" in sent.get_data(as_text=True)
    docs = db.session.scalars(select(Document)).all()
    assert [(d.task_id, d.case_id, d.added_by_label) for d in docs] == [
        (task.id, task.case_id, f"Jan, Barnardo's (upload link {db.session.scalar(select(UploadLink.id))})")
    ]
    assert other.id != task.id and not db.session.scalars(select(Document).where(Document.task_id == other.id)).all()

    again = visitor.post(
        path, data={"sender": "Jan", "files": [(io.BytesIO(b"More"), "more.txt")]}, content_type="multipart/form-data"
    )
    assert again.status_code == 404 and "cannot be used" in again.get_data(as_text=True)
    assert visitor.get(path).status_code == 404
    actions = [
        e.action
        for e in db.session.scalars(select(AuditEvent).order_by(AuditEvent.id))
        if e.action.startswith("upload_link.")
    ]
    assert actions == [
        "upload_link.created",
        "upload_link.opened",
        "upload_link.used",
        "upload_link.refused",
        "upload_link.refused",
    ]


def test_an_expired_or_revoked_link_is_refused(app: Flask, world: dict[str, Any]) -> None:
    task = commission(world, world["barnardos"])[0]
    expired_path = _make_link(app, world, task)
    revoked_path = _make_link(app, world, task)
    first, second = db.session.scalars(select(UploadLink).order_by(UploadLink.id)).all()
    first.expires_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    officer = sign_in_as(app.test_client(), world["owner"])
    assert officer.post(f"/cases/{task.case_id}/tasks/{task.id}/links/{second.id}/revoke").status_code == 302
    visitor = app.test_client()
    assert visitor.get(expired_path).status_code == 404
    assert visitor.get(revoked_path).status_code == 404
    # A link of this task cannot be revoked through another case's address.
    other = world["other_case"]
    assert officer.post(f"/cases/{other.id}/tasks/{task.id}/links/{first.id}/revoke").status_code == 404


def test_guessing_upload_links_is_rate_limited(app: Flask, world: dict[str, Any]) -> None:
    app.config["UPLOAD_LINK_RATE_LIMIT"] = 3
    visitor = app.test_client()
    assert [visitor.get(f"/upload/guess{n}").status_code for n in range(4)] == [404, 404, 404, 429]
    assert db.session.scalar(select(func.count()).where(AuditEvent.action == "upload_link.refused")) == 3


# --- the chase ladder -----------------------------------------------------------------------------------------


@pytest.fixture
def smtp(app: Flask) -> Iterator[SmtpServer]:
    server = SmtpServer(app)
    server.start()
    yield server
    server.stop()


def chase(app: Flask, day: date) -> str:
    result = app.test_cli_runner().invoke(args=["chase-searches", "--date", day.isoformat()])
    assert result.exit_code == 0, result.output
    return result.output


def test_the_chase_ladder_reminds_chases_and_escalates_by_email(
    app: Flask, world: dict[str, Any], smtp: SmtpServer
) -> None:
    db.session.add(TeamContact(team_id=world["early_help"].id, manager_email="eh.manager@council.example"))
    task = commission(world, world["early_help"], assignee=world["bob"], due=date(2026, 11, 20))[0]
    reference = world["case"].reference

    assert "0 reminders" in chase(app, date(2026, 11, 16))  # Monday: 4 working days before it is due
    assert "1 reminders" in chase(app, date(2026, 11, 18))  # Wednesday: 2 working days before
    assert "0 reminders" in chase(app, date(2026, 11, 19))  # reminded once only
    assert [m["Subject"] for m in smtp.inbox.to("bob@council.example")] == ["Search due Friday 20 November 2026"]

    assert "1 chases" in chase(app, date(2026, 11, 23))  # overdue on Monday: first chase
    assert "0 chases" in chase(app, date(2026, 11, 26))  # only 3 working days later
    output = chase(app, date(2026, 11, 27))  # 4 working days after the first chase: second chase and escalation
    assert "1 chases" in output and "1 escalations" in output
    assert "0 chases" in chase(app, date(2026, 11, 27))  # the same day again sends nothing twice

    to_bob = [str(m["Subject"]) for m in smtp.inbox.to("bob@council.example")]
    assert to_bob.count(f"OVERDUE search {task.id} ({reference})") == 2
    escalation = smtp.inbox.to("eh.manager@council.example")
    assert [str(m["Subject"]) for m in escalation] == [f"Escalated: overdue search {task.id} ({reference})"]
    assert "chased 2 times" in escalation[0].get_payload()
    assert "Ayesha" not in escalation[0].get_payload()

    db.session.expire_all()
    stored = db.session.get(SearchTask, task.id)
    assert stored is not None and stored.chase_count == 2 and stored.escalated_on == date(2026, 11, 27)
    # Overdue searches show on the deadline dashboard.
    app.config["CLOCK_TODAY"] = date(2026, 11, 27)
    dashboard = sign_in_as(app.test_client(), world["owner"]).get("/deadlines").get_data(as_text=True)
    assert "Overdue searches" in dashboard and "Early Help" in dashboard
    # And on the record holder's home page.
    home = page(sign_in_as(app.test_client(), world["bob"]).get("/"))
    assert "You have 1 open search task, 1 overdue." in normalize_spaces(home.select_one("main").get_text())


def test_the_upload_link_and_the_requesters_download_page_are_the_only_public_routes_besides_sign_in(
    app: Flask,
) -> None:
    public = {
        endpoint
        for endpoint, view in app.view_functions.items()
        if getattr(view, "is_public", False) and not endpoint.startswith("auth.")
    }
    assert public == {"web.healthz", "upload_link.upload", "records.collect"}
