"""The case history in plain words, paged (issue 9)."""

from __future__ import annotations

from dataclasses import replace

from bs4 import BeautifulSoup
from support import add_people, get_page, pagination_links, text_of

from sar.cases import service
from sar.cases.queries import HISTORY_PER_PAGE as PER_PAGE
from sar.extensions import db


def _history(client, case, page: int = 1) -> list[str]:
    response = client.get(f"/cases/{case.id}", query_string={"history_page": page})
    soup = BeautifulSoup(response.data, "html.parser")
    rows = soup.select("#history ~ div table tbody tr")
    return [row.find_all("td")[2].get_text(" ", strip=True) for row in rows]


def test_history_is_written_in_plain_words(officer_client, officer, make_case):
    case = make_case()
    add_people(case)
    mother = next(p for p in case.people if p.full_name == "Christine Whitehead")
    details = service.PersonDetails(
        full_name=mother.full_name, relationship="mother", phones=("07418 245527",), consent_obtained=True
    )
    service.update_person(mother, details, by=officer)
    service.update_person(mother, replace(details, phones=("07418 245528",)), by=officer)
    db.session.commit()
    entries = _history(officer_client, case)
    assert entries[0] == "Phone numbers changed for Christine Whitehead"
    assert entries[1] == "Consent recorded for Christine Whitehead"
    assert "Christine Whitehead added to the people register as third party" in entries
    assert entries[-1] == f"Request logged as {case.reference}"
    shown = text_of(get_page(officer_client, f"/cases/{case.id}").select_one("main"))
    assert "person.updated" not in shown and "consent_date" not in shown  # no internal names


def test_long_histories_are_paged_newest_first(officer_client, officer, make_case):
    case = make_case()
    subject = case.subject
    for number in range(PER_PAGE + 5):
        details = service.PersonDetails(full_name=subject.full_name, phones=(f"07700 900{number:03d}",))
        service.update_person(subject, details, by=officer)
    db.session.commit()
    first, second = _history(officer_client, case), _history(officer_client, case, 2)
    # 25 changes, the first due date and the logging, 20 a page.
    assert len(first) == PER_PAGE and len(second) == 7
    assert second[-1] == f"Request logged as {case.reference}"
    page = get_page(officer_client, f"/cases/{case.id}")
    assert "page 1 of 2" in text_of(page.select_one("main"))
    # The history's own page number, so a case page's other lists keep theirs, and back to the history on click.
    links = pagination_links(page)
    assert links["Older history entries"] == f"/cases/{case.id}?history_page=2#history"
    assert "Newer history entries" in pagination_links(get_page(officer_client, links["Older history entries"]))
