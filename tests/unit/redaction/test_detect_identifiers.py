"""UK identifiers, validated where a rule exists and attributed to their owner by normalised value."""

from __future__ import annotations

import pytest
from conftest import action_at, redacted

from redaction import Detector
from redaction.detect.identifiers import find_identifiers, nhs_valid, ni_valid, upn_valid


@pytest.mark.parametrize(
    "written",
    ["07700 900456", "07700900456", "+44 7700 900456", "+447700900456", "+44 (0)7700 900456", "07700 900 456"],
)
def test_third_party_mobile_in_every_layout_is_redacted(detector: Detector, written: str) -> None:
    text = f"Mum can be reached on {written} most days."
    found = detector.detect(text)
    assert redacted(found, text, written)
    assert {f.person_id for f in found if f.category == "phone"} == {"P1"}


def test_subjects_own_number_and_professionals_work_number_are_kept(detector: Detector) -> None:
    text = "Kayla's mobile is 07700900123. Grace Patel, tel (01632) 960111."
    found = detector.detect(text)
    assert action_at(found, text, "07700900123") == {"keep"}
    assert action_at(found, text, "(01632) 960111") == {"keep"}


def test_unlisted_number_under_a_professionals_signature_is_kept(detector: Detector) -> None:
    text = "Grace Patel\nSenior Practitioner\nTel: 0113 496 0222"
    assert action_at(detector.detect(text), text, "0113 496 0222") == {"keep"}


def test_unattributed_number_is_redacted(detector: Detector) -> None:
    text = "An unknown caller rang from 0113 496 0999. Father's number as given: 07700 900999."
    found = detector.detect(text)
    assert redacted(found, text, "0113 496 0999")
    assert redacted(found, text, "07700 900999")


@pytest.mark.parametrize("written", ["943 476 5919", "9434765919", "943-476-5919"])
def test_subjects_nhs_number_kept_in_any_layout(detector: Detector, written: str) -> None:
    text = f"NHS number {written}."
    assert action_at(detector.detect(text), text, written) == {"keep"}


def test_nhs_number_checksum() -> None:
    assert nhs_valid("9434765919")
    assert not nhs_valid("9434765918")
    found = find_identifiers("Reference 943 476 5918 was quoted.")
    assert not [m for m in found if m.category == "nhs_number"]
    flagged = find_identifiers("NHS no 943 476 5918")
    assert [m.category for m in flagged] == ["nhs_number"]


def test_national_insurance_numbers() -> None:
    assert ni_valid("AB123456C")
    assert not ni_valid("QQ123456C")
    assert not ni_valid("GB123456A")
    for written in ("AB 12 34 56 C", "AB123456C", "AB 123456 C"):
        assert [m.value for m in find_identifiers(f"NI: {written}")] == ["AB123456C"]
    # HMRC's own example prefix is caught where the text says it is an NI number
    assert [m.category for m in find_identifiers("NI number QQ 12 34 56 C")] == ["ni_number"]


@pytest.mark.parametrize(
    "written",
    [
        "20/01/2015",
        "20/01/15",
        "20.01.2015",
        "20-01-2015",
        "2015-01-20",
        "20 January 2015",
        "20th January 2015",
        "20 Jan 2015",
        "January 20th, 2015",
    ],
)
def test_dates_of_birth_in_every_common_form(detector: Detector, written: str) -> None:
    text = f"Tyler (DOB {written}) attends school."
    found = detector.detect(text)
    assert redacted(found, text, written)
    assert {f.person_id for f in found if f.category == "dob"} == {"P3"}


def test_subjects_date_of_birth_is_kept_and_other_dates_ignored(detector: Detector) -> None:
    text = "Kayla (DOB 14/03/2012) was seen on 03/05/2024 at school."
    found = detector.detect(text)
    assert action_at(found, text, "14/03/2012") == {"keep"}
    assert action_at(found, text, "03/05/2024") == set()


def test_unlisted_date_of_birth_with_context_is_redacted(detector: Detector) -> None:
    text = "Her cousin (born 5th May 2009) stays over."
    assert redacted(detector.detect(text), text, "5th May 2009")


def test_postcodes_addresses_and_address_blocks(detector: Detector) -> None:
    text = (
        "Home: 14 Elm Road, Netherby, Oakport, OP3 5TT.\n"
        "Dad lives at Flat 2, 9 Canal Street, Oakport, OP1 2AB.\n"
        "Letters to:\n22 Mill Lane\nOakport\nOP2 4RT\n"
    )
    found = detector.detect(text)
    assert action_at(found, text, "14 Elm Road, Netherby, Oakport") == {"keep"}
    assert action_at(found, text, "OP3 5TT") == {"keep"}
    assert redacted(found, text, "Flat 2, 9 Canal Street, Oakport")
    assert redacted(found, text, "OP1 2AB")
    assert redacted(found, text, "22 Mill Lane")
    assert redacted(found, text, "Oakport", 2)
    assert redacted(found, text, "OP2 4RT")


def test_bare_street_without_number_is_not_an_address(detector: Detector) -> None:
    text = "Police stopped the car on Kings Way."
    assert action_at(detector.detect(text), text, "Kings Way") == set()


