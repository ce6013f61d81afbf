"""UK identifiers, validated where a rule exists and attributed to their owner by normalised value."""

from __future__ import annotations

import pytest
from detect_cases import REGISTER, action_at, assert_marked, marked_cases, redacted

from redaction import Detector, load_register
from redaction.detect.identifiers import find_identifiers, nhs_valid, ni_valid, upn_valid

PHONE_LAYOUTS = [
    "07700 900456",
    "07700900456",
    "+44 7700 900456",
    "+447700900456",
    "+44 (0)7700 900456",
    "07700 900 456",
]
DATE_LAYOUTS = [
    "20/01/2015",
    "20/01/15",
    "20.01.2015",
    "20-01-2015",
    "2015-01-20",
    "20 January 2015",
    "20th January 2015",
    "20 Jan 2015",
    "January 20th, 2015",
]


@pytest.mark.parametrize(
    ("text", "written", "category", "owner"),
    [
        *[
            pytest.param(f"Mum can be reached on {w} most days.", w, "phone", "P1", id=f"mobile {w}")
            for w in PHONE_LAYOUTS
        ],
        *[pytest.param(f"Tyler (DOB {w}) attends school.", w, "dob", "P3", id=f"dob {w}") for w in DATE_LAYOUTS],
    ],
)
def test_a_third_partys_identifier_in_every_layout_is_redacted_as_theirs(
    detector: Detector, text: str, written: str, category: str, owner: str
) -> None:
    found = detector.detect(text)
    assert redacted(found, text, written)
    assert {f.person_id for f in found if f.category == category} == {owner}


# {phrase|mark}: what the detector must do with the phrase (the marks are explained in conftest.py)
IDENTIFIERS = {
    "subjects_own_number_and_professionals_work_number_are_kept": (
        "Kayla's mobile is {07700900123|kept}. Grace Patel, tel {(01632) 960111|kept}."
    ),
    "unlisted_number_under_a_professionals_signature_is_kept": (
        "Grace Patel\nSenior Practitioner\nTel: {0113 496 0222|kept}"
    ),
    "unattributed_number_is_redacted": (
        "An unknown caller rang from {0113 496 0999|redacted}. Father's number as given: {07700 900999|redacted}."
    ),
    "subjects_nhs_number_kept_spaced": "NHS number {943 476 5919|kept}.",
    "subjects_nhs_number_kept_unspaced": "NHS number {9434765919|kept}.",
    "subjects_nhs_number_kept_dashed": "NHS number {943-476-5919|kept}.",
    "subjects_date_of_birth_is_kept_and_other_dates_ignored": (
        "Kayla (DOB {14/03/2012|kept}) was seen on {03/05/2024|alone} at school."
    ),
    "unlisted_date_of_birth_with_context_is_redacted": "Her cousin (born {5th May 2009|redacted}) stays over.",
    "date_in_brackets_after_a_name_is_a_date_of_birth": (
        "Her cousin Harper ({05/06/2016|redacted}) was there. Meeting ({03/05/2024|alone}) held."
    ),
    "postcodes_addresses_and_address_blocks": (
        "Home: {14 Elm Road, Netherby, Oakport|kept}, {OP3 5TT|kept}.\n"
        "Dad lives at {Flat 2, 9 Canal Street, Oakport|redacted}, {OP1 2AB|redacted}.\n"
        "Letters to:\n{22 Mill Lane|redacted}\n{Oakport|redacted}\n{OP2 4RT|redacted}\n"
    ),
    "bare_street_without_number_is_not_an_address": "Police stopped the car on {Kings Way|alone}.",
    "bare_street_and_number_after_lives_at_is_an_address": (
        "She gave me his number and said he lives on {148 Foxhollow|redacted}. He works nights."
    ),
    "address_without_commas_before_a_postcode": (
        "They were found at {22 Mill Road Oakport|redacted} {OP2 4RT|redacted} late at night."
    ),
    "professional_letterhead_address_is_kept": "Civic Offices\nMarket Square\nOakport\n{OP1 1AA|kept}\n",
    "unlisted_organisation_letterhead_and_switchboard_are_kept": (
        "BROOKFIELD SURGERY\nThe Health Centre\nWillow Road\nOakport\n{OP9 9ZZ|kept}\nTel: {01632 960777|kept}\n"
        "\nDear colleague,"
    ),
    "family_address_block_after_a_name_is_not_an_organisation": (
        "Mr and Mrs Fairweather\n{41 Station Road|redacted}\nOakport\n{OP5 9QW|redacted}\n\nDear both,"
    ),
    "address_block_lines_and_street_after_a_wrapped_flat_number": (
        "Placement: with carers, {Flat 11, 35|redacted}\n{Railway Rise, Oakport|redacted} (since May).\n\n"
        "Mr and Mrs Fairweather\n{147 Oak View|redacted}\n{Upwell St Peter|redacted}\nOakport\nOP6 1JX\n"
    ),
    "emails_by_owner": (
        "From {kayla.smith12@example.com|kept} to {grace.patel@oakport.gov.uk|kept}"
        " and {tyler.smith@hotmail.co.uk|redacted}."
    ),
    "vehicles_bank_details": (
        "He drives a van, reg {YR07 ABC|redacted}, and an old car {R123 XYZ|redacted}."
        " Sort code {20-00-00|redacted}, account {12345678|redacted}."
    ),
}


@marked_cases(IDENTIFIERS)
def test_an_identifier_is_kept_or_hidden_by_whose_it_is(detector: Detector, marked: str) -> None:
    assert_marked(detector, marked)


def test_work_email_of_a_professional_with_an_apostrophe_in_the_surname() -> None:
    advocate = {"id": "P10", "name": "Benn O'Sullivan", "role": "professional", "relationship": "advocate"}
    detector = Detector(load_register({**REGISTER, "people": [*REGISTER["people"], advocate]}))
    assert_marked(detector, "Copied to his advocate ({bosullivan@advocacy.example.org|kept}).")


def test_collar_number_before_an_officers_name_is_not_a_house_number(detector: Detector) -> None:
    text = "She was located by PC 9018 Mark Jones at a flat in Oakport."
    found = detector.detect(text)
    assert action_at(found, text, "Mark Jones") == {"keep"}
    assert not [f for f in found if f.category == "address"]


def test_subjects_street_broken_over_a_line_is_still_kept() -> None:
    data = {**REGISTER, "subject": {**REGISTER["subject"], "addresses": ["Flat 13, 88 Meadow Grove, Oakport, OP3 1AA"]}}
    text = "The family live in a flat at Flat 13, 88 Meadow\nGrove. The home was warm."
    found = Detector(load_register(data)).detect(text)
    assert {f.action for f in found if f.category == "address"} == {"keep"}


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


def test_upn_check_letter() -> None:
    assert upn_valid("M801200112001")
    assert not upn_valid("A801200112001")
    assert [m.category for m in find_identifiers("UPN: M801200112001")] == ["upn"]
