"""Identifier layouts and letterheads that records written in other voices use (found on our own corpus)."""

from __future__ import annotations

from conftest import REGISTER, action_at, hidden, redacted

from redaction import Detector, load_register
from redaction.detect.addresses import find_addresses
from redaction.detect.identifiers import find_identifiers


def _spans(text: str) -> list[str]:
    return [text[a.start : a.end] for a in find_addresses(text)]


def test_date_of_birth_with_abbreviated_month_and_dashes() -> None:
    for text, value in [
        ("DOB: 11-Sep-1988.", "1988-09-11"),
        ("born 3/Feb/91", "1991-02-03"),
        ("Your date of birth: 14th of July 2007", "2007-07-14"),
    ]:
        got = [m for m in find_identifiers(text) if m.category == "dob"]
        assert got and got[0].value == value, text


def test_nhs_number_with_a_leading_zero_is_not_a_phone() -> None:
    got = find_identifiers("NHS No: 0364262125")
    assert [(m.category, m.value) for m in got] == [("nhs_number", "0364262125")]
    # without the context a ten-digit run starting 0 is still read as a phone number
    assert [m.category for m in find_identifiers("freephone 0800123456 today")] == ["phone"]


def test_address_with_house_number_letter_then_a_road_and_town_before_prose() -> None:
    text = "staying at\n> 41b Fernside Court, Ashby Road, Brackenford some nights."
    assert _spans(text) == ["41b Fernside Court, Ashby Road, Brackenford"]


def test_flat_in_a_named_building_then_numbered_street() -> None:
    assert _spans("Address: Flat 6, Tern House, 88 Quayside Road, Lowmoor WS4 7RJ\n") == [
        "Flat 6, Tern House, 88 Quayside Road, Lowmoor"
    ]
    assert _spans("Mrs X\nApartment 12, Lister Mill, 3 Canal Wharf, Kelderton\nKT4 8PE\n") == [
        "Apartment 12, Lister Mill, 3 Canal Wharf, Kelderton"
    ]


def test_unit_on_a_business_park_is_one_address() -> None:
    assert _spans("Unit 2, Riverside Business Park, Mardale MD2 4GG") == ["Unit 2, Riverside Business Park, Mardale"]


def test_housing_provider_letterhead_is_kept() -> None:
    det = Detector(load_register(REGISTER))
    text = "Oakport Homes - Housing Management\nUnit 2, Riverside Business Park, Oakport\nOP2 4GG\n\nDear Ms Smith,"
    found = det.detect(text)
    assert action_at(found, text, "Riverside Business Park") == {"keep"}
    assert action_at(found, text, "OP2 4GG") == {"keep"}


def test_initial_dot_surname_email_of_a_professional_missing_from_the_register() -> None:
    det = Detector(load_register(REGISTER))
    text = "Please contact Grace Patel on g.patel@oakporthomes.org.uk if you need to."
    assert action_at(det.detect(text), text, "g.patel@oakporthomes.org.uk") == {"keep"}


def test_phone_after_a_named_organisation_is_kept_but_a_relative_phone_is_not() -> None:
    det = Detector(load_register(REGISTER))
    text = "Immunisations up to date per GP (Netherby Health Centre, 0113 496 0877).\nMum's number 07700 900999."
    found = det.detect(text)
    assert action_at(found, text, "0113 496 0877") == {"keep"}
    assert redacted(found, text, "07700 900999")


def test_third_party_dob_in_a_referral_form_is_hidden() -> None:
    det = Detector(load_register(REGISTER))
    text = "PERPETRATOR\nName: Robert Hughes     DOB: 11-Sep-1988\n"
    assert hidden(det.detect(text), text, "11-Sep-1988")


def test_work_mobile_of_a_named_professional_in_the_next_sentence_is_kept() -> None:
    det = Detector(load_register(REGISTER))
    text = "Your social worker is Grace Patel. Her work mobile is 07700 900410.\nMum's mobile is 07700 900411."
    found = det.detect(text)
    assert action_at(found, text, "07700 900410") == {"keep"}
    assert redacted(found, text, "07700 900411")


def test_phone_number_abroad_and_spaced_sort_code() -> None:
    got = [(m.category, m.text) for m in find_identifiers("Dad in Poland is on +48 601 234 567.")]
    assert got == [("phone", "+48 601 234 567")]
    got = [(m.category, m.text) for m in find_identifiers("Sort code 20 45 77, account no. 41830062")]
    assert got == [("bank", "20 45 77"), ("bank", "41830062")]
    assert find_identifiers("meet at 10 30 45 min") == []


def test_lower_case_postcode_and_plate_in_an_informal_note() -> None:
    got = [(m.category, m.text) for m in find_identifiers("mum now lives at 14 oak street, bradford bd7 1aa")]
    assert got == [("postcode", "bd7 1aa")]
    assert [m.category for m in find_identifiers("car reg ab12 cde seen outside")] == ["vehicle"]
    assert find_identifiers("the car park by junction a12 for") == []