def test_professional_letterhead_address_is_kept(detector: Detector) -> None:
    text = "Civic Offices\nMarket Square\nOakport\nOP1 1AA\n"
    assert action_at(detector.detect(text), text, "OP1 1AA") == {"keep"}


def test_emails_by_owner(detector: Detector) -> None:
    text = "From kayla.smith12@example.com to grace.patel@oakport.gov.uk and tyler.smith@hotmail.co.uk."
    found = detector.detect(text)
    assert action_at(found, text, "kayla.smith12@example.com") == {"keep"}
    assert action_at(found, text, "grace.patel@oakport.gov.uk") == {"keep"}
    assert redacted(found, text, "tyler.smith@hotmail.co.uk")


def test_vehicles_bank_details(detector: Detector) -> None:
    text = "He drives a van, reg YR07 ABC, and an old car R123 XYZ. Sort code 20-00-00, account 12345678."
    found = detector.detect(text)
    for phrase in ("YR07 ABC", "R123 XYZ", "20-00-00", "12345678"):
        assert redacted(found, text, phrase), phrase


def test_upn_check_letter() -> None:
    assert upn_valid("M801200112001")
    assert not upn_valid("A801200112001")
    assert [m.category for m in find_identifiers("UPN: M801200112001")] == ["upn"]


def test_bare_street_and_number_after_lives_at_is_an_address(detector: Detector) -> None:
    text = "She gave me his number and said he lives on 148 Foxhollow. He works nights."
    assert redacted(detector.detect(text), text, "148 Foxhollow")


def test_date_in_brackets_after_a_name_is_a_date_of_birth(detector: Detector) -> None:
    text = "Her cousin Harper (05/06/2016) was there. Meeting (03/05/2024) held."
    found = detector.detect(text)
    assert redacted(found, text, "05/06/2016")
    assert action_at(found, text, "03/05/2024") == set()


def test_address_without_commas_before_a_postcode(detector: Detector) -> None:
    text = "They were found at 22 Mill Road Oakport OP2 4RT late at night."
    found = detector.detect(text)
    assert redacted(found, text, "22 Mill Road Oakport")
    assert redacted(found, text, "OP2 4RT")


def test_unlisted_organisation_letterhead_and_switchboard_are_kept(detector: Detector) -> None:
    text = "BROOKFIELD SURGERY\nThe Health Centre\nWillow Road\nOakport\nOP9 9ZZ\nTel: 01632 960777\n\nDear colleague,"
    found = detector.detect(text)
    assert action_at(found, text, "OP9 9ZZ") == {"keep"}
    assert action_at(found, text, "01632 960777") == {"keep"}


def test_family_address_block_after_a_name_is_not_an_organisation(detector: Detector) -> None:
    text = "Mr and Mrs Fairweather\n41 Station Road\nOakport\nOP5 9QW\n\nDear both,"
    found = detector.detect(text)
    assert redacted(found, text, "41 Station Road")
    assert redacted(found, text, "OP5 9QW")


def test_address_block_lines_and_street_after_a_wrapped_flat_number(detector: Detector) -> None:
    text = (
        "Placement: with carers, Flat 11, 35\nRailway Rise, Oakport (since May).\n\n"
        "Mr and Mrs Fairweather\n147 Oak View\nUpwell St Peter\nOakport\nOP6 1JX\n"
    )
    found = detector.detect(text)
    assert redacted(found, text, "Flat 11, 35")
    assert redacted(found, text, "Railway Rise, Oakport")
    assert redacted(found, text, "147 Oak View")
    assert redacted(found, text, "Upwell St Peter")


def test_work_email_of_a_professional_with_an_apostrophe_in_the_surname(detector: Detector) -> None:
    from conftest import REGISTER

    from redaction import load_register

    data = {
        **REGISTER,
        "people": [
            *REGISTER["people"],
            {"id": "P10", "name": "Benn O'Sullivan", "role": "professional", "relationship": "advocate"},
        ],
    }
    text = "Copied to his advocate (bosullivan@advocacy.example.org)."
    found = Detector(load_register(data)).detect(text)
    assert action_at(found, text, "bosullivan@advocacy.example.org") == {"keep"}


def test_collar_number_before_an_officers_name_is_not_a_house_number(detector: Detector) -> None:
    text = "She was located by PC 9018 Mark Jones at a flat in Oakport."
    found = detector.detect(text)
    assert action_at(found, text, "Mark Jones") == {"keep"}
    assert not [f for f in found if f.category == "address"]


def test_subjects_street_broken_over_a_line_is_still_kept() -> None:
    from conftest import REGISTER

    from redaction import load_register

    data = {**REGISTER, "subject": {**REGISTER["subject"], "addresses": ["Flat 13, 88 Meadow Grove, Oakport, OP3 1AA"]}}
    text = "The family live in a flat at Flat 13, 88 Meadow\nGrove. The home was warm."
    found = Detector(load_register(data)).detect(text)
    assert {f.action for f in found if f.category == "address"} == {"keep"}
