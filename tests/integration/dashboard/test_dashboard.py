"""The deadline dashboard: urgency counts and lists, filters, sorting, performance chart and the request-log CSV."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime

import pytest
from bs4 import BeautifulSoup
from sqlalchemy import select
from support import pagination_links

from sar.audit import SYSTEM, AuditEvent
from sar.auth.models import Role
from sar.cases import service as intake
from sar.cases.models import (
    CaseScopeTeam,
    CaseStatus,
    EvidenceKind,
    Outcome,
    Right,
    TransferTarget,
)
from sar.cases.signals import case_changed
from sar.cases.workflow import Closure
from sar.clock import service
from sar.clock.models import EventKind
from sar.dashboard.export import COLUMNS, LATER_STAGE_COLUMNS
from sar.extensions import db

TODAY = date(2026, 3, 16)  # a Monday; 5 working days ahead is 23 Mar, 20 is 15 Apr (Easter 3 and 6 Apr)


def event(case, kind: EventKind, on: date, **extra):
    service.record_event(case, kind, on, **extra, by=SYSTEM)
    db.session.commit()


def close(case, on: date) -> None:
    """Close through intake's outcome decision (the clock reads the date from there since issue 9)."""
    closure = Closure(Outcome.TRANSFERRED, transferred_to=TransferTarget.NHS)
    intake.decide_outcome(
        case,
        closure,
        "Passed to the NHS trust",
        by=case.logged_by,
        now=datetime(on.year, on.month, on.day, 15, 0, tzinfo=UTC),
    )
    db.session.commit()


def ask_for_id(case, on: date) -> None:
    request = intake.EvidenceRequest(kind=EvidenceKind.IDENTITY, requested_on=on)
    intake.record_evidence_request(case, request, by=case.logged_by)
    db.session.commit()


@pytest.fixture
def register(app, make_case, make_user, make_team, pin_today):
    """One case in each urgency band, one closed case and a case for another right."""
    pin_today(TODAY)
    team = make_team("Fostering")
    alice = make_user(Role.IG_OFFICER, full_name="Alice Owner")
    bob = make_user(Role.IG_OFFICER, full_name="Bob Owner")
    cases = {
        "overdue": make_case(date(2026, 1, 5), owner=alice),  # due 5 Feb
        "due5": make_case(date(2026, 2, 18), owner=alice),  # due 18 Mar; notice deadline 18 Mar
        "due20": make_case(date(2026, 3, 2), owner=bob, rights=(Right.ERASURE,)),  # due 2 Apr
        "ontrack": make_case(date(2026, 3, 16)),  # due 16 Apr, nobody owns it
        "paused": make_case(date(2026, 3, 2), owner=bob),
        "awaiting": make_case(date(2026, 3, 9), owner=bob),
        "closed": make_case(date(2026, 1, 12), owner=alice),
    }
    event(cases["paused"], EventKind.CLARIFICATION_ASKED, date(2026, 3, 4))
    ask_for_id(cases["awaiting"], date(2026, 3, 10))
    close(cases["closed"], date(2026, 2, 10))
    db.session.add(CaseScopeTeam(case_id=cases["due5"].id, team_id=team.id))
    db.session.commit()
    return {"cases": cases, "team": team, "alice": alice, "bob": bob}


def counts(soup: BeautifulSoup) -> dict[str, int]:
    return {tag["id"].removeprefix("count-"): int(tag.text) for tag in soup.select(".sar-count")}


def references(soup: BeautifulSoup) -> list[str]:
    return [a.text for a in soup.select("#cases ~ div table tbody tr td:first-child a")]


def case_row(soup: BeautifulSoup, reference: str):
    return next(tr for tr in soup.select("#cases ~ div table tbody tr") if tr.find("a").text == reference)


def get(client, url: str) -> BeautifulSoup:
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    return BeautifulSoup(response.get_data(as_text=True), "html.parser")


def test_counts_and_lists_by_urgency(register, client_as):
    cases = register["cases"]
    soup = get(client_as(Role.IG_OFFICER), "/deadlines")
    assert counts(soup) == {
        "overdue": 1,
        "due-5": 1,
        "due-20": 1,
        "on-track": 1,
        "paused": 1,
        "awaiting-id": 1,
        "awaiting-authority": 0,
        "awaiting-fee": 0,
    }
    # Default order: due date ascending; the closed case is not listed.
    refs = references(soup)
    assert refs[0] == cases["overdue"].reference
    assert cases["closed"].reference not in refs and len(refs) == 6
    row = case_row(soup, cases["overdue"].reference)
    assert "Alice Owner" in row.text and "39 days overdue" in row.text and "Overdue" in row.text
    # Links go through to intake's case page.
    assert soup.find("a", string=cases["overdue"].reference)["href"] == f"/cases/{cases['overdue'].id}"
    notices = soup.select("#notices + div table tbody tr")
    assert [tr.find("a").text for tr in notices] == [cases["due5"].reference]


def test_band_link_lists_only_that_band(register, client_as):
    cases = register["cases"]
    soup = get(client_as(Role.DPO), "/deadlines?band=due-5")
    assert references(soup) == [cases["due5"].reference]
    assert soup.select_one('ul[aria-label="Open cases by urgency"] a[aria-current]')["href"].endswith("band=due-5")
    row = case_row(soup, cases["due5"].reference)
    assert "2 days left" in row.text and "2 working days" in row.text
    assert references(get(client_as(Role.DPO), "/deadlines?band=paused")) == [cases["paused"].reference]


