"""The audit trail as auditors and the DPO see it: browse, filter, one event, CSV export, chain check."""

from __future__ import annotations

import csv
import io
import threading
from collections.abc import Callable
from datetime import date, datetime, timedelta
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from support import (
    error_links,
    field_error,
    get_page,
    heading,
    page,
    pagination_links,
    table_headers,
    table_rows,
    text_of,
)

from sar import audit
from sar.audit import AuditEvent, SystemActor
from sar.auth.models import Role
from sar.extensions import db

SYSTEM = SystemActor("system")
LONDON = ZoneInfo("Europe/London")


def add_events(*specs: dict[str, object]) -> list[int]:
    ids = []
    for spec in specs:
        fields = dict(spec)
        action = str(fields.pop("action", "case_viewed"))
        fields.setdefault("object_type", "case")
        fields.setdefault("by", SYSTEM)
        ids.append(audit.record(action, **fields).id)  # type: ignore[arg-type]
    db.session.commit()
    return ids


def summaries(client: FlaskClient, url: str) -> list[str]:
    """The summaries of the events a page of the log lists (none when it shows no table)."""
    html = get_page(client, url)
    return [row[-1] for row in table_rows(html)] if html.select_one("table") else []


def tamper(event_id: int, summary: str = "quietly edited") -> None:
    # The test database is built with create_all, so the append-only triggers are absent and a
    # raw UPDATE succeeds: exactly the attack the hash chain must reveal.
    with db.engine.begin() as connection:
        connection.execute(
            sa.text("UPDATE audit_events SET summary = :s WHERE id = :id"), {"s": summary, "id": event_id}
        )


@pytest.fixture
def auditor(client_as: Callable[..., FlaskClient]) -> FlaskClient:
    return client_as(Role.AUDITOR)


def test_auditor_sees_the_log_newest_first(auditor: FlaskClient) -> None:
    add_events(
        {"action": "case_created", "summary": "first thing"},
        {"action": "case_viewed", "summary": "second thing"},
    )

    html = get_page(auditor, "/audit/")

    assert heading(html) == "Audit log"
    assert table_headers(html) == ["When", "Who", "Action", "Record", "Case", "Summary"]
    assert [row[-1] for row in table_rows(html)][:2] == ["second thing", "first thing"]


def test_dpo_may_browse_but_an_ig_officer_may_not(client_as: Callable[..., FlaskClient]) -> None:
    assert client_as(Role.DPO).get("/audit/").status_code == 200
    assert client_as(Role.IG_OFFICER).get("/audit/").status_code == 403


def test_filters_by_action_actor_and_object_type(auditor: FlaskClient) -> None:
    add_events(
        {"action": "case_created", "summary": "made by alice", "by": SystemActor("alice@council.example")},
        {
            "action": "document_downloaded",
            "object_type": "document",
            "summary": "fetched by bob",
            "by": SystemActor("bob@council.example"),
        },
    )

    assert summaries(auditor, "/audit/?action=case_created") == ["made by alice"]
    assert summaries(auditor, "/audit/?actor=BOB@") == ["fetched by bob"]
    assert summaries(auditor, "/audit/?object_type=document") == ["fetched by bob"]


def test_filters_by_case_number_and_unknown_reference_shows_nothing(auditor: FlaskClient) -> None:
    add_events({"summary": "about case seven", "case_id": 7}, {"summary": "about case eight", "case_id": 8})

    unknown = get_page(auditor, "/audit/?case=SAR-1999-00001")

    assert summaries(auditor, "/audit/?case=7") == ["about case seven"]
    assert "No events match the filters." in text_of(unknown.select_one("main"))
    assert unknown.select_one("table") is None


def test_filters_by_date_range(auditor: FlaskClient) -> None:
    add_events({"summary": "happened today"})
    today = datetime.now(LONDON).date()

    def between(**args: date) -> list[str]:
        query = {key: [str(value.day), str(value.month), str(value.year)] for key, value in args.items()}
        return summaries(auditor, "/audit/?" + urlencode(query, doseq=True))

    assert "happened today" in between(date_from=today, date_to=today)
    assert "happened today" not in between(date_from=today + timedelta(days=1))
    assert "happened today" not in between(date_to=today - timedelta(days=1))


