"""Postal addresses: from the flat or house number to the town, inline or as a letter's address block.

An address is anchored on a house number followed by a street ("22 Kirkgate", "Flat 3, 22 Mill
Road", "Flat 15, Denby Tower, Lister Close") and then runs through comma- or line-separated
place names (locality, town) up to an optional postcode. A bare street with no number ("stopped
on Kings Way") is not an address. A street without a usual suffix counts only when a postcode
closes the address, which keeps "3 Children" and the like out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from redaction.detect.lexicon import first_names, fold

_CAP = r"[A-Z][A-Za-z'’\-]*[a-z][A-Za-z'’\-]*"
_STREET_SUFFIX = (
    r"(?:Road|Rd|Street|St|Avenue|Ave|Close|Drive|Dr|Lane|Ln|Crescent|Cres|Grove|Way|Terrace|Court|Ct|"
    r"Gardens|Gdns|Walk|Mews|Rise|View|Place|Pl|Square|Sq|Hill|Park|Green|Row|Parade|Vale|Fold|Croft|Gate|"
    r"Wharf|Quay|Yard|Boulevard|Circus|Chase|Meadows?|Heights|Bank|End|Side|Approach|Brow|Hollow|Wynd|Loan|"
    r"Path|Passage|Embankment|Broadway|Causeway|Drove|Garth|Leys|Nook|Paddock|Orchard|Dene|Field|Fields)"
)
_BUILDING = (
    r"(?:" + _CAP + r"\s+){1,2}"
    r"(?:House|Tower|Court|Lodge|Heights|Mansions|Buildings|Block|Point|Hall|Apartments|Cottages?|Flats|Villas?)"
)
_FLAT = r"(?:Flat|Apartment|Apt|Unit|Room|Maisonette)\s+\d{1,4}[A-Za-z]?"
_NUM = r"\d{1,4}[A-Za-z]?"
_GAP = r",?[ \t]+"  # the street follows its number on the same line
_GAP_LINE = r",?(?:[ \t]+|[ \t]*\n[ \t]*)"  # or, after a flat number, on the next line

_ANCHOR = re.compile(
    r"(?<![\w/.:\-])(?:"
    # Flat 3, Denby Tower, 12 Lister Close / Flat 3, Denby Tower, Lister Close
    r"(?P<bldg>"
    + _FLAT
    + r",?\s+(?:"
    + _BUILDING
    + r"|(?:"
    + _CAP
    + r"[ \t]+){1,3}"
    + _STREET_SUFFIX
    + r"(?=[ \t]*(?:[,.;)\n]|$))|(?:"
    + _CAP
    + r"[ \t]+){0,2}"
    + _CAP
    # "Apartment 12, Lister Mill, 3 Canal Wharf": any building name when a house number follows it
    + r"(?=,?[ \t]+"
    + _NUM
    + r"[ \t]+[A-Z])))"
    # [Flat 3,] 22 Mill Road
    # [Flat 3,] 22 Mill Road; the street's words stay on one line unless the street ends its line
    r"|(?P<street>(?:"
    + _FLAT
    + r",?\s+)?"
    + _NUM
    + _GAP_LINE
    + r"(?:(?:"
    + _CAP
    + r"\s+){0,3}"
    + _STREET_SUFFIX
    + r"(?=[ \t]*(?:[,.;)\n]|$))|(?:"
    + _CAP
    + r"[ \t]+){0,3}"
    + _STREET_SUFFIX
    + r"))"
    # [Flat 3,] 22 Kirkgate  (needs a postcode to close it)
    r"|(?P<bare>(?:" + _FLAT + r",?\s+)?" + _NUM + _GAP + _CAP + r"(?:[ \t]+" + _CAP + r")?)"
    r")(?![\w'’])"
)
_POSTCODE = r"(?:[A-PR-UWYZ][A-HK-Y]?\d[A-Z\d]?|GIR) ?\d[ABD-HJLNP-UW-Z]{2}(?![\w])"
# one locality or town: capitalised words, "St" and "upon"-style joiners allowed inside
_PLACE = _CAP + r"(?:\s+(?:St\.?|upon|on|le|under|in|by|de|-)?\s*" + _CAP + r"){0,3}"
_NEXT_INLINE = re.compile(
    r"(?:\s*,\s*(?:\n\s*)?(" + _PLACE + r")(?=\s*(?:[,.;()\n]|$|\s+and\b|\s+" + _POSTCODE + r")|[ \t]+[a-z])"
    # "Flat 6, Tern House, 88 Quayside Road": the numbered street after a building
    r"|\s*,\s*(?:\n\s*)?(" + _NUM + r"[ \t]+(?:" + _CAP + r"[ \t]+){0,3}" + _STREET_SUFFIX + r")(?![\w'’])"
    # "22 Mill Road Oakport OP2 4RT": a town without a comma, but only when a postcode follows it
    r"|[ \t]+(" + _PLACE + r")(?=[ \t]+" + _POSTCODE + r"))"
)
_NEXT_LINE = re.compile(r"[ \t]*\n[ \t]*(" + _PLACE + r")[ \t,]*(?=\n|$)")
_TAIL_POSTCODE = re.compile(r"(?:\s*,\s*|\s+|[ \t]*\n[ \t]*)(" + _POSTCODE + r")")
_RANKS = frozenset(["PC", "DC", "DS", "DI", "DCI", "DSI", "SGT", "PCSO", "INSP", "SUPT", "NO", "ROOM", "BED"])
_MONTH_WORDS = frozenset(
    [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
        "Jan",
        "Feb",
        "Mar",
        "Apr",
        "Jun",
        "Jul",
        "Aug",
        "Sep",
        "Sept",
        "Oct",
        "Nov",
        "Dec",
    ]
)


@dataclass(frozen=True, slots=True)
class AddressMatch:
    start: int
    end: int
    postcode: tuple[int, int] | None  # the closing postcode's span, when there is one


def _bare_is_address(anchor: str, places: int) -> bool:
    """A street with no usual suffix ("80 Westgate") needs a flat number or a town after it."""
    if anchor.startswith(("Flat", "Apartment", "Apt", "Unit", "Room", "Maisonette")):
        return True
    words = anchor.split()[1:]
    lexicon = first_names()
    return places >= 1 and not any(fold(w) in lexicon for w in words)


# street suffixes that are also common surnames: "Megan Hill", "Jodie Green", "Kirsty Field"
_SURNAME_SUFFIXES = frozenset(
    [
        "green",
        "hill",
        "lane",
        "field",
        "fields",
        "park",
        "bank",
        "row",
        "chase",
        "vale",
        "croft",
        "gate",
        "wood",
        "brook",
        "dale",
        "banks",
        "grove",
        "close",
        "way",
    ]
)


def _reads_as_a_name(anchor: str) -> bool:
    """ "3 Megan Hill": a forename then a surname-like suffix, with no town or postcode, is a person.

    Addresses named after a forename ("Florence Road") keep a suffix no surname has.
    """
    words = anchor.split()[1:]
    return len(words) == 2 and fold(words[0]) in first_names() and fold(words[1]) in _SURNAME_SUFFIXES


_LIVES_AT = re.compile(
    r"(?i)\b(?:lives?|living|lived|stay(?:s|ed|ing)?|moved|resides?|address(?:ed)?|home|sent)\b[\w ]{0,12}"
    r"\b(?:at|on|to|in)\s+$"
)
# Where an anchor can begin: a flat word, or a house number followed by a capitalised word. Each
# pattern starts with a character class or literal so the engine can skip ahead quickly.
_TRIGGER_FLAT = re.compile(r"(?:Flat|Apartment|Apt|Unit|Room|Maisonette)\s+\d")
# a number straight after a colon is the minutes of a time ("10:15 Megan Hill left"), not a house
_TRIGGER_NUMBER = re.compile(r"\d(?<![\w/.:\-]\d)\d{0,3}[A-Za-z]?,?[ \t]+[A-Z]")


def _anchors(text: str) -> list[re.Match[str]]:
    starts = {t.start() for t in _TRIGGER_FLAT.finditer(text)}
    starts.update(t.start() for t in _TRIGGER_NUMBER.finditer(text))
    found: list[re.Match[str]] = []
    for start in sorted(starts):
        m = _ANCHOR.match(text, start)
        if m is not None:
            found.append(m)
    return found


def find_addresses(text: str) -> list[AddressMatch]:
    out: list[AddressMatch] = []
    pos = 0
    for m in _anchors(text):
        if m.start() < pos:
            continue
        kind = m.lastgroup
        end = m.end()
        words = m.group(0).split()
        before = text[max(0, m.start() - 12) : m.start()].split()
        word_before = before[-1].strip(",.") if before else ""
        if any(w.strip(",") in _MONTH_WORDS for w in words) or word_before in _MONTH_WORDS:
            continue
        if word_before.upper() in _RANKS:
            continue  # "PC 9018 Chase Moran": a collar number, not a house number
        # follow the address through its localities and town
        places = 0
        while True:
            nxt = _NEXT_INLINE.match(text, end) or _NEXT_LINE.match(text, end)
            if nxt is None:
                break
            end = nxt.end(nxt.lastindex or 1)
            places += 1
        pc = _TAIL_POSTCODE.match(text, end)
        postcode = pc.span(1) if pc else None
        if kind == "street" and postcode is None and places == 0 and _reads_as_a_name(m.group(0)):
            continue
        if (
            kind == "bare"
            and postcode is None
            and not _bare_is_address(m.group(0), places)
            and not _LIVES_AT.search(text, max(0, m.start() - 30), m.start())
        ):
            continue
        out.append(AddressMatch(m.start(), end, postcode))
        pos = postcode[1] if postcode else end
    return out


_ORG_WORDS = re.compile(
    r"(?i)\b(?:council|surgery|practice|centre|center|school|academy|college|trust|hospital|clinic|police|"
    r"service|services|nhs|offices|department|nursery|hall|headquarters|civic|constabulary|housing|association|"
    r"authority|agency|limited|ltd|plc|charity|foundation|partnership|management|directorate|team|unit|board|"
    r"solicitors|llp|chambers|barristers|cafcass|court|courts|tribunal)\b"
)
# a barristers' chambers or a firm named just after the street ("4 Brick Court Chambers") or
# just before it on the same line ("Garden Court Chambers, 57-60 Lincoln's Inn Fields")
_FIRM_WORDS = r"(?:Chambers|Solicitors|SOLICITORS|LLP|Barristers|CHAMBERS)"
_FIRM_AFTER = re.compile(r"[ \t]+" + _FIRM_WORDS + r"\b")
_FIRM_BEFORE = re.compile(r"\b" + _FIRM_WORDS + r"\b[^\n:]{0,12}$")


def firm_address(text: str, start: int, end: int) -> bool:
    """True when the address at ``start:end`` is a firm's or chambers' own, named on its line."""
    if _FIRM_AFTER.match(text, end):
        return True
    line_start = text.rfind("\n", 0, start) + 1
    return _FIRM_BEFORE.search(text, line_start, start) is not None


_STREET_END = re.compile(r"(?i)\b" + _STREET_SUFFIX + r"\s*$")


def organisation_block(text: str, pos: int) -> bool:
    """True when ``pos`` sits in a letterhead block headed by an organisation ("Bankside Surgery").

    The block is the run of short lines, without a blank line or a form label ("Address:"), that
    ends at ``pos``; one of them must name an organisation rather than a street.
    """
    line_start = text.rfind("\n", 0, pos) + 1
    lines = [text[line_start:pos]]
    cursor = line_start
    for _ in range(6):
        if cursor <= 0:
            break
        prev_start = text.rfind("\n", 0, cursor - 1) + 1
        line = text[prev_start : cursor - 1]
        if not line.strip():
            break
        lines.append(line)
        cursor = prev_start
    for line in lines:
        if ":" in line or len(line.split()) > 6:
            return False
        if _ORG_WORDS.search(line) and not _STREET_END.search(line) and not any(ch.isdigit() for ch in line):
            return True
    return False
