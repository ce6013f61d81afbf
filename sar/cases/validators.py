"""Checks and canonical forms for the identifiers in the case register.

Pure functions (no Flask, no database). The canonical forms are those of the people.json format
(shared/eval/README.md) that the redaction library reads: NHS numbers spaced 3-3-4, NI numbers
spaced ``AB 12 34 56 C``, phones in Ofcom's grouping (``07700 900123``, ``0113 496 0075``,
``01632 960466``), addresses one comma-separated line ending in the postcode, dates of birth ISO.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time

from redaction import nhs_valid, ni_valid

# The UK GDPR and DPA 2018 apply from this date; a rights request cannot have been received before it.
EARLIEST_RECEIVED = date(2018, 5, 25)


class InvalidValue(ValueError):
    """A value a person typed cannot be used; the message is written for them."""


def nhs_number_valid(value: str) -> bool:
    """NHS Data Dictionary mod-11, the same rule the redaction library uses to recognise one."""
    return nhs_valid(re.sub(r"[\s-]", "", value))


def canonical_nhs_number(value: str) -> str:
    digits = re.sub(r"[\s-]", "", value)
    if not nhs_number_valid(digits):
        raise InvalidValue("Enter a real NHS number, like 943 476 5919")
    return f"{digits[:3]} {digits[3:6]} {digits[6:]}"


def ni_number_valid(value: str) -> bool:
    """HMRC's prefix rules (as the redaction library applies them), and here the A-D suffix is required:
    the register holds the full number, while the detector must also catch it written without one."""
    v = re.sub(r"\s", "", value).upper()
    return len(v) == 9 and ni_valid(v)


def canonical_ni_number(value: str) -> str:
    v = re.sub(r"\s", "", value).upper()
    if not ni_number_valid(v):
        raise InvalidValue("Enter a National Insurance number in the correct format, like QQ 12 34 56 C")
    return f"{v[:2]} {v[2:4]} {v[4:6]} {v[6:8]} {v[8]}"


def canonical_phone(value: str) -> str:
    """UK numbers in the register's spacing; anything else (overseas) kept as typed, tidied."""
    text = " ".join(value.split())
    if not re.fullmatch(r"\+?[\d\s().-]+", text):
        raise InvalidValue("Enter a phone number using only numbers, spaces and +, like 07700 900123")
    digits = re.sub(r"\D", "", text)
    if text.startswith("+44") or digits.startswith("0044"):
        digits = "0" + digits[(2 if text.startswith("+44") else 4) :]
        digits = "0" + digits[2:] if digits.startswith("00") else digits  # "+44 (0)7..." keeps a spare 0
    elif text.startswith("+"):
        if not 7 <= len(digits) <= 15:
            raise InvalidValue("Enter a phone number, like 07700 900123 or +33 1 23 45 67 89")
        return "+" + digits
    if len(digits) != 11 or not digits.startswith("0"):
        raise InvalidValue("Enter a UK phone number with 11 digits, like 07700 900123 or 0113 496 0075")
    return _uk_spacing(digits)


def _uk_spacing(digits: str) -> str:
    """Ofcom's conventional grouping, as the corpus registers write it: 020 7946 0000, 0113 496 0075,
    01632 960466, 07700 900123, 0300 123 4567."""
    if digits.startswith("02"):
        return f"{digits[:3]} {digits[3:7]} {digits[7:]}"
    if digits.startswith("01") and (digits[3] == "1" or digits[2] == "1"):  # 011x and 01x1 cities
        return f"{digits[:4]} {digits[4:7]} {digits[7:]}"
    if digits.startswith(("01", "07")):
        return f"{digits[:5]} {digits[5:]}"
    return f"{digits[:4]} {digits[4:7]} {digits[7:]}"  # 03, 05, 08, 09


_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


def canonical_email(value: str) -> str:
    text = value.strip()
    if not _EMAIL.fullmatch(text):
        raise InvalidValue("Enter an email address in the correct format, like name@example.com")
    return text


_POSTCODE_TAIL = re.compile(r"(?<![A-Za-z\d])([A-Za-z]{1,2}\d[A-Za-z\d]?)\s*(\d[A-Za-z]{2})$")


def canonical_address(value: str) -> str:
    """One comma-separated line; a trailing postcode in capitals with its single space."""
    parts = [" ".join(part.split()) for part in re.split(r"[,\n\r]+", value)]
    line = ", ".join(part for part in parts if part)
    if not line:
        raise InvalidValue("Enter an address")
    match = _POSTCODE_TAIL.search(line)
    if match:
        # The postcode is its own comma-separated part, as in the people.json format.
        head = line[: match.start()].rstrip(" ,")
        postcode = f"{match.group(1).upper()} {match.group(2).upper()}"
        line = f"{head}, {postcode}" if head else postcode
    return line


def parse_time(value: str) -> time:
    """A time as staff type it: 14:30, 14.30, 0930, 9:30am, 2pm."""
    text = value.strip().lower().replace(" ", "")
    match = re.fullmatch(r"(\d{1,2})(?:[:.]?(\d{2}))?(am|pm)?", text)
    if not match:
        raise InvalidValue("Enter the time received as hours and minutes, like 14:30")
    hour, minute, half = int(match.group(1)), int(match.group(2) or 0), match.group(3)
    if half:
        if not 1 <= hour <= 12:
            raise InvalidValue("Enter a real time, like 9:30am or 14:30")
        hour = hour % 12 + (12 if half == "pm" else 0)
    elif match.group(2) is None:
        raise InvalidValue("Enter the time received as hours and minutes, like 14:30")
    if hour > 23 or minute > 59:
        raise InvalidValue("Enter a real time, like 14:30")
    return time(hour, minute)


def check_received(received_at: datetime, now: datetime) -> None:
    """A request cannot arrive in the future, nor before the UK GDPR applied."""
    if received_at > now:
        raise InvalidValue("The date and time received must be in the past")
    if received_at.date() < EARLIEST_RECEIVED:
        raise InvalidValue("The date received must be on or after 25 May 2018")
