"""Identifier checks and canonical forms for the case register (people.json's forms)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

import pytest
from support import eval_corpus

from sar import calendar
from sar.cases import validators as v


@pytest.mark.parametrize("number", ["943 476 5919", "9434765919", "943-476-5919", "401 023 2137"])
def test_valid_nhs_numbers(number):
    assert v.nhs_number_valid(number)


@pytest.mark.parametrize("number", ["943 476 5918", "123", "94347659190", "abcdefghij", ""])
def test_invalid_nhs_numbers(number):
    assert not v.nhs_number_valid(number)


def test_an_nhs_number_whose_check_digit_would_be_10_is_invalid():
    # 1234567890: weighted sum 1*10+2*9+...+9*2 = 210; 210 % 11 = 1; 11 - 1 = 10 -> invalid whatever the last digit
    assert not any(v.nhs_number_valid(f"123456789{d}") for d in range(10))


def test_nhs_canonical_form():
    assert v.canonical_nhs_number("9434765919") == "943 476 5919"
    with pytest.raises(v.InvalidValue, match="real NHS number"):
        v.canonical_nhs_number("9434765918")


@pytest.mark.parametrize("nino", ["AB123456C", "ab 12 34 56 c", "JG103759A", "ZA 12 34 56 D"])
def test_valid_ni_numbers(nino):
    assert v.ni_number_valid(nino)


@pytest.mark.parametrize(
    "nino",
    [
        "QQ123456C",
        "DA123456A",
        "AD123456A",
        "AO123456A",
        "BG123456A",
        "GB123456A",
        "NK123456A",
        "TN123456A",
        "ZZ123456A",
        "AB123456E",
        "AB123456",
        "A1234567C",
        "",
    ],
)
def test_invalid_ni_numbers(nino):
    assert not v.ni_number_valid(nino)


def test_ni_canonical_form():
    assert v.canonical_ni_number("ab123456c") == "AB 12 34 56 C"


@pytest.mark.parametrize(
    ("raw", "canonical"),
    [
        ("07700900123", "07700 900123"),
        ("+44 7700 900123", "07700 900123"),
        ("+44 (0)7700 900123", "07700 900123"),
        ("0044 7700 900 123", "07700 900123"),
        ("0113 496 0075", "0113 496 0075"),
        ("(0113) 4960075", "0113 496 0075"),
        ("01632960466", "01632 960466"),
        ("0191 498 0123", "0191 498 0123"),
        ("02079460000", "020 7946 0000"),
        ("03001234567", "0300 123 4567"),
        ("+33 1 23 45 67 89", "+33123456789"),
    ],
)
def test_phone_canonical_forms(raw, canonical):
    assert v.canonical_phone(raw) == canonical


@pytest.mark.parametrize("raw", ["12345", "0770090012", "phone me", "077009001234"])
def test_bad_phones(raw):
    with pytest.raises(v.InvalidValue):
        v.canonical_phone(raw)


def test_addresses_become_one_line_ending_in_the_postcode():
    assert v.canonical_address("14 Elm Road\nNetherfield\r\nCalderbridge\nhx3 5tt") == (
        "14 Elm Road, Netherfield, Calderbridge, HX3 5TT"
    )
    tidied = v.canonical_address("Flat 3,  22 Kirkgate, Calderbridge HX35TT")
    assert tidied == "Flat 3, 22 Kirkgate, Calderbridge, HX3 5TT"
    assert v.canonical_address("Rose Cottage, Mill Lane") == "Rose Cottage, Mill Lane"
    with pytest.raises(v.InvalidValue):
        v.canonical_address(" , \n ")


def test_emails():
    assert v.canonical_email(" a.b@example.org ") == "a.b@example.org"
    with pytest.raises(v.InvalidValue):
        v.canonical_email("a.b@example")


@pytest.mark.parametrize(
    ("raw", "parsed"),
    [
        ("14:30", time(14, 30)),
        ("9.05", time(9, 5)),
        ("0930", time(9, 30)),
        ("2pm", time(14)),
        ("12am", time(0)),
        ("12:15 PM", time(12, 15)),
        ("9:30am", time(9, 30)),
    ],
)
def test_times(raw, parsed):
    assert v.parse_time(raw) == parsed


@pytest.mark.parametrize("raw", ["25:00", "14:60", "13pm", "noon", "14", ""])
def test_bad_times(raw):
    with pytest.raises(v.InvalidValue):
        v.parse_time(raw)


def test_date_parts_messages():
    assert calendar.parse_date_parts("29", "2", "2024", "the date") == date(2024, 2, 29)
    for parts, message in [
        (("", "", ""), "Enter the date"),
        (("", "2", "2024"), "The date must include a day"),
        (("1", "", ""), "The date must include a month and year"),
        (("29", "2", "2023"), "The date must be a real date"),
        (("1", "2", "24"), "The date must be a real date"),
        (("a", "2", "2024"), "The date must be a real date"),
    ]:
        with pytest.raises(ValueError, match=message):
            calendar.parse_date_parts(*parts, "the date")


def test_received_must_be_past_and_after_the_uk_gdpr_began():
    now = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
    v.check_received(datetime(2018, 5, 25, 0, 0, tzinfo=UTC), now)
    with pytest.raises(v.InvalidValue, match="in the past"):
        v.check_received(datetime(2026, 11, 25, 12, 1, tzinfo=UTC), now)
    with pytest.raises(v.InvalidValue, match="25 May 2018"):
        v.check_received(datetime(2018, 5, 24, 23, 0, tzinfo=UTC), now)


def test_the_corpus_registers_are_already_in_canonical_form():
    """The register's canonical forms are the people.json format's: every corpus identifier is a fixed point."""
    import json

    corpus = eval_corpus()
    checked = 0
    for path in sorted(corpus.glob("*.people.json")):
        register = json.loads(path.read_text(encoding="utf-8"))
        for person in [register["subject"], *register["people"]]:
            for phone in person.get("phones", []):
                assert v.canonical_phone(phone) == phone, (path.name, phone)
            for address in person.get("addresses", []):
                assert v.canonical_address(address) == address, (path.name, address)
            for email in person.get("emails", []):
                assert v.canonical_email(email) == email
            if person.get("nhs_number"):
                assert v.canonical_nhs_number(person["nhs_number"]) == person["nhs_number"]
            if person.get("ni_number"):
                assert v.canonical_ni_number(person["ni_number"]) == person["ni_number"]
            checked += 1
    assert checked > 300
