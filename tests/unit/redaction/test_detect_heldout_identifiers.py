"""Identifier layouts and letterheads that records written in other voices use (found on our own corpus)."""

from __future__ import annotations

import pytest
from detect_cases import assert_marked, marked_cases

from redaction import Detector
from redaction.detect.addresses import find_addresses
from redaction.detect.identifiers import find_identifiers


@pytest.mark.parametrize(
    ("text", "value"),
    [
        pytest.param("DOB: 11-Sep-1988.", "1988-09-11", id="abbreviated_month_and_dashes"),
        pytest.param("born 3/Feb/91", "1991-02-03", id="abbreviated_month_and_slashes_two_digit_year"),
        pytest.param("Your date of birth: 14th of July 2007", "2007-07-14", id="ordinal_of_month"),
    ],
)
def test_date_of_birth_written_another_way_is_read_as_the_date(text: str, value: str) -> None:
    got = [m for m in find_identifiers(text) if m.category == "dob"]
    assert got and got[0].value == value


def test_nhs_number_with_a_leading_zero_is_not_a_phone() -> None:
    got = find_identifiers("NHS No: 0364262125")
    assert [(m.category, m.value) for m in got] == [("nhs_number", "0364262125")]
    # without the context a ten-digit run starting 0 is still read as a phone number
    assert [m.category for m in find_identifiers("freephone 0800123456 today")] == ["phone"]


@pytest.mark.parametrize(
    ("text", "found"),
    [
        pytest.param("Dad in Poland is on +48 601 234 567.", [("phone", "+48 601 234 567")], id="phone_number_abroad"),
        pytest.param(
            "Sort code 20 45 77, account no. 41830062",
            [("bank", "20 45 77"), ("bank", "41830062")],
            id="spaced_sort_code_and_account",
        ),
        pytest.param("meet at 10 30 45 min", [], id="spaced_times_are_not_a_sort_code"),
        pytest.param(
            "mum now lives at 14 oak street, bradford bd7 1aa",
            [("postcode", "bd7 1aa")],
            id="lower_case_postcode_in_an_informal_note",
        ),
        pytest.param("car reg ab12 cde seen outside", [("vehicle", "ab12 cde")], id="lower_case_plate"),
        pytest.param("the car park by junction a12 for", [], id="a_road_number_is_not_a_plate"),
    ],
)
def test_identifier_written_another_way(text: str, found: list[tuple[str, str]]) -> None:
    assert [(m.category, m.text) for m in find_identifiers(text)] == found


@pytest.mark.parametrize(
    ("text", "spans"),
    [
        pytest.param(
            "staying at\n> 41b Fernside Court, Ashby Road, Brackenford some nights.",
            ["41b Fernside Court, Ashby Road, Brackenford"],
            id="house_number_letter_then_a_road_and_town_before_prose",
        ),
        pytest.param(
            "Address: Flat 6, Tern House, 88 Quayside Road, Lowmoor WS4 7RJ\n",
            ["Flat 6, Tern House, 88 Quayside Road, Lowmoor"],
            id="flat_in_a_named_building_then_numbered_street",
        ),
        pytest.param(
            "Mrs X\nApartment 12, Lister Mill, 3 Canal Wharf, Kelderton\nKT4 8PE\n",
            ["Apartment 12, Lister Mill, 3 Canal Wharf, Kelderton"],
            id="apartment_in_a_named_mill_then_numbered_wharf",
        ),
        pytest.param(
            "Unit 2, Riverside Business Park, Mardale MD2 4GG",
            ["Unit 2, Riverside Business Park, Mardale"],
            id="unit_on_a_business_park_is_one_address",
        ),
    ],
)
def test_address_written_another_way_is_one_span(text: str, spans: list[str]) -> None:
    assert [text[a.start : a.end] for a in find_addresses(text)] == spans


# {phrase|mark}: what the detector must do with the phrase (the marks are explained in conftest.py)
LETTERHEADS_AND_OWNERS = {
    "housing_provider_letterhead_is_kept": (
        "Oakport Homes - Housing Management\nUnit 2, {Riverside Business Park|kept}, Oakport\n{OP2 4GG|kept}\n"
        "\nDear Ms Smith,"
    ),
    "initial_dot_surname_email_of_a_professional_missing_from_the_register": (
        "Please contact Grace Patel on {g.patel@oakporthomes.org.uk|kept} if you need to."
    ),
    "phone_after_a_named_organisation_is_kept_but_a_relative_phone_is_not": (
        "Immunisations up to date per GP (Netherby Health Centre, {0113 496 0877|kept}).\n"
        "Mum's number {07700 900999|redacted}."
    ),
    "third_party_dob_in_a_referral_form_is_hidden": "PERPETRATOR\nName: Robert Hughes     DOB: {11-Sep-1988|hidden}\n",
    "work_mobile_of_a_named_professional_in_the_next_sentence_is_kept": (
        "Your social worker is Grace Patel. Her work mobile is {07700 900410|kept}.\n"
        "Mum's mobile is {07700 900411|redacted}."
    ),
}


@marked_cases(LETTERHEADS_AND_OWNERS)
def test_an_identifier_is_kept_or_hidden_by_whose_it_is(detector: Detector, marked: str) -> None:
    assert_marked(detector, marked)
