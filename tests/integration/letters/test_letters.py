"""Writing letters: the PDF says what each letter must say, and sending one records what it changes."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date

import pytest
from sqlalchemy import select

from sar.audit import AuditEvent
from sar.bundle.letters import service
from sar.bundle.letters.models import Audience, Letter, LetterKind, LetterStatus
from sar.cases.models import Case, CaseStatus, EvidenceKind, Outcome, RequesterType, Right
from sar.clock import service as clock_service
from sar.clock.models import ClockStatus, EventKind
from sar.clock.panel import clock_view
from sar.extensions import db
from sar.storage import get_store

Read = Callable[[bytes], str]


def pdf_of(letter: Letter) -> bytes:
    return get_store().open(letter.file_key)


def test_acknowledgement_gives_the_reference_and_due_date(letter_case, officer, art15, read_pdf: Read) -> None:
    case = letter_case(date(2026, 3, 2))

    letter = service.create_letter(case, LetterKind.ACKNOWLEDGEMENT, {}, by=officer)
    db.session.commit()

    text = read_pdf(pdf_of(letter))
    assert case.reference in text
    assert "We will respond by 2 April 2026" in text  # received 2 March: due the same date next month
    assert "Example Council" not in text and "Test Borough Council" in text  # the letterhead is configuration
    assert "Alex Jordan Morgan" in text and "12 Mill Lane" in text and "EX2 3BB" in text
    assert "Ida Officer" in text
    assert letter.status is LetterStatus.DRAFT and letter.template.version == 1
    assert letter.original_name == f"{case.reference}-acknowledgement-2026-03-16.pdf"
    created = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "letter.created")).one()
    assert created.actor_id == officer.id and created.case_id == case.id


def test_evidence_request_records_the_request_in_intakes_evidence_when_sent(letter_case, officer, read_pdf) -> None:
    case = letter_case(date(2026, 3, 9))
    details = {"evidence_kind": "identity", "what_we_need": "- a copy of your passport"}

    letter = service.create_letter(case, LetterKind.EVIDENCE_REQUEST, details, by=officer)
    assert "a copy of your passport" in read_pdf(pdf_of(letter))
    assert "proof of identity" in letter.subject
    assert not case.evidence  # writing it records nothing yet
    service.mark_posted(case, letter, by=officer)
    db.session.commit()

    db.session.refresh(case)
    assert [(e.kind, e.requested_on, e.received_on) for e in case.evidence] == [
        (EvidenceKind.IDENTITY, date(2026, 3, 16), None)
    ]
    assert clock_view(case).status is ClockStatus.AWAITING_ID  # type: ignore[union-attr]


def test_clarification_pauses_the_clock_through_the_clock_service(letter_case, officer, read_pdf) -> None:
    case = letter_case(date(2026, 3, 2))
    letter = service.create_letter(case, LetterKind.CLARIFICATION, {"questions": "- Which years?"}, by=officer)
    text = read_pdf(pdf_of(letter))
    assert "Which years?" in text and "paused" in text
    assert clock_view(case).status is ClockStatus.RUNNING  # type: ignore[union-attr]

    service.mark_posted(case, letter, by=officer)
    db.session.commit()

    events = clock_service.events_for(case)
    assert [(e.kind, e.event_date, e.recorded_by_id) for e in events] == [
        (EventKind.CLARIFICATION_ASKED, date(2026, 3, 16), officer.id)
    ]
    assert clock_view(case).status is ClockStatus.PAUSED  # type: ignore[union-attr]
    # A second letter while paused is a reminder: it does not pause the clock twice.
    again = service.create_letter(case, LetterKind.CLARIFICATION, {"questions": "- Which years?"}, by=officer)
    assert "reminder" in service.mark_posted(case, again, by=officer)
    assert len(clock_service.events_for(case)) == 1


def test_clarification_is_refused_for_a_request_that_is_not_for_access(letter_case, officer) -> None:
    case = letter_case(date(2026, 3, 2), rights=(Right.ERASURE,))

    with pytest.raises(service.LetterRefused, match="only be paused for clarification on a subject access request"):
        service.create_letter(case, LetterKind.CLARIFICATION, {"questions": "- Which records?"}, by=officer)


def test_extension_notice_before_the_deadline_extends_the_clock(letter_case, officer, art15, read_pdf) -> None:
    case = letter_case(date(2026, 3, 2))
    reasons = "Records from six teams over fifteen years, and a provider's archive."

    letter = service.create_letter(case, LetterKind.EXTENSION, {"reasons": reasons}, by=officer)
    text = read_pdf(pdf_of(letter))
    assert reasons in text
    assert "We will now respond by 2 June 2026" in text  # three months from 2 March
    assert "COMPLAINT-MARK" in text and "ICO-MARK" in text
    service.mark_posted(case, letter, by=officer)
    db.session.commit()

    view = clock_view(case)
    assert view is not None and view.extended and view.due_date == date(2026, 6, 2)
    event = clock_service.events_for(case)[0]
    assert (event.kind, event.notice_date, event.reasons) == (EventKind.EXTENSION_DECIDED, date(2026, 3, 16), reasons)


def test_extension_notice_is_refused_after_the_notice_deadline(letter_case, officer, art15, pin_today) -> None:
    case = letter_case(date(2026, 2, 2))  # notice deadline 2 March; today is 16 March

    with pytest.raises(service.LetterRefused, match="had to be sent by 2 March 2026"):
        service.create_letter(case, LetterKind.EXTENSION, {"reasons": "Complex"}, by=officer)
    assert db.session.scalars(select(Letter)).all() == []


def test_extension_written_in_time_but_sent_too_late_is_refused(letter_case, officer, art15, pin_today) -> None:
    case = letter_case(date(2026, 2, 16))  # notice deadline 16 March
    letter = service.create_letter(case, LetterKind.EXTENSION, {"reasons": "Complex"}, by=officer)
    db.session.commit()
    pin_today(date(2026, 3, 17))

    with pytest.raises(service.LetterRefused, match="The letter was not sent"):
        service.mark_posted(case, letter, by=officer)
    db.session.rollback()
    assert not clock_view(case).extended  # type: ignore[union-attr]


def test_extension_over_http_after_the_deadline_is_refused_on_the_server(letter_case, officer_client, art15) -> None:
    case = letter_case(date(2026, 2, 2))

    response = officer_client.post(
        f"/cases/{case.id}/letters/new?kind=extension", data={"kind": "extension", "reasons": "Complex"}
    )

    assert response.status_code == 422
    assert "had to be sent by 2 March 2026" in response.get_data(as_text=True)
    assert db.session.scalars(select(Letter)).all() == []


def test_fee_request_states_the_fee_and_records_it_on_the_clock(letter_case, officer, art15, read_pdf) -> None:
    case = letter_case(date(2026, 3, 2))
    with pytest.raises(service.LetterRefused, match="Enter the fee in pounds"):
        service.create_letter(case, LetterKind.FEE_REQUEST, {"fee_amount": "lots", "fee_reason": "x"}, by=officer)

    letter = service.create_letter(
        case,
        LetterKind.FEE_REQUEST,
        {"fee_amount": "£25", "fee_reason": "A further copy of records sent in January."},
        by=officer,
    )
    assert "£25.00" in read_pdf(pdf_of(letter))
    service.mark_posted(case, letter, by=officer)
    db.session.commit()

    assert clock_view(case).status is ClockStatus.AWAITING_FEE  # type: ignore[union-attr]


def test_refusal_gives_reasons_the_ico_and_the_court(letter_case, officer, art15, read_pdf) -> None:
    case = letter_case(date(2026, 3, 2))
    with pytest.raises(service.LetterRefused, match="Enter the reasons for the refusal"):
        service.create_letter(case, LetterKind.REFUSAL, {"reasons": " "}, by=officer)

    letter = service.create_letter(case, LetterKind.REFUSAL, {"reasons": "REASON-MARK repeated request"}, by=officer)

    text = read_pdf(pdf_of(letter))
    assert "REASON-MARK repeated request" in text
    assert "ICO-MARK" in text and "right to complain to the Information Commissioner" in text
    assert "judicial remedy" in text and "section 167" in text


def test_letters_that_give_the_icos_details_need_the_art15_information(letter_case, officer) -> None:
    case = letter_case(date(2026, 3, 2))

    with pytest.raises(service.LetterRefused, match="has not been set up yet"):
        service.create_letter(case, LetterKind.REFUSAL, {"reasons": "x"}, by=officer)


def test_no_data_held_names_the_teams_searched(letter_case, officer, art15, make_team, read_pdf) -> None:
    from sar.cases.models import CaseScopeTeam

    case = letter_case(date(2026, 3, 2))
    case.scope_teams.append(CaseScopeTeam(team=make_team("Early Help")))
    db.session.flush()

    text = read_pdf(pdf_of(service.create_letter(case, LetterKind.NO_DATA_HELD, {}, by=officer)))

    assert "Early Help" in text and "did not find any personal information" in text and "ICO-MARK" in text


# --- the disclosure cover: every Art 15 item ---------------------------------------------------------------

# What each item of the cover-letter checklist (sar-rules section 2) looks like in the letter, adult and child.
# The rights, the regulator and the exemptions read the same in both styles.
_RIGHTS_AND_REMEDIES = {
    "rectification": "(rectification)",
    "erasure": "(erasure)",
    "restriction": "(restriction)",
    "objection": "(objection)",
    "right to complain to the ICO": "complain to the Information Commissioner's Office",
    "judicial remedy": "judicial remedy",
}
FIXED_ITEMS = {
    Audience.ADULT: {
        "confirmation": "We confirm that we hold personal information about you",
        **_RIGHTS_AND_REMEDIES,
        "systems and teams searched": "We searched the records of: • Early Help",
        "withheld, with exemptions": "TP: information about other people",
    },
    Audience.CHILD: {
        "confirmation": "we do hold information about you (this letter confirms it)",
        **_RIGHTS_AND_REMEDIES,
        "systems and teams searched": "We looked in the records of: • Early Help",
        "withheld, with exemptions": "TP: information about other people",
    },
}


def _mark(value: str) -> str:
    found = re.search(r"[A-Z0-9]+-MARK", value)
    assert found, value
    return found.group(0)


def _closed_partial(letter_case, make_team, **fields) -> Case:
    from sar.cases.models import CaseScopeTeam

    case = letter_case(date(2026, 3, 2), **fields)
    case.scope_teams.append(CaseScopeTeam(team=make_team("Early Help")))
    case.outcome = Outcome.PARTIAL
    case.exemption_codes = ["TP", "SW-SH"]
    db.session.flush()
    return case


@pytest.mark.parametrize("audience", list(Audience))
def test_disclosure_cover_contains_every_art15_item(
    audience, letter_case, officer, art15, make_team, read_pdf: Read
) -> None:
    case = _closed_partial(letter_case, make_team)
    service.set_audience(case, audience, by=officer)

    letter = service.create_letter(case, LetterKind.DISCLOSURE_COVER, {}, by=officer)

    assert letter.audience is audience
    text = read_pdf(pdf_of(letter))
    missing = [name for name, value in art15.items() if _mark(value) not in text]
    assert not missing, f"Art 15 configuration missing from the {audience.value} cover letter: {missing}"
    missing = [item for item, phrase in FIXED_ITEMS[audience].items() if phrase not in text]
    assert not missing, f"Items missing from the {audience.value} cover letter: {missing}"
    assert "SW-SH" in text and "DPA 2018 Sch 3 Pt 3 para 11" in text


def test_child_version_is_chosen_by_default_for_a_child_asking_for_their_own_records(
    letter_case, officer, art15, make_team, read_pdf
) -> None:
    case = _closed_partial(letter_case, make_team, requester_type=RequesterType.COMPETENT_CHILD)

    letter = service.create_letter(case, LetterKind.DISCLOSURE_COVER, {}, by=officer)

    assert letter.audience is Audience.CHILD
    assert "Dear Alex," in read_pdf(pdf_of(letter))


def test_neither_confirm_nor_deny_says_nothing_about_what_was_withheld(
    letter_case, officer, art15, make_team, read_pdf
) -> None:
    case = _closed_partial(letter_case, make_team)
    case.outcome = Outcome.NCND
    case.exemption_codes = ["CRIME"]
    db.session.flush()

    text = read_pdf(pdf_of(service.create_letter(case, LetterKind.DISCLOSURE_COVER, {}, by=officer)))

    assert "CRIME" not in text and "withheld" not in text and "redact" not in text
    assert "all the information we are able to give you" in text
    assert "PURPOSE-MARK" in text and "ICO-MARK" in text


def test_the_bundle_stage_can_supply_the_disclosure_details(letter_case, officer, art15, read_pdf) -> None:
    from sar.bundle.letters.context import DisclosureContext

    case = letter_case(date(2026, 3, 2))
    disclosure = DisclosureContext(
        teams_searched=["Fostering"],
        systems_searched=["Mosaic", "Email archive"],
        documents=12,
        pages=340,
        how_sent="by secure download link",
    )

    text = read_pdf(
        pdf_of(service.create_letter(case, LetterKind.DISCLOSURE_COVER, {}, by=officer, disclosure=disclosure))
    )

    assert "Mosaic" in text and "Email archive" in text and "12 documents, 340 pages" in text
    assert "by secure download link" in text and "We have not withheld or redacted any information" in text


def test_closed_cases_cannot_get_letters_that_change_the_clock(letter_case, officer, art15) -> None:
    case = letter_case(date(2026, 3, 2))
    case.status = CaseStatus.CLOSED
    db.session.flush()

    with pytest.raises(service.LetterRefused, match="The case is closed"):
        service.create_letter(case, LetterKind.FEE_REQUEST, {"fee_amount": "10", "fee_reason": "x"}, by=officer)
    service.create_letter(case, LetterKind.DISCLOSURE_COVER, {}, by=officer)  # still possible after closing


def test_a_letter_is_sent_only_once(letter_case, officer) -> None:
    case = letter_case(date(2026, 3, 2))
    letter = service.create_letter(case, LetterKind.ACKNOWLEDGEMENT, {}, by=officer)
    service.mark_posted(case, letter, by=officer)

    with pytest.raises(service.LetterRefused, match="already printed for post"):
        service.send_by_email(case, letter, "alex.morgan@example.org", by=officer)


def test_text_that_looks_like_markup_is_printed_as_text(letter_case, officer, read_pdf) -> None:
    case = letter_case(date(2026, 3, 2))
    case.subject.full_name = 'Alex <font size="40">Morgan</font> & <b>Co'  # type: ignore[union-attr]
    db.session.flush()

    letter = service.create_letter(case, LetterKind.ACKNOWLEDGEMENT, {}, by=officer)

    assert 'Alex <font size="40">Morgan</font> & <b>Co' in read_pdf(pdf_of(letter))
