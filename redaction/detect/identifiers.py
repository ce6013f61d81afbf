"""UK identifiers in free text, found by one combined pattern and checked by their own rules.

Rules are those of redaction-anchors section 5: NHS numbers pass mod-11, National Insurance
numbers respect HMRC's prefix rules (look-alikes are still caught where the text says it is an NI
number), postcodes follow BS 7666 shapes, phones are accepted at phonenumbers' POSSIBLE
leniency so Ofcom drama ranges count, dates of birth are read in every common UK form.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

import phonenumbers

from redaction.model import Category

_MONTH_NUM = {
    m: i + 1
    for i, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ]
    )
    for m in names
}
_MONTHS_RE = "|".join(sorted(_MONTH_NUM, key=len, reverse=True))

_PATTERN = re.compile(
    r"(?<![\w@.+/\-])(?:"
    r"(?P<email>[A-Za-z0-9][A-Za-z0-9._%+'\-]*@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)+)"
    r"|(?P<upn>[A-HJ-NP-RT-Z]\d{11}[0-9A-HJ-NP-RT-Z])(?![\w])"
    r"|(?P<nhs>\d{3}(?P<nsep>[ \-]?)\d{3}(?P=nsep)\d{4})(?![\w\-])"
    r"|(?P<ni>[A-Z]{2} ?\d{2} ?\d{2} ?\d{2}(?: ?[A-D])?|[A-Z]{2} ?\d{6} ?[A-D]?)(?![\w])"
    r"|(?P<iso>(?:19|20)\d{2}-[01]\d-[0-3]\d)(?![\w])"
    r"|(?P<sort>\d{2}-\d{2}-\d{2})(?![\w\-])"
    r"|(?P<sortsp>\d{2} \d{2} \d{2})(?![\w\-])"
    r"|(?P<numdate>[0-3]?\d(?P<dsep>[/.\-])[01]?\d(?P=dsep)(?:\d{4}|\d{2}))(?![\w/.]\d)"
    r"|(?P<phone>(?:\+44\s?(?:\(0\)\s?)?|00\s?44\s?|\(0|0)\d[\d \-()]{7,14}\d)"
    r"|(?P<intl>\+[1-9]\d{0,2}[ \-]?(?:\(\d{1,4}\)[ \-]?)?\d[\d \-]{5,14}\d)(?![\w])"
    r"|(?P<longdate>[0-3]?\d(?:st|nd|rd|th)?(?:\s+of)?(?:\s+|[\-/.])(?:" + _MONTHS_RE + r")\.?,?"
    r"(?:\s+\d{4}|[\-/.](?:\d{4}|\d{2})))(?!\d)"
    r"|(?P<mdate>(?:" + _MONTHS_RE + r")\.?\s+[0-3]?\d(?:st|nd|rd|th)?,?\s+\d{4})(?!\d)"
    r"|(?P<vehicle>[A-Z]{2}\d{2} ?[A-Z]{3}|[A-HJ-PR-Y]\d{1,3} ?[A-Z]{3})(?![\w])"
    r"|(?P<postcode>(?:[A-PR-UWYZ][A-HK-Y]?\d[A-Z\d]?|GIR) ?\d[ABD-HJLNP-UW-Z]{2})(?![\w])"
    r"|(?P<account>\d{8})(?![\w])"
    r")",
    re.IGNORECASE,
)

# The case-insensitive flag is for month names and e-mail; identifier shapes must be upper case.
_UPPER_KINDS = ("upn", "ni", "vehicle", "postcode")

_NI_BAD_PREFIX = {"BG", "GB", "KN", "NK", "NT", "TN", "ZZ"}
_DOB_CONTEXT = re.compile(r"(?i)(?:\bd\.?\s?o\.?\s?b\b|\bborn\b|\bbirth\b|\bb\.\s?)")
_NI_CONTEXT = re.compile(r"(?i)(?:\bni\b|national\s+insurance|\bnino\b)")
_NHS_CONTEXT = re.compile(r"(?i)\bnhs\b")
_SORT_CONTEXT = re.compile(r"(?i)sort\s*code|\bs/c\b|\bsc\b")
_ACCOUNT_CONTEXT = re.compile(r"(?i)account|\bacc(?:t)?\b|\ba/c\b|bank")
_STREET_WORDS = "road|rd|street|st|avenue|ave|close|drive|lane|crescent|grove|way|terrace|court|gardens|walk|mews|place"
_VEHICLE_CONTEXT = re.compile(r"(?i)reg(?:istration|istered|\.|\b)|\bvrm\b|plate|vehicle|car\b|van\b")


# compiled once: the handlers run for every candidate, and re's own cache lookup costs more than the match
_NI_SHAPE = re.compile(r"[A-Z]{2}\d{6}[A-D]?")
_DATE_SEP = re.compile(r"[/.\-]")
_DATE_PARTS = re.compile(r"[A-Za-z]+|\d+")
_PHONE_GROUPS = re.compile(r"(?<=\d)(?=[ \-]\(?\d)")
_NON_DIGIT = re.compile(r"\D")
_SPACE = re.compile(r"\s")
_LOWER_PLATE = re.compile(r"[a-z]{2}\d{2} ?[a-z]{3}")


@dataclass(slots=True)
class IdMatch:
    start: int
    end: int
    text: str
    category: Category
    value: str  # normalised value for comparison with the register
    date: dt.date | None = None
    has_context: bool = False


def nhs_valid(digits: str) -> bool:
    if len(digits) != 10 or not digits.isdigit():
        return False
    total = sum(int(d) * (10 - i) for i, d in enumerate(digits[:9]))
    check = 11 - total % 11
    if check == 11:
        check = 0
    return check != 10 and check == int(digits[9])


def ni_valid(value: str) -> bool:
    v = value.upper()
    if not _NI_SHAPE.fullmatch(v):
        return False
    first, second = v[0], v[1]
    return first not in "DFIQUV" and second not in "DFIOQUV" and v[:2] not in _NI_BAD_PREFIX


_UPN_LETTERS = "ABCDEFGHJKLMNPQRTUVWXYZ"


def upn_valid(value: str) -> bool:
    v = value.upper()
    if len(v) != 13 or v[0] not in _UPN_LETTERS:
        return False
    total = 0
    for i, ch in enumerate(v[1:], start=2):
        if ch.isdigit():
            total += int(ch) * i
        elif ch in _UPN_LETTERS:
            total += _UPN_LETTERS.index(ch) * i
        else:
            return False
    return _UPN_LETTERS[total % 23] == v[0]


def _date(day: int, month: int, year: int) -> dt.date | None:
    if year < 100:
        # two-digit years in case records: a birth year in the future is last century
        year += 2000 if year <= dt.date.today().year % 100 else 1900
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


@lru_cache(maxsize=65536)
def _parse_date(kind: str, text: str) -> dt.date | None:
    if kind == "iso":
        y, m, d = text.split("-")
        return _date(int(d), int(m), int(y))
    if kind == "numdate":
        parts = _DATE_SEP.split(text)
        return _date(int(parts[0]), int(parts[1]), int(parts[2]))
    words = _DATE_PARTS.findall(text)
    nums = [w for w in words if w.isdigit()]
    month = next((_MONTH_NUM[w.lower()] for w in words if w.lower() in _MONTH_NUM), None)
    if month is None or len(nums) < 2:
        return None
    return _date(int(nums[0]), month, int(nums[-1]))


@lru_cache(maxsize=65536)
def _possible_uk(national: str) -> bool:
    try:
        parsed = phonenumbers.parse(national, "GB")
    except phonenumbers.NumberParseException:
        return False
    return bool(phonenumbers.is_possible_number(parsed))


def _phone(text: str, start: int) -> tuple[int, int, str] | None:
    """Trim a phone-shaped run to the longest possible UK number it starts with."""
    stripped = text.rstrip(" -(")
    groups = _PHONE_GROUPS.split(stripped)
    for n in range(len(groups), 0, -1):
        cand = "".join(groups[:n]).rstrip(" -")
        digits = _NON_DIGIT.sub("", cand)
        if cand.startswith("+") or digits.startswith("0044"):
            rest = digits[4:] if digits.startswith("0044") else digits[2:]
            # "+44 (0)7700 ..." carries the trunk zero in brackets
            national = "0" + rest[1:] if rest.startswith("0") else "0" + rest
        else:
            national = digits
        if not (10 <= len(national) <= 11 and national.startswith("0")):
            continue
        if _possible_uk(national):
            # drop a leading "(" only when its ")" was cut off with a trailing group
            s = start + (1 if cand.startswith("(") and ")" not in cand else 0)
            return s, start + len(cand), national
    return None


def _window(text: str, start: int, width: int) -> str:
    return text[max(0, start - width) : start]


def _email(text: str, s: int, e: int, raw: str, out: list[IdMatch]) -> None:
    raw = raw.rstrip(".'-")
    out.append(IdMatch(s, s + len(raw), raw, "email", raw.lower()))


def _upn(text: str, s: int, e: int, raw: str, out: list[IdMatch]) -> None:
    if upn_valid(raw):
        out.append(IdMatch(s, e, raw, "upn", raw.upper()))


def _nhs(text: str, s: int, e: int, raw: str, out: list[IdMatch]) -> None:
    digits = _NON_DIGIT.sub("", raw)
    ctx = bool(_NHS_CONTEXT.search(_window(text, s, 30)))
    if digits.startswith("0") and not ctx:
        # a leading zero is a phone number's trunk prefix unless the text says NHS
        _phone_match(text, s, e, raw, out)
        return
    # a failed checksum still counts where the text says it is an NHS number (a typo is still identifying)
    if nhs_valid(digits) or ctx:
        out.append(IdMatch(s, e, raw, "nhs_number", digits, has_context=ctx))


def _phone_match(text: str, s: int, e: int, raw: str, out: list[IdMatch]) -> None:
    got = _phone(raw, s)
    if got:
        ps, pe, national = got
        out.append(IdMatch(ps, pe, text[ps:pe], "phone", national))


def _ni(text: str, s: int, e: int, raw: str, out: list[IdMatch]) -> None:
    value = _SPACE.sub("", raw).upper()
    ctx = bool(_NI_CONTEXT.search(_window(text, s, 40)))
    if ni_valid(value) or (ctx and _NI_SHAPE.fullmatch(value)):
        out.append(IdMatch(s, e, raw, "ni_number", value, has_context=ctx))


def _sort(text: str, s: int, e: int, raw: str, out: list[IdMatch]) -> None:
    if _SORT_CONTEXT.search(_window(text, s, 40)) or _parse_date("numdate", raw) is None:
        out.append(IdMatch(s, e, raw, "bank", raw.replace("-", ""), has_context=True))
    else:
        _date_match(text, s, e, raw, "numdate", out)


def _vehicle(text: str, s: int, e: int, raw: str, out: list[IdMatch]) -> None:
    ctx = bool(_VEHICLE_CONTEXT.search(_window(text, s, 40)))
    out.append(IdMatch(s, e, raw, "vehicle", _SPACE.sub("", raw).upper(), has_context=ctx))


def _postcode(text: str, s: int, e: int, raw: str, out: list[IdMatch]) -> None:
    out.append(IdMatch(s, e, raw, "postcode", _SPACE.sub("", raw).upper()))


def _account(text: str, s: int, e: int, raw: str, out: list[IdMatch]) -> None:
    if _ACCOUNT_CONTEXT.search(_window(text, s, 40)):
        out.append(IdMatch(s, e, raw, "bank", raw, has_context=True))


def _dates(kind: str) -> Handler:
    def handle(text: str, s: int, e: int, raw: str, out: list[IdMatch]) -> None:
        _date_match(text, s, e, raw, kind, out)

    return handle


Handler = Callable[[str, int, int, str, list[IdMatch]], None]


# Runs of digits and "@" no more than 40 characters apart on one line, found in one pass.
_CLUSTER = re.compile(r"[\d@](?:[^\n\d@]{0,40}[\d@])*")


def _windows(text: str) -> list[tuple[int, int]]:
    """Stretches of text around digits and "@": every identifier has one, and prose has few."""
    n = len(text)
    spans: list[list[int]] = []
    for m in _CLUSTER.finditer(text):
        at = "@" in m.group()
        s = max(0, m.start() - (80 if at else 16))
        e = min(n, m.end() + (100 if at else 24))
        if spans and s <= spans[-1][1]:
            spans[-1][1] = max(spans[-1][1], e)
        else:
            spans.append([s, e])
    return [(s, e) for s, e in spans]


def find_identifiers(text: str) -> list[IdMatch]:
    out: list[IdMatch] = []
    for ws, we in _windows(text):
        _scan(text, ws, we, out)
    return out


def _scan(text: str, ws: int, we: int, out: list[IdMatch]) -> None:
    for m in _PATTERN.finditer(text, ws, we):
        kind = m.lastgroup
        if kind is None:
            continue
        s, e = m.span(kind)
        raw = text[s:e]
        if kind in _UPPER_KINDS and not raw.isupper() and not _lower_case_allowed(text, s, kind, raw):
            continue
        _HANDLERS[kind](text, s, e, raw, out)


_LOWER_POSTCODE_CONTEXT = re.compile(r"(?i)\b(?:postcode|post code|" + _STREET_WORDS + r")\b[^\n]{0,30}$")


def _lower_case_allowed(text: str, s: int, kind: str, raw: str) -> bool:
    """Informal notes write postcodes and number plates in lower case: "bradford bd7 1aa", "reg ab12 cde"."""
    if not raw.islower():
        return False
    before = _window(text, s, 40)
    if kind == "postcode":
        return bool(_LOWER_POSTCODE_CONTEXT.search(before))
    if kind == "vehicle":
        # only the current two-letter, two-digit format: "a12 for" is not a plate
        return bool(_LOWER_PLATE.fullmatch(raw)) and bool(_VEHICLE_CONTEXT.search(before))
    return False


def _intl(text: str, s: int, e: int, raw: str, out: list[IdMatch]) -> None:
    """A number abroad ("+48 601 234 567"): a relative's phone in another country is still theirs."""
    digits = _NON_DIGIT.sub("", raw)
    try:
        parsed = phonenumbers.parse("+" + digits, None)
    except phonenumbers.NumberParseException:
        return
    if phonenumbers.is_possible_number(parsed):
        out.append(IdMatch(s, e, raw, "phone", "+" + digits))


def _sort_spaced(text: str, s: int, e: int, raw: str, out: list[IdMatch]) -> None:
    if _SORT_CONTEXT.search(_window(text, s, 40)):
        out.append(IdMatch(s, e, raw, "bank", raw.replace(" ", ""), has_context=True))


def _date_match(text: str, s: int, e: int, raw: str, kind: str, out: list[IdMatch]) -> None:
    before = _window(text, s, 40)
    date = _parse_date(kind, raw)
    if date is None:
        return
    # Only the nearest preceding words count as context: "DOB" or "born" just before the date.
    near = before[-24:]
    ctx = bool(_DOB_CONTEXT.search(near))
    out.append(IdMatch(s, e, raw, "dob", date.isoformat(), date=date, has_context=ctx))


_HANDLERS: dict[str, Handler] = {
    "email": _email,
    "upn": _upn,
    "nhs": _nhs,
    "phone": _phone_match,
    "ni": _ni,
    "sort": _sort,
    "sortsp": _sort_spaced,
    "intl": _intl,
    "iso": _dates("iso"),
    "numdate": _dates("numdate"),
    "longdate": _dates("longdate"),
    "mdate": _dates("mdate"),
    "vehicle": _vehicle,
    "postcode": _postcode,
    "account": _account,
}
