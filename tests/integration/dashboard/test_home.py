"""Home pages that show each person their work (issue 9), and the case list's due dates."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from bs4 import BeautifulSoup
from sqlalchemy import select

from sar.audit import SYSTEM, AuditEvent
from sar.auth.models import Role
from sar.cases import service as intake
from sar.cases.models import EvidenceKind, Outcome, TransferTarget
from sar.cases.workflow import Closure
from sar.extensions import db

TODAY = date(2026, 3, 16)


def _soup(client, url: str = "/") -> BeautifulSoup:
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    return BeautifulSoup(response.data, "html.parser")


def _section(soup: BeautifulSoup, heading_id: str) -> str:
    """The text from a section's heading to the next heading of the same level."""
    heading = soup.find(id=heading_id)
    assert heading is not None, heading_id
    parts = []
    for sibling in heading.find_next_siblings():
        if sibling.name == "h2":
            break
        parts.append(sibling.get_text(" ", strip=True))
    return " ".join(parts)


def _named(case, name: str) -> None:
    """The shared make_case logs a subject already: give it this test's name."""
    intake.update_person(case.subject, intake.PersonDetails(full_name=name), by=SYSTEM)
    db.session.commit()


@pytest.fixture
def work(make_case, make_user, pin_today):
    pin_today(TODAY)
    officer = make_user(Role.IG_OFFICER, full_name="Olive Officer")
    other = make_user(Role.IG_OFFICER, full_name="Otto Other")
    cases = {
        "overdue": make_case(date(2026, 1, 5), owner=officer),  # due 5 Feb
        "this_week": make_case(date(2026, 2, 18), owner=officer),  # due 18 Mar
        "waiting": make_case(date(2026, 3, 2), owner=officer),
        "later": make_case(date(2026, 3, 16), owner=officer),  # due 16 Apr
        "someone_else": make_case(date(2026, 1, 6), owner=other),
    }
    for key, case in cases.items():
        _named(case, f"Subject {key.replace('_', ' ').title()}")
    intake.record_evidence_request(
        cases["waiting"],
        intake.EvidenceRequest(kind=EvidenceKind.IDENTITY, requested_on=date(2026, 3, 3)),
        by=officer,
        today=TODAY,
    )
    db.session.commit()
    return {"officer": officer, "other": other, "cases": cases}


def test_ig_officer_sees_their_cases_by_urgency_due_this_week_and_awaiting_their_action(work, client_as):
    soup = _soup(client_as(user=work["officer"]))
    cases = work["cases"]
    urgency = _section(soup, "my-cases")
    order = [urgency.index(cases[key].reference) for key in ("overdue", "this_week", "later")]
    assert order == sorted(order), "most urgent first"
    assert "Subject Overdue" in urgency and "39 days overdue" in urgency
    assert cases["someone_else"].reference not in urgency
    week = _section(soup, "due-this-week")
    assert cases["this_week"].reference in week and cases["later"].reference not in week
    action = _section(soup, "awaiting-my-action")
    # Waiting for proof of identity is the requester's move, not the officer's.
    assert cases["overdue"].reference in action and cases["waiting"].reference not in action
    assert "Choose the teams whose records to search" in action
    assert "No case has been returned to you" in _section(soup, "returned-to-me")
    seen = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "home.viewed")).one()
    assert cases["overdue"].id in seen.after["case_ids"]


def test_dpo_sees_overdue_and_at_risk_notices_and_the_months_on_time_rate(work, client_as, make_user):
    cases = work["cases"]
    intake.decide_outcome(
        cases["later"],
        Closure(Outcome.TRANSFERRED, transferred_to=TransferTarget.NHS),
        "Passed to the NHS trust",
        by=work["officer"],
        now=datetime(2026, 3, 16, 12, 0, tzinfo=UTC),
    )
    db.session.commit()
    soup = _soup(client_as(Role.DPO))
    risk = _section(soup, "at-risk")
    assert cases["overdue"].reference in risk and cases["someone_else"].reference in risk
    assert cases["this_week"].reference in risk  # due 18 Mar: within 5 working days
    assert cases["waiting"].reference not in risk  # its clock waits for the ID
    assert "No case is waiting for sign-off" in _section(soup, "awaiting-sign-off")
    assert cases["this_week"].reference in _section(soup, "notices")  # notice deadline 18 Mar
    assert "1 of the 1 requests answered in March 2026" in _section(soup, "on-time")


@pytest.mark.parametrize(
    ("role", "heading", "says"),
    [
        (Role.RECORD_HOLDER, "search-tasks", "the search task will be listed here"),
        (Role.AUDITOR, "auditor", "You cannot change a case"),
        (Role.ADMIN, "administrator", "You cannot see cases"),
    ],
)
def test_other_roles_are_told_plainly_what_they_can_do(client_as, role, heading, says):
    soup = _soup(client_as(role))
    assert says in _section(soup, heading)
    assert soup.find(id="my-cases") is None and soup.find(id="at-risk") is None


def test_the_case_list_shows_due_dates_and_days_left_and_sorts_by_them(work, client_as):
    client = client_as(user=work["officer"])
    cases = work["cases"]
    soup = _soup(client, "/cases?sort=due-asc")
    rows = [[td.get_text(" ", strip=True) for td in tr.find_all("td")] for tr in soup.select("tbody tr")]
    references = [row[0] for row in rows]
    assert references.index(cases["overdue"].reference) < references.index(cases["later"].reference)
    overdue = rows[references.index(cases["overdue"].reference)]
    assert "5 February 2026" in overdue and "39 days overdue" in overdue
    descending = [tr.find("td").get_text(strip=True) for tr in _soup(client, "/cases?sort=due-desc").select("tbody tr")]
    assert descending.index(cases["later"].reference) < descending.index(cases["overdue"].reference)
    header = soup.find("th", attrs={"aria-sort": "ascending"})
    assert header is not None and "Due date" in header.get_text()


def test_the_dashboard_shows_the_subjects_name(work, client_as):
    soup = _soup(client_as(Role.DPO), "/deadlines")
    assert "Subject Overdue" in soup.select_one("#cases ~ div table").get_text(" ", strip=True)
