"""Connectors: the case system database (on SQLite and PostgreSQL), a file share and an email export folder; a
broken source fails its own task while the others carry on; suspended connectors do not run."""

from __future__ import annotations

import mailbox
import shutil
import uuid
from collections.abc import Callable, Iterator
from datetime import date
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask
from sqlalchemy import select
from support import POSTGRES_ADMIN_URL, POSTGRES_AVAILABLE, error_messages, page, shared_dir, sign_in_as

from sar.auth.models import Role, Team, User
from sar.cases.models import Case
from sar.extensions import db
from sar.sources import demo_casesystem, ingest, runs, tasks
from sar.sources.connectors import Subject, source_for
from sar.sources.models import Connector, Document, DocumentStatus, SearchTask, TaskStatus
from tests.integration.sources.conftest import make_pdf

AYESHA = demo_casesystem.Child("Ayesha Khan", date(2009, 3, 14), "943 476 5919")
OTHER = demo_casesystem.Child("Liam Doyle", date(2011, 7, 2), None)


@pytest.fixture(params=["sqlite", "postgresql"] if POSTGRES_AVAILABLE else ["sqlite"])
def casesystem_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """The fictional case system on its own database, of each kind."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'casesystem.sqlite'}"
        demo_casesystem.build(url, [AYESHA, OTHER])
        yield url
        return
    schema = f"cs_{uuid.uuid4().hex[:10]}"
    admin = sa.create_engine(POSTGRES_ADMIN_URL)
    with admin.begin() as connection:
        connection.execute(sa.text(f"CREATE SCHEMA {schema}"))
    url = f"{POSTGRES_ADMIN_URL}?options=-csearch_path%3D{schema}"
    demo_casesystem.build(url, [AYESHA, OTHER])
    yield url
    with admin.begin() as connection:
        connection.execute(sa.text(f"DROP SCHEMA {schema} CASCADE"))
    admin.dispose()


def database_source(url: str) -> Any:
    return source_for("database", {"url": url, "queries": demo_casesystem.QUERIES})


def test_the_database_connector_finds_only_the_subjects_records_with_identifiers_bound_as_parameters(
    app: Flask, casesystem_url: str
) -> None:
    source = database_source(casesystem_url)
    assert "8 queries configured" in source.test_connection()
    rows = list(source.rows(Subject("Ayesha Khan", date_of_birth=date(2009, 3, 14))))
    titles = [query.title for query, _ in rows]
    assert titles.count("Case note") == 3 and {"Contact", "Assessment", "Plan", "Placement"} <= set(titles)
    assert all("Liam" not in str(row) and "Stranger" not in str(row) for _, row in rows)
    by_nhs = list(source.rows(Subject("A Different Spelling", nhs_number="943 476 5919")))
    assert len(by_nhs) == len(rows)
    # An identifier that is SQL is only ever a value: it finds nobody, and breaks nothing.
    assert list(source.rows(Subject("x' OR '1'='1", date_of_birth=date(2009, 3, 14)))) == []
    assert list(source.rows(Subject("Ayesha Khan') OR 1=1 --"))) == []


def test_a_query_that_is_not_a_select_is_refused_before_it_runs(app: Flask, casesystem_url: str) -> None:
    from sar.sources.connectors import ConnectorError

    for sql in ("DELETE FROM case_notes", "SELECT 1; DROP TABLE people", "SELECT * FROM people WHERE x = :evil"):
        with pytest.raises(ConnectorError):
            source_for("database", {"url": casesystem_url, "queries": [{"title": "Bad", "sql": sql}]})


@pytest.fixture
def gathering(
    app: Flask,
    make_case: Callable[..., Case],
    make_team: Callable[..., Team],
    make_user: Callable[..., User],
    pin_today: Callable[[date], None],
) -> dict[str, Any]:
    pin_today(date(2026, 11, 5))
    case = make_case(date(2026, 11, 2), subject_name="Ayesha Khan")
    subject = case.subject
    assert subject is not None
    subject.aliases, subject.date_of_birth, subject.nhs_number = ["Ash"], date(2009, 3, 14), "943 476 5919"
    team = make_team("Children's Social Care")
    officer = make_user(Role.IG_OFFICER)
    db.session.commit()
    return {"case": case, "team": team, "officer": officer}


def connector(name: str, kind: str, team: Team, **settings: Any) -> Connector:
    row = Connector(name=name, kind=kind, team_id=team.id, settings=settings)
    db.session.add(row)
    db.session.flush()
    return row


def test_a_connector_search_gathers_typeset_records_and_a_broken_source_fails_only_its_own_task(
    app: Flask, gathering: dict[str, Any], casesystem_url: str, run_jobs: Callable[[], None], tmp_path: Path
) -> None:
    case, team, officer = gathering["case"], gathering["team"], gathering["officer"]
    good = connector("Case system", "database", team, url=casesystem_url, queries=demo_casesystem.QUERIES)
    broken = connector(
        "Old system",
        "database",
        team,
        url=f"sqlite:///{tmp_path / 'missing' / 'x.sqlite'}",
        queries=[{"title": "Note", "sql": "SELECT * FROM notes WHERE name = :full_name"}],
    )
    good_task = runs.commission_from_connector(case, good, by=officer)
    broken_task = runs.commission_from_connector(case, broken, by=officer)
    run_jobs()

    failed = db.session.get(SearchTask, broken_task.id)
    assert (
        failed is not None and failed.status is TaskStatus.FAILED and "Old system could not be searched" in failed.error
    )
    done = db.session.get(SearchTask, good_task.id)
    assert done is not None and done.status is TaskStatus.RECORDS_SUPPLIED, done.error
    documents = db.session.scalars(select(Document).where(Document.task_id == good_task.id)).all()
    assert len(documents) == 10 and all(d.status is DocumentStatus.READY for d in documents)
    assert all(d.source == "Case system" and d.connector_id == good.id for d in documents)
    notes = [d for d in documents if d.title.startswith("Case note")]
    assert len(notes) == 3 and "Ayesha" in notes[0].pages[0].text

    # The officer sees the failure with its reason.
    page = sign_in_as(app.test_client(), officer).get(f"/cases/{case.id}/tasks").get_data(as_text=True)
    assert "Old system could not be searched" in page


def test_a_suspended_connector_is_not_run(
    app: Flask, gathering: dict[str, Any], casesystem_url: str, run_jobs: Callable[[], None]
) -> None:
    case, team, officer = gathering["case"], gathering["team"], gathering["officer"]
    row = connector("Case system", "database", team, url=casesystem_url, queries=demo_casesystem.QUERIES)
    task = runs.commission_from_connector(case, row, by=officer)
    runs.set_suspended(row, True, by=officer)
    run_jobs()
    stopped = db.session.get(SearchTask, task.id)
    assert stopped is not None and stopped.status is TaskStatus.FAILED and "suspended" in stopped.error
    assert db.session.scalar(select(Document.id)) is None
    with pytest.raises(tasks.TaskError, match="suspended"):
        runs.commission_from_connector(case, row, by=officer)


def test_the_file_share_connector_finds_documents_naming_the_subject_in_name_or_content(
    app: Flask, tmp_path: Path
) -> None:
    share = tmp_path / "share"
    (share / "2019").mkdir(parents=True)
    (share / "Ayesha_Khan_school_report.txt").write_text("Attendance 92%.")
    (share / "2019" / "visit.txt").write_text("Visit to the child born 14/03/2009 at home.")
    (share / "2019" / "letter.pdf").write_bytes(make_pdf(["NHS number 9434765919 – hospital letter"]))
    (share / "2019" / "Ashley-Smith.txt").write_text("Someone else, Ashley Smith.")
    (share / "unrelated.txt").write_text("Minutes of the team meeting.")
    source = source_for("file_share", {"path": str(share)})
    assert "5 files" in source.test_connection()

    found = sorted(
        f.details["path"] for f in source.find(Subject("Ayesha Khan", ("Ash",), date(2009, 3, 14), "943 476 5919"))
    )
    assert found == ["2019/letter.pdf", "2019/visit.txt", "Ayesha_Khan_school_report.txt"]
    assert "cannot be found" in _error(
        lambda: source_for("file_share", {"path": str(tmp_path / "x")}).test_connection()
    )


def _error(action: Callable[[], object]) -> str:
    from sar.sources.connectors import ConnectorError

    try:
        action()
    except ConnectorError as error:
        return str(error)
    return ""


def test_the_email_export_connector_keeps_only_messages_about_the_subject(app: Flask, tmp_path: Path) -> None:
    folder = tmp_path / "export"
    folder.mkdir()

    def message(subject: str, body: str) -> EmailMessage:
        made = EmailMessage()
        made["From"], made["To"], made["Subject"] = "sw@council.example", "team@council.example", subject
        made["Date"] = "Mon, 02 Mar 2020 10:00:00 +0000"
        made.set_content(body)
        return made

    (folder / "one.eml").write_bytes(message("Visit", "Saw Ayesha Khan at school today.").as_bytes())
    (folder / "two.eml").write_bytes(message("Rota", "Team rota for March.").as_bytes())
    box = mailbox.mbox(str(folder / "archive.mbox"))
    box.add(message("Re: strategy meeting", "Following up on the meeting about AYESHA KHAN."))
    box.add(message("Parking", "New parking permits."))
    box.close()
    (folder / "notes.msg").write_bytes(b"Ayesha Khan: plain text, not an Outlook message")
    source = source_for("email_export", {"path": str(folder)})

    found = list(source.find(Subject("Ayesha Khan", date_of_birth=date(2009, 3, 14))))
    assert sorted(f.details["subject"] for f in found) == ["Re: strategy meeting", "Visit"]
    assert source.unreadable == ["notes.msg (not an Outlook file, whatever its name says)"]
    outside = list(source.find(Subject("Ayesha Khan", date_from=date(2021, 1, 1))))
    assert outside == []


def outlook_export(tmp_path: Path) -> Path:
    """A folder holding the real Outlook files of ../shared/samples (written by Outlook and other tools: no Python
    library writes them). Missing samples fail the test with the reason, never skip it."""
    samples = shared_dir() / "samples"
    if not (samples / "dist-list.pst").is_file():
        raise AssertionError(f"The Outlook samples are not in {samples}: set SAR_SHARED_DIR to their parent.")
    folder = tmp_path / "outlook-export"
    folder.mkdir()
    for name in ("test_Blammo.msg", "note.msg", "qwerty_1-orig.msg", "contact-unicode.msg", "dist-list.pst"):
        shutil.copyfile(samples / name, folder / name)
    (folder / "locked").mkdir()
    shutil.copyfile(samples / "passworded.pst", folder / "locked" / "passworded.pst")
    # A message cut short in copying: the Outlook reader opens it and finds it damaged.
    (folder / "locked" / "truncated.msg").write_bytes((samples / "test_Blammo.msg").read_bytes()[:4000])
    return folder


def test_the_email_export_connector_searches_outlook_msg_and_pst_files(app: Flask, tmp_path: Path) -> None:
    source = source_for("email_export", {"path": str(outlook_export(tmp_path))})
    assert ".msg" in source.test_connection() and ".pst" in source.test_connection()

    # Nobody named: nothing found, and the password-protected PST is named with its reason, not skipped silently.
    assert list(source.find(Subject("Ayesha Khan"))) == []
    assert source.unreadable == [
        "locked/passworded.pst (This Outlook data file (.pst) is protected by a password. Ask whoever exported it "
        "for a copy without a password, then add it again.)",
        "locked/truncated.msg (This Outlook message file is damaged and cannot be read. Ask for a fresh copy.)",
    ]

    # The sender of a .msg and the words of a calendar item inside the .pst are searched.
    wanted = Subject("TripleNickel", aliases=("complete test",))
    found = {f.name: f for f in source_for("email_export", {"path": str(tmp_path / "outlook-export")}).find(wanted)}
    assert sorted(found) == ["dist-list-1 Test appointment.eml", "test_Blammo.msg"]
    assert found["test_Blammo.msg"].content == (shared_dir() / "samples" / "test_Blammo.msg").read_bytes()
    assert found["test_Blammo.msg"].details["subject"] == "BlammoBlammo"
    assert b"This is a complete test" in found["dist-list-1 Test appointment.eml"].content

    # The date range applies to Outlook items too: the .msg was sent in 2007, the appointment made in 2016.
    later = Subject("TripleNickel", aliases=("complete test",), date_from=date(2010, 1, 1))
    names = [f.name for f in source_for("email_export", {"path": str(tmp_path / "outlook-export")}).find(later)]
    assert names == ["dist-list-1 Test appointment.eml"]


def test_a_connector_run_on_outlook_files_gathers_messages_with_their_attachments_as_children(
    app: Flask, gathering: dict[str, Any], run_jobs: Callable[[], None], tmp_path: Path
) -> None:
    case, team, officer = gathering["case"], gathering["team"], gathering["officer"]
    assert case.subject is not None
    case.subject.aliases = ["TripleNickel", "complete test"]
    row = connector("Team mailbox", "email_export", team, path=str(outlook_export(tmp_path)))
    task = runs.commission_from_connector(case, row, by=officer)
    run_jobs()

    done = db.session.get_one(SearchTask, task.id)
    assert done.status is TaskStatus.RECORDS_SUPPLIED
    assert done.error.startswith("2 files could not be searched: locked/passworded.pst (") and "damaged" in done.error
    found = {d.original_name: d for d in ingest.documents_of_task(task.id)}
    assert sorted(found) == ["dist-list-1 Test appointment.eml", "test_Blammo.msg"]
    message = found["test_Blammo.msg"]
    assert message.status is DocumentStatus.READY and message.kind == "email" and message.title == "BlammoBlammo"
    assert "TripleNickel@mapi32.net" in message.pages[0].text
    appointment = found["dist-list-1 Test appointment.eml"]
    assert appointment.status is DocumentStatus.READY and "Outlook calendar item" in appointment.pages[0].text
    children = db.session.scalars(select(Document).where(Document.parent_id == appointment.id)).all()
    assert [(c.relation, c.original_name) for c in children] == [
        ("attachment", "attachment 1"),
        ("attachment", "attachment 2"),
    ]
    assert all(c.connector_id == row.id and c.task_id == task.id for c in children)

    # The officer sees which file could not be searched and why.
    page = sign_in_as(app.test_client(), officer).get(f"/cases/{case.id}/tasks").get_data(as_text=True)
    assert "passworded.pst" in page and "protected by a password" in page


def test_an_administrator_adds_tests_and_suspends_a_connector_and_an_officer_runs_it(
    app: Flask,
    gathering: dict[str, Any],
    casesystem_url: str,
    client_as: Callable[..., Any],
    run_jobs: Callable[[], None],
) -> None:
    import json

    admin = client_as(Role.ADMIN)
    team = gathering["team"]
    bad = admin.post(
        "/admin/connectors/new",
        data={"name": "Mosaic", "kind": "database", "team_id": team.id, "settings": '{"url": "sqlite://"}'},
    )
    assert bad.status_code == 422 and "has no queries" in bad.get_data(as_text=True)
    settings = json.dumps({"url": casesystem_url, "queries": demo_casesystem.QUERIES})
    added = admin.post(
        "/admin/connectors/new", data={"name": "Mosaic", "kind": "database", "team_id": team.id, "settings": settings}
    )
    assert added.status_code == 302
    # Each refusal is shown on the field at fault, and the error summary leads to it.
    for data, message, target in (
        ({"name": "Mosaic", "settings": settings}, "A connector with this name already exists", "#name"),
        (
            {"name": "Share", "settings": "[1]"},
            'The settings must be a JSON object, like {"path": "/mnt/share"}',
            "#settings",
        ),
    ):
        again = page(admin.post("/admin/connectors/new", data={"kind": "database", "team_id": team.id, **data}), 422)
        assert error_messages(again) == [message]
        assert [a["href"] for a in again.select(".govuk-error-summary__list a")] == [target]
    row = db.session.scalars(select(Connector)).one()
    assert admin.post(f"/admin/connectors/{row.id}/test").status_code == 302
    db.session.expire_all()
    assert row.last_test_result.startswith("OK: Connected to")
    assert client_as(Role.IG_OFFICER).get("/admin/connectors").status_code == 403

    officer = sign_in_as(app.test_client(), gathering["officer"])
    case_id = gathering["case"].id
    assert "Search a connected system" in officer.get(f"/cases/{case_id}/tasks").get_data(as_text=True)
    assert officer.post(f"/cases/{case_id}/tasks/connector", data={"connector_id": row.id}).status_code == 302
    run_jobs()
    assert db.session.scalar(select(SearchTask.status).where(SearchTask.connector_id == row.id)) is (
        TaskStatus.RECORDS_SUPPLIED
    )

    assert admin.post(f"/admin/connectors/{row.id}/suspend").status_code == 302
    db.session.expire_all()
    assert row.suspended
    assert "Search a connected system" not in officer.get(f"/cases/{case_id}/tasks").get_data(as_text=True)