def test_the_dates_are_the_form_kits_date_input(auditor: FlaskClient) -> None:
    html = get_page(auditor, "/audit/")

    for name, legend in (("date_from", "From"), ("date_to", "To")):
        fieldset = html.find(id=f"{name}-day").find_parent("fieldset")
        assert text_of(fieldset.select_one("legend")) == legend
        assert [text_of(label) for label in fieldset.select("label")] == ["Day", "Month", "Year"]


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ({"date_from": ["31", "2", "2026"]}, "date_from", "The start date must be a real date"),
        ({"date_from": ["1", "", "2026"]}, "date_from", "The start date must include a month"),
        ({"date_to": ["1", "1", "26"]}, "date_to", "The end date must be a real date"),
        ({"date_to": ["x", "1", "2026"]}, "date_to", "The end date must be a real date"),
        (
            {"date_from": ["2", "1", "2026"], "date_to": ["1", "1", "2026"]},
            "date_to",
            "The end date must be the same as or after the start date",
        ),
    ],
)
def test_wrong_dates_are_explained_on_the_field(
    auditor: FlaskClient, query: dict[str, list[str]], field: str, message: str
) -> None:
    add_events({"summary": "hidden while the filter is wrong"})

    html = get_page(auditor, "/audit/?" + urlencode(query, doseq=True))

    assert error_links(html) == {message: f"#{field}-day"}
    assert field_error(html, field) == message
    assert html.title is not None and html.title.get_text().startswith("Error: ")
    assert html.select_one("table") is None
    # What was typed stays in the boxes, to be corrected.
    typed = [box.get("value", "") for box in html.select(f"input[name={field}]")]
    assert typed == query[field]


def test_paginates_fifty_at_a_time(auditor: FlaskClient) -> None:
    # With the auditor's own "user created" and "role granted" events, 120 in all.
    add_events(*({"summary": f"event number {n}."} for n in range(1, 119)))

    first, last = get_page(auditor, "/audit/"), get_page(auditor, "/audit/?page=3")

    assert "Showing events 1 to 50 of 120." in text_of(first.select_one("main"))
    shown = [row[-1] for row in table_rows(first)]
    assert len(shown) == 50 and shown[0] == "event number 118." and shown[-1] == "event number 69."
    assert "Showing events 101 to 120 of 120." in text_of(last.select_one("main"))
    shown = [row[-1] for row in table_rows(last)]
    assert len(shown) == 20 and shown[-3] == "event number 1."  # then the auditor's own two events
    assert "Next page" in pagination_links(first) and "Next page" not in pagination_links(last)
    assert "Previous page" in pagination_links(last)


def test_pages_of_a_filtered_log_keep_the_filter(auditor: FlaskClient) -> None:
    add_events(*({"summary": f"event number {n}.", "action": "case.note"} for n in range(1, 61)))

    first = get_page(auditor, "/audit/?action=case.note")

    links = pagination_links(first)
    assert links["Next page"] == "/audit/?action=case.note&page=2"
    last = get_page(auditor, links["Next page"])
    assert "Showing events 51 to 60 of 60 matching the filters" in text_of(last.select_one("main"))
    assert links["Page 1"] == "/audit/?action=case.note"


def test_one_event_shows_before_and_after_with_changes_marked(auditor: FlaskClient) -> None:
    [event_id] = add_events(
        {
            "action": "case_status_changed",
            "before": {"status": "received", "owner": "Sam"},
            "after": {"status": "gathering", "owner": "Sam"},
        }
    )

    html = get_page(auditor, f"/audit/{event_id}")

    assert heading(html) == "case_status_changed"
    assert table_rows(html) == [["status Changed", "received", "gathering"], ["owner", "Sam", "Sam"]]
    assert text_of(html.select_one("main .govuk-tag")) == "Contents match their hash"


def test_opening_an_event_is_itself_recorded(auditor: FlaskClient) -> None:
    [event_id] = add_events({"action": "person_added", "after": {"name": "A Third Party"}})

    auditor.get(f"/audit/{event_id}")

    latest = db.session.scalars(select(AuditEvent).order_by(AuditEvent.id.desc())).first()
    assert latest is not None
    assert (latest.action, latest.object_id) == ("audit_event_viewed", str(event_id))


def test_a_tampered_event_is_flagged_on_its_page(auditor: FlaskClient) -> None:
    [event_id] = add_events({"summary": "original"})
    tamper(event_id)

    html = get_page(auditor, f"/audit/{event_id}")

    assert text_of(html.select_one("main .govuk-tag")) == "Changed after it was written"


def test_missing_event_is_404(auditor: FlaskClient) -> None:
    assert auditor.get("/audit/999").status_code == 404


def read_csv(response_data: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(response_data.decode("utf-8"))))


def test_csv_export_follows_the_filter_and_is_itself_audited(app: Flask, auditor: FlaskClient) -> None:
    add_events(
        {"action": "case_created", "summary": "keep me", "before": None, "after": {"status": "received"}},
        {"action": "case_viewed", "summary": "leave me out"},
    )

    response = auditor.get("/audit/export.csv?action=case_created")

    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert response.headers["Content-Disposition"].startswith('attachment; filename="audit-log-')
    rows = read_csv(response.data)
    assert [row["summary"] for row in rows] == ["keep me"]
    assert rows[0]["after"] == '{"status": "received"}'
    exported = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "audit_exported")).one()
    assert exported.after == {"filter": {"action": "case_created"}}
    assert exported.actor_id is not None