def test_filters(register, client_as):
    cases, team = register["cases"], register["team"]
    client = client_as(Role.AUDITOR)
    assert references(get(client, f"/deadlines?team={team.id}")) == [cases["due5"].reference]
    soup = get(client, f"/deadlines?officer={register['bob'].id}")
    assert sorted(references(soup)) == sorted(cases[k].reference for k in ("due20", "paused", "awaiting"))
    assert counts(soup)["due-20"] == 1 and counts(soup)["overdue"] == 0
    assert references(get(client, "/deadlines?officer=0")) == [cases["ontrack"].reference]
    assert references(get(client, "/deadlines?right=erasure")) == [cases["due20"].reference]
    assert references(get(client, "/deadlines?status=awaiting_id")) == [cases["awaiting"].reference]
    # Nonsense in the query string is ignored, not an error.
    assert len(references(get(client, "/deadlines?right=nonsense&status=closed&team=x&page=-3"))) == 6


def test_sorting_is_server_side_with_accessible_state(register, client_as):
    cases = register["cases"]
    client = client_as(Role.IG_OFFICER)
    soup = get(client, "/deadlines")
    due_header = soup.find("th", attrs={"aria-sort": "ascending"})
    assert "Due date" in due_header.text
    assert due_header.find("a")["href"].endswith("sort=due&dir=desc")
    soup = get(client, "/deadlines?sort=due&dir=desc")
    assert soup.find("th", attrs={"aria-sort": "descending"}) is not None
    assert references(soup)[-1] == cases["overdue"].reference
    soup = get(client, "/deadlines?sort=owner")
    owners = [tr.select("td")[2].text for tr in soup.select("#cases ~ div table tbody tr")]
    assert owners[:2] == ["Alice Owner", "Alice Owner"]
    # Sorting keeps the filters.
    soup = get(client, "/deadlines?right=erasure")
    link = soup.find("th", attrs={"aria-sort": "none"}).find("a")["href"]
    assert "right=erasure" in link


def test_record_holders_cannot_see_the_dashboard(register, client_as):
    client = client_as(Role.RECORD_HOLDER)
    assert client.get("/deadlines").status_code == 403
    assert client.get("/deadlines/performance").status_code == 403
    assert client.get("/deadlines/request-log.csv").status_code == 403


def test_paging(app, make_case, client_as, pin_today):
    pin_today(TODAY)
    made = [make_case(date(2026, 3, 2)) for _ in range(52)]
    client = client_as(Role.IG_OFFICER)
    first = references(get(client, "/deadlines"))
    second = references(get(client, "/deadlines?page=2"))
    assert len(first) == 50 and len(second) == 2
    assert sorted(first + second) == sorted(c.reference for c in made)
    # The page links keep the sort order chosen.
    assert pagination_links(get(client, "/deadlines?dir=desc"))["Next page"] == "/deadlines?dir=desc&page=2"


def test_performance_chart_and_table(register, make_case, client_as):
    # A late response in January: received 1 Dec 2025 (due 1 Jan is a bank holiday: 2 Jan), closed 9 Jan.
    late = make_case(date(2025, 12, 1))
    close(late, date(2026, 1, 9))
    soup = get(client_as(Role.DPO), "/deadlines/performance")
    svg = soup.find("svg")
    assert svg["role"] == "img" and svg.find("title") and svg.find("desc")
    assert svg.find("script") is None and not soup.select("[style]")
    assert len(svg.find_all("rect")) == 12
    table = soup.find("table", id="performance-table")
    rows = {tr.find("th").text: [td.text for td in tr.find_all("td")] for tr in table.select("tbody tr")}
    assert list(rows)[0] == "April 2025" and list(rows)[-1] == "March 2026"
    assert rows["February 2026"] == ["1", "1", "100.0%", "29"]
    assert rows["January 2026"] == ["1", "0", "0.0%", "39"]
    assert rows["December 2025"] == ["0", "0", "–", "–"]
    assert "50.0% of the 2 requests" in soup.text


def test_request_log_csv(register, client_as):
    cases = register["cases"]
    cases["paused"].subject.full_name = "=HYPERLINK(evil)"  # a name typed to attack whoever opens the CSV
    closed = cases["closed"]
    closed.status, closed.outcome = CaseStatus.CLOSED, Outcome.FULL
    closed.closed_at = datetime(2026, 2, 10, 15, 0, tzinfo=UTC)
    case_changed.send(closed, reason="closed", by=SYSTEM)
    db.session.commit()
    response = client_as(Role.DPO).get("/deadlines/request-log.csv")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    assert tuple(rows[0]) == COLUMNS
    by_ref = {row["reference"]: row for row in rows}
    assert len(by_ref) == 7
    paused = by_ref[cases["paused"].reference]
    assert paused["pauses"] == "2026-03-04 to (open)"
    assert paused["data_subjects"] == "'=HYPERLINK(evil)"  # a spreadsheet must not run it as a formula
    assert paused["rights"] == "access" and by_ref[cases["due20"].reference]["rights"] == "erasure"
    done = by_ref[closed.reference]
    assert done["statutory_due_date"] == "2026-02-12" and done["response_date"] == "2026-02-10"
    assert done["outcome_code"] == "FULL" and done["closure_date"] == "2026-02-10"
    assert by_ref[cases["awaiting"].reference]["clock_status"] == "awaiting_id"
    assert all(row[column] == "" for row in rows for column in LATER_STAGE_COLUMNS)
    exported = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "request_log.exported"))
    assert exported is not None
