"""The case page, the case list, the register export, and who may see them."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
from bs4 import BeautifulSoup
from sqlalchemy import select
from support import (
    add_people,
    error_links,
    error_messages,
    field_error,
    get_page,
    page,
    pagination_links,
    table_rows,
    text_of,
)

from redaction import load_register
from sar.audit import SYSTEM, AuditEvent, SystemActor
from sar.auth.models import Role
from sar.cases import service
from sar.cases.models import PersonRole, RequesterType, Right
from sar.cases.panels import CasePanel, register_case_panel
from sar.cases.workflow import Closure
from sar.extensions import db


def _events(action: str) -> list[AuditEvent]:
    return list(db.session.scalars(select(AuditEvent).where(AuditEvent.action == action)))


def test_the_case_page_shows_everything_and_audits_the_view(officer_client, make_case):
    case = make_case(
        requester_type=RequesterType.SOLICITOR,
        requester=service.PersonDetails(
            full_name="Jonathan Bradley", relationship="solicitor", organisation="Care Leavers' Rights Project"
        ),
        rights=frozenset({Right.ACCESS, Right.PORTABILITY}),
        description="My whole file from 2010",
    )
    add_people(case)
    page = officer_client.get(f"/cases/{case.id}")
    assert page.status_code == 200
    text = BeautifulSoup(page.data, "html.parser").get_text(" ", strip=True)
    for expected in (
        case.reference,
        "Jordan Lee",
        "Jonathan Bradley",
        "Christine Whitehead",
        "MASH Social Worker",
        "My whole file from 2010",
        "Portability is normally not available",
        "People register",
        "Identity and authority evidence",
        "Competence and best interests",
        "History",
        "Request logged as " + case.reference,
        "Christine Whitehead added to the people register",
    ):
        assert expected in text, expected
    viewed = _events("case.viewed")
    assert [e.case_id for e in viewed] == [case.id]


def test_the_case_page_renders_panels_registered_by_later_stages(app, officer_client, make_case, tmp_path):
    case = make_case()
    (tmp_path / "panel.html").write_text("<p id='test-panel'>{{ case.reference }} due {{ due }}</p>")
    from jinja2 import ChoiceLoader, FileSystemLoader

    app.jinja_loader = ChoiceLoader([app.jinja_loader, FileSystemLoader(str(tmp_path))])
    register_case_panel(app, CasePanel("test", "panel.html", lambda c: {"due": "1 January"}, order=1))
    panel = get_page(officer_client, f"/cases/{case.id}").find(id="test-panel")
    assert text_of(panel) == f"{case.reference} due 1 January"


@pytest.mark.parametrize("role", [Role.AUDITOR, Role.DPO])
def test_readers_can_view_but_only_workers_see_change_links(client_as, make_case, role):
    case = make_case()
    html = get_page(client_as(role), f"/cases/{case.id}")
    assert text_of(html.select_one(".govuk-caption-l")) == case.reference
    links = [text_of(link) for link in html.select("main a")]
    assert ("Record the outcome" in links) is (role is Role.DPO)


def test_auditors_cannot_change_cases(client_as, make_case):
    case = make_case()
    auditor = client_as(Role.AUDITOR)
    for url in (
        f"/cases/{case.id}/edit",
        f"/cases/{case.id}/outcome",
        f"/cases/{case.id}/withdrawal",
        f"/cases/{case.id}/owner",
        f"/cases/{case.id}/people/new",
        f"/cases/{case.id}/evidence/new",
        f"/cases/{case.id}/competence",
    ):
        assert auditor.get(url).status_code == 403, url
        assert auditor.post(url, data={}).status_code == 403, url


def test_record_holders_and_admins_cannot_see_cases(client_as, make_case):
    case = make_case()
    for role in (Role.RECORD_HOLDER, Role.ADMIN):
        client = client_as(role)
        for url in ("/cases", f"/cases/{case.id}", f"/cases/{case.id}/people.json"):
            assert client.get(url).status_code == 403, (role, url)
    assert _events("case.viewed") == []


def test_an_unknown_case_is_not_found(officer_client):
    assert officer_client.get("/cases/999").status_code == 404


def test_people_register_download_matches_the_people_json_format_and_is_audited(officer_client, make_case):
    case = make_case(subject_name="Alison Carole Whitehead")
    add_people(case)
    response = officer_client.get(f"/cases/{case.id}/people.json")
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    assert f"{case.reference}-people.json" in response.headers["Content-Disposition"]
    register = json.loads(response.data)
    assert register["subject"] == {
        "id": "S",
        "name": "Alison Carole Whitehead",
        "aliases": [],
        "date_of_birth": None,
        "addresses": [],
        "phones": [],
        "emails": [],
        "nhs_number": None,
        "ni_number": None,
    }
    assert register["people"] == [
        {
            "id": "P1",
            "name": "Christine Whitehead",
            "role": "third_party",
            "relationship": "mother",
            "phones": ["07418 245527"],
        },
        {
            "id": "P2",
            "name": "Katy Cox",
            "role": "professional",
            "relationship": "MASH social worker",
            "job_title": "MASH Social Worker",
            "organisation": "Eastholme MBC",
        },
    ]
    loaded = load_register(register)  # the redaction library reads it as it reads the corpus registers
    assert [p.id for p in loaded.people] == ["S", "P1", "P2"]
    assert [e.case_id for e in _events("case.people_exported")] == [case.id]


def test_the_case_list_searches_filters_sorts_and_pages(officer_client, officer, make_case, make_team):
    team = make_team("Fostering and Adoption")
    db.session.commit()
    now = datetime.now(UTC)
    first = make_case(subject_name="Kayla Smith", received_at=now - timedelta(days=40), scope_teams=(team,))
    second = make_case(
        subject_name="Ben Jones",
        rights=frozenset({Right.ERASURE}),
        received_at=now - timedelta(days=2),
        requester_type=RequesterType.PARENT_PR,
        requester=service.PersonDetails(full_name="Sharon Smith"),
    )
    service.assign_owner(second, officer, by=officer)
    db.session.commit()

    def refs(**params) -> list[str]:
        page = officer_client.get("/cases", query_string=params)
        assert page.status_code == 200
        soup = BeautifulSoup(page.data, "html.parser")
        return [a.get_text() for a in soup.select("table.govuk-table tbody a")]

    assert refs() == [second.reference, first.reference]
    assert refs(sort="received-asc") == [first.reference, second.reference]
    assert refs(q="smith") == [second.reference, first.reference]  # subject Kayla Smith; requester Sharon Smith
    assert refs(q="kayla") == [first.reference]
    service.update_person(
        first.subject, service.PersonDetails(full_name="Kayla Smith", aliases=("Kayla Brown",)), by=SYSTEM
    )
    db.session.commit()
    assert refs(q="brown") == [first.reference]  # a former name
    assert refs(q=second.reference.lower()) == [second.reference]
    assert refs(right="erasure") == [second.reference]
    assert refs(owner=str(officer.id)) == [second.reference]
    assert refs(owner="none") == [first.reference]
    assert refs(team=str(team.id)) == [first.reference]
    assert refs(status="received") == [second.reference, first.reference]
    assert refs(status="closed") == []
    recent = now - timedelta(days=10)
    assert refs(received_from=[str(recent.day), str(recent.month), str(recent.year)]) == [second.reference]
    assert refs(q="%") == []  # LIKE wildcards are searched for literally
    searches = _events("cases.searched")
    assert searches and searches[-1].after["filters"] == {"text": "%"}


def test_case_search_matches_names_not_the_punctuation_of_stored_lists(officer_client, make_case):
    first = make_case(subject_name="Zoë O'Brien")
    service.update_person(
        first.subject, service.PersonDetails(full_name="Zoë O'Brien", aliases=("Zoe Hart", "ZH")), by=SYSTEM
    )
    make_case(subject_name="Ben Jones")
    db.session.commit()

    def refs(q: str) -> list[str]:
        soup = BeautifulSoup(officer_client.get("/cases", query_string={"q": q}).data, "html.parser")
        return [a.get_text() for a in soup.select("table.govuk-table tbody a")]

    for punctuation in ('"', '", "', "[", "]", ","):
        assert refs(punctuation) == [], punctuation  # the JSON text of the aliases is never searched
    assert refs("zoe o'brien") == [first.reference]  # accents and case ignored
    assert refs("HART") == [first.reference]  # a former name
    assert refs("zh") == [first.reference]


def test_the_case_list_pages_25_at_a_time(officer_client, make_case):
    for number in range(27):
        make_case(subject_name=f"Child {number}")
    first = BeautifulSoup(officer_client.get("/cases").data, "html.parser")
    assert len(first.select("table.govuk-table tbody tr")) == 25
    assert first.select_one(".govuk-pagination__next") is not None
    second = BeautifulSoup(officer_client.get("/cases?page=2").data, "html.parser")
    assert len(second.select("table.govuk-table tbody tr")) == 2
    assert officer_client.get("/cases?page=99").status_code == 200  # clamped to the last page


def test_the_case_list_pages_keep_the_search_and_every_date_box(officer_client, make_case):
    for number in range(27):
        make_case(subject_name=f"Child {number}")
    searched = {"q": "child", "received_from": ["1", "1", "2000"], "sort": "reference-asc"}
    first = get_page(officer_client, "/cases?" + urlencode(searched, doseq=True))

    links = pagination_links(first)
    assert set(links) == {"Page 1", "Page 2", "Next page"}
    second = parse_qs(urlsplit(links["Next page"]).query)
    assert second == {"q": ["child"], "received_from": ["1", "1", "2000"], "sort": ["reference-asc"], "page": ["2"]}
    assert "Page 1 of 2" in text_of(first.select_one("main"))
    assert len(table_rows(get_page(officer_client, links["Next page"]))) == 2


def test_sorting_the_case_list_keeps_the_date_filter(officer_client, make_case):
    make_case()
    listed = get_page(officer_client, "/cases?" + urlencode({"received_from": ["1", "1", "2000"]}, doseq=True))

    [sort_link] = [link for link in listed.select("th a") if text_of(link).startswith("Due date")]
    query = parse_qs(urlsplit(sort_link["href"]).query)
    assert query == {"received_from": ["1", "1", "2000"], "sort": ["due-asc"]}
    assert error_messages(get_page(officer_client, sort_link["href"])) == []


def test_a_bad_date_filter_is_shown_as_an_error_not_a_crash(officer_client, make_case):
    make_case()
    html = page(officer_client.get("/cases", query_string={"received_from": ["31", "2", "2026"]}))
    assert error_links(html) == {"The first date received must be a real date": "#received_from-day"}
    assert field_error(html, "received_from") == "The first date received must be a real date"


def test_closed_cases_cannot_be_edited_until_reopened(officer_client, officer, make_case):
    case = make_case()
    service.record_withdrawal(case, case.received_on, "Phoned to withdraw", by=officer)
    service.decide_outcome(case, Closure(service.Outcome.WITHDRAWN), "Requester withdrew by phone", by=officer)
    db.session.commit()
    response = officer_client.get(f"/cases/{case.id}/people/new")
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/cases/{case.id}")
    html = get_page(officer_client, f"/cases/{case.id}")
    assert "Reopen the case" in [text_of(link) for link in html.select("main a")]
    assert "Withdrawn by the requester" in text_of(html.select_one("main"))
    assert [p.role for p in case.people] == [PersonRole.DATA_SUBJECT]


def test_child_requests_prompt_for_a_competence_assessment(officer_client, make_case):
    case = make_case(requester_type=RequesterType.PARENT_PR)
    html = get_page(officer_client, f"/cases/{case.id}")
    assert "record the competence and best-interests assessment" in text_of(html.select_one("main"))


def test_school_record_requests_are_offered_the_transfer_to_the_school(officer_client, make_case):
    case = make_case(education_record=True, requester_type=RequesterType.PARENT_PR)
    assert "transfer it to the school" in text_of(get_page(officer_client, f"/cases/{case.id}").select_one("main"))
    form = get_page(officer_client, f"/cases/{case.id}/outcome")
    chosen = form.find("input", {"name": "transferred_to", "value": "school_record"})
    assert chosen is not None and chosen.has_attr("checked")


def test_case_views_are_summarised_and_the_history_is_paged(app, client_as, make_case, monkeypatch):
    from sar.audit import record
    from sar.cases import queries

    monkeypatch.setattr(queries, "HISTORY_PER_PAGE", 5)
    case = make_case()
    events = [("case.note", f"change {n}", "test") for n in range(12)]
    events += [("case.viewed", "Viewed case page", "Earlier Reader")] * 30
    for action, summary, actor in events:
        record(action, object_type="case", object_id=case.id, case_id=case.id, summary=summary, by=SystemActor(actor))
    db.session.commit()
    reader = client_as(Role.AUDITOR)

    page = BeautifulSoup(reader.get(f"/cases/{case.id}").data, "html.parser")

    history_rows = page.select("#history ~ div table tbody tr")
    assert len(history_rows) == 5  # one page, however often the case was opened
    text = page.get_text(" ", strip=True)
    assert "viewed 31 times" in text and "most recently by" in text
    second = BeautifulSoup(reader.get(f"/cases/{case.id}?history_page=2").data, "html.parser")
    assert "change 5" in second.get_text(" ", strip=True)
    assert "Page 2 of" in second.get_text(" ", strip=True)


def test_opening_the_clock_page_is_audited_as_a_view(client_as, make_case):
    case = make_case()
    reader = client_as(Role.AUDITOR)

    assert reader.get(f"/cases/{case.id}/clock").status_code == 200

    viewed = _events("case.viewed")
    assert [(e.case_id, e.summary) for e in viewed] == [(case.id, "Viewed clock page")]
    assert viewed[0].actor_id is not None
