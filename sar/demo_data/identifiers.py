"""Identifiers that look and validate like real ones but cannot belong to anyone."""

from __future__ import annotations

import random

NHS_WEIGHTS = (10, 9, 8, 7, 6, 5, 4, 3, 2)

# NI number prefixes: the first letter is never D, F, I, Q, U or V; the second never D, F, I, O, Q,
# U or V; and a few pairs are never issued (HMRC's National Insurance Manual, NIM39110).
_NI_FIRST = "ABCEGHJKLMNOPRSTWXYZ"
_NI_SECOND = "ABCEGHJKLMNPRSTWXYZ"
_NI_NEVER_ISSUED = {"BG", "GB", "KN", "NK", "NT", "TN", "ZZ"}


def nhs_check_digit(first_nine: str) -> int | None:
    """The NHS number mod-11 check digit for nine digits, or None when no valid number starts so."""
    total = sum(int(digit) * weight for digit, weight in zip(first_nine, NHS_WEIGHTS, strict=True))
    check = 11 - total % 11
    if check == 11:
        return 0
    if check == 10:
        return None
    return check


def nhs_number_is_valid(number: str) -> bool:
    digits = "".join(ch for ch in number if ch.isdigit())
    if len(digits) != 10 or len(set(digits)) == 1:
        return False
    return nhs_check_digit(digits[:9]) == int(digits[9])


def nhs_number(rng: random.Random) -> str:
    """A valid NHS number in the 999 range, which the NHS never issues to patients; spaced 3-3-4."""
    while True:
        first_nine = "999" + "".join(str(rng.randrange(10)) for _ in range(6))
        check = nhs_check_digit(first_nine)
        if check is not None:
            digits = first_nine + str(check)
            return f"{digits[:3]} {digits[3:6]} {digits[6:]}"


def ni_prefix_is_valid(prefix: str) -> bool:
    return len(prefix) == 2 and prefix[0] in _NI_FIRST and prefix[1] in _NI_SECOND and prefix not in _NI_NEVER_ISSUED


def ni_number(rng: random.Random) -> str:
    """A National Insurance number with a valid prefix and suffix, spaced 'AB 12 34 56 C'."""
    while True:
        prefix = rng.choice(_NI_FIRST) + rng.choice(_NI_SECOND)
        if ni_prefix_is_valid(prefix):
            break
    digits = "".join(str(rng.randrange(10)) for _ in range(6))
    return f"{prefix} {digits[:2]} {digits[2:4]} {digits[4:]} {rng.choice('ABCD')}"


def mobile_number(rng: random.Random) -> str:
    """Ofcom's drama range for mobiles: 07700 900000 to 07700 900999."""
    return f"07700 900{rng.randrange(1000):03d}"


def landline_number(rng: random.Random) -> str:
    """Ofcom's drama range for the fictional 01632 area: 01632 960000 to 01632 960999."""
    return f"01632 960{rng.randrange(1000):03d}"