def test_csv_export_of_everything_includes_its_own_export_event_first(auditor: FlaskClient) -> None:
    add_events({"summary": "one"}, {"summary": "two"})

    rows = read_csv(auditor.get("/audit/export.csv").data)

    assert rows[0]["action"] == "audit_exported"
    assert [row["summary"] for row in rows][1:3] == ["two", "one"]
    assert [row["id"] for row in rows] == sorted((row["id"] for row in rows), key=int, reverse=True)


def test_csv_export_streams_every_row_across_batches(auditor: FlaskClient, monkeypatch: pytest.MonkeyPatch) -> None:
    from sar import audit_views

    monkeypatch.setattr(audit_views, "EXPORT_BATCH", 7)
    add_events(*({"summary": f"row {n}"} for n in range(30)))

    response = auditor.get("/audit/export.csv?action=case_viewed")

    assert response.is_streamed
    assert [row["summary"] for row in read_csv(response.data)] == [f"row {n}" for n in reversed(range(30))]


def test_csv_export_neutralises_spreadsheet_formulas(auditor: FlaskClient) -> None:
    add_events({"summary": '=HYPERLINK("http://evil.example")'})

    rows = read_csv(auditor.get("/audit/export.csv?action=case_viewed").data)

    assert rows[0]["summary"] == '\'=HYPERLINK("http://evil.example")'


def test_verify_page_reports_an_intact_chain(auditor: FlaskClient) -> None:
    add_events({}, {}, {})
    total = db.session.scalar(sa.select(sa.func.count()).select_from(AuditEvent))

    panel = page(auditor.post("/audit/verify")).select_one(".govuk-panel")

    assert text_of(panel.select_one(".govuk-panel__title")) == "The audit log is intact"
    assert text_of(panel.select_one(".govuk-panel__body")).startswith(f"{total} events checked.")


def test_verify_page_names_the_tampered_event(auditor: FlaskClient) -> None:
    ids = add_events({}, {"summary": "honest"}, {})
    tamper(ids[1])

    html = page(auditor.post("/audit/verify"))

    warning = text_of(html.select_one(".govuk-warning-text__text"))
    assert f"tampered with at event {ids[1]}" in warning and "contents were changed after it was written" in warning
    assert html.find("a", string=f"See event {ids[1]}")["href"] == f"/audit/{ids[1]}"


def test_cli_verify_audit_passes_an_intact_chain(app: Flask) -> None:
    add_events({}, {})

    result = app.test_cli_runner().invoke(args=["verify-audit"])

    assert result.exit_code == 0
    assert "Audit trail intact: 2 events checked." in result.output


def test_cli_verify_audit_fails_naming_the_tampered_event(app: Flask) -> None:
    ids = add_events({}, {}, {}, {})
    tamper(ids[2])

    result = app.test_cli_runner().invoke(args=["verify-audit"])

    assert result.exit_code == 1
    assert f"BROKEN at event {ids[2]}" in result.output
    assert "2 events before it are intact" in result.output


def test_cli_verify_audit_notices_a_deleted_event(app: Flask) -> None:
    ids = add_events({}, {}, {})
    with db.engine.begin() as connection:
        connection.execute(sa.text("DELETE FROM audit_events WHERE id = :id"), {"id": ids[1]})

    result = app.test_cli_runner().invoke(args=["verify-audit"])

    assert result.exit_code == 1
    assert f"event {ids[1]} is missing" in result.output


def test_concurrent_writers_keep_one_unbroken_chain(app: Flask) -> None:
    """Two officers at once, on either database: each reads then extends the chain, never the same link."""
    db.session.commit()  # the test's own session holds no transaction while the writers run
    per_thread = 25
    errors: list[BaseException] = []
    start = threading.Barrier(2)

    def writer(name: str) -> None:
        try:
            with app.app_context():
                start.wait()
                for n in range(per_thread):
                    # A read first, as a page does before it audits the view.
                    db.session.scalar(select(sa.func.count()).select_from(AuditEvent))
                    audit.record("case_viewed", object_type="case", summary=f"{name} {n}", by=SYSTEM)
                    db.session.commit()
                db.session.remove()
        except BaseException as error:  # surfaced in the main thread below
            errors.append(error)

    threads = [threading.Thread(target=writer, args=(name,)) for name in ("left", "right")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert not errors
    assert audit.verify_chain() == (2 * per_thread, None)
