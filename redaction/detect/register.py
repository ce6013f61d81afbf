"""The case register: who the data subject is, and everyone else the record may name.

``load_register`` reads ``people.json`` (format in shared/eval/README.md) and builds the
name variants a careful reader would recognise: full names, first names, surnames, nicknames
(including British short forms that US-derived tables lack), initials where the register
defines them, and hyphenated surnames' parts. Identifiers are normalised once here so that
detection compares like with like.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal, cast, get_args

from nicknames import NickNamer

from redaction.detect.lexicon import NOT_NAME, WORD_NAMES, first_names, fold

PersonRole = Literal["subject", "requester", "professional", "third_party"]
ROLES: tuple[PersonRole, ...] = get_args(PersonRole)

# British diminutives missing from, or weak in, the nicknames package.
_BRITISH_SHORT_FORMS: dict[str, tuple[str, ...]] = {
    "robert": ("robbie", "rob", "bob", "bobby", "robbo"),
    "natasha": ("tash", "tasha"),
    "elizabeth": ("beth", "lizzie", "liz", "libby", "betty", "bess"),
    "william": ("will", "bill", "billy", "liam", "wills"),
    "henry": ("harry", "hal"),
    "richard": ("rich", "richie", "dick", "ricky"),
    "kenneth": ("ken", "kenny"),
    "leonard": ("len", "lenny"),
    "gregory": ("greg",),
    "margaret": ("maggie", "mags", "peggy", "meg"),
    "rebecca": ("becky", "becca", "bex"),
    "jennifer": ("jen", "jenny"),
    "deborah": ("debbie", "debs", "deb"),
    "gareth": ("gaz",),
    "gary": ("gaz",),
    "barry": ("baz",),
    "sharon": ("shaz",),
    "karen": ("kaz",),
    "theodore": ("theo", "ted"),
    "edward": ("ed", "eddie", "ted", "ned"),
    "frederick": ("fred", "freddie"),
    "alfred": ("alf", "alfie"),
    "archibald": ("archie",),
    "oliver": ("ollie", "olly"),
    "charlotte": ("lottie", "charlie"),
    "eleanor": ("ellie", "nell", "nora"),
    "isabella": ("izzy", "bella", "issy"),
    "isabel": ("izzy", "issy"),
    "abigail": ("abbie", "abi", "abby"),
    "gabriella": ("gabby",),
    "stephanie": ("steph",),
    "samantha": ("sam", "sammy"),
    "victoria": ("vicky", "tori", "vic"),
    "patricia": ("trish", "tricia", "pat"),
    "kathleen": ("kath", "kathy"),
    "katherine": ("kate", "katie", "kath", "kathy", "kat"),
    "catherine": ("cath", "cathy", "kate", "katie", "cat"),
    "beverley": ("bev",),
    "frances": ("fran", "frankie"),
    "francis": ("frank", "frankie"),
    "michael": ("mick", "mickey", "mikey", "mike"),
    "matthew": ("matt", "matty"),
    "thomas": ("tom", "tommy"),
    "james": ("jim", "jimmy", "jamie"),
    "joseph": ("joe", "joey"),
    "daniel": ("dan", "danny"),
    "anthony": ("tony", "ant"),
    "nicholas": ("nick", "nicky"),
    "christopher": ("chris", "kit"),
    "jacqueline": ("jackie", "jacqui"),
    "josephine": ("josie", "jo"),
    "jessica": ("jess", "jessie"),
    "amanda": ("mandy",),
    "olivia": ("liv", "livvy"),
    "susan": ("sue", "suzy"),
    "pamela": ("pam",),
    "timothy": ("tim", "timmy"),
    "terence": ("terry", "tel"),
    "derek": ("del",),
    "david": ("dave", "davey"),
    "stephen": ("steve", "stevie"),
    "steven": ("steve", "stevie"),
    "benjamin": ("ben", "benji"),
    "zachary": ("zach", "zac", "zak"),
    "joshua": ("josh",),
    "jacob": ("jake",),
    "andrew": ("andy", "drew"),
    "raymond": ("ray",),
    "alexander": ("alex", "sandy", "xander"),
    "alexandra": ("alex", "lexi", "sandra"),
    "danielle": ("dani", "danni"),
    "kimberley": ("kim",),
    "kimberly": ("kim",),
    "nathaniel": ("nat", "nate"),
    "callum": ("cal",),
    "siobhan": ("shiv",),
}

_FEMALE_WORDS = (
    "mother",
    "mum",
    "sister",
    "daughter",
    "grandmother",
    "nan",
    "nana",
    "gran",
    "aunt",
    "auntie",
    "niece",
    "wife",
    "girlfriend",
    "stepmother",
    "step-mother",
    "female",
    "woman",
    "girl",
    "grandma",
)
_MALE_WORDS = (
    "father",
    "dad",
    "brother",
    "son",
    "grandfather",
    "grandad",
    "uncle",
    "nephew",
    "husband",
    "boyfriend",
    "stepfather",
    "step-father",
    "male",
    "man",
    "boy",
    "grandpa",
)
_CHILD_WORDS = ("brother", "sister", "son", "daughter", "child", "sibling", "pupil", "baby", "niece", "nephew")

_INITIALS = re.compile(r"[A-Z]{2,3}")


class RegisterError(ValueError):
    """The case register cannot be read or does not have the documented shape."""


def normalise_phone(value: str) -> str:
    digits = re.sub(r"\D", "", value)
    if digits.startswith("0044"):
        digits = "0" + digits[4:]
    elif digits.startswith("44") and len(digits) >= 11:
        digits = "0" + digits[2:]
    if digits.startswith("00"):
        return digits
    if not digits.startswith("0") and len(digits) == 10:
        digits = "0" + digits
    return digits


def normalise_postcode(value: str) -> str:
    return re.sub(r"\s", "", value).upper()


_POSTCODE_TAIL = re.compile(r"[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}\s*$", re.IGNORECASE)


_STREET_ABBREV = {
    "rd": "road",
    "st": "street",
    "ave": "avenue",
    "av": "avenue",
    "cres": "crescent",
    "dr": "drive",
    "ln": "lane",
    "ct": "court",
    "gdns": "gardens",
    "pl": "place",
    "sq": "square",
    "ter": "terrace",
    "terr": "terrace",
    "cl": "close",
    "gr": "grove",
}


@dataclass(frozen=True, slots=True)
class AddressKey:
    """What identifies an address when it is written in many ways: postcode, number, street."""

    postcode: str | None
    number: str | None
    street: str | None


def address_key(text: str) -> AddressKey:
    postcode = None
    m = _POSTCODE_TAIL.search(text)
    if m:
        postcode = normalise_postcode(m.group(0))
    number = None
    street = None
    nm = re.search(r"\b(\d+[a-zA-Z]?)\s*,?\s+([A-Za-z][A-Za-z'’-]+(?:\s+[A-Za-z][A-Za-z'’-]+)?)", text)
    if nm:
        number = nm.group(1).lower()
        street = " ".join(_STREET_ABBREV.get(w, w) for w in fold(nm.group(2)).split())
    return AddressKey(postcode, number, street)


@dataclass(slots=True)
class Person:
    id: str
    name: str
    role: PersonRole
    relationship: str = ""
    aliases: list[str] = field(default_factory=list)
    date_of_birth: dt.date | None = None
    addresses: list[str] = field(default_factory=list)
    phones: list[str] = field(default_factory=list)
    emails: list[str] = field(default_factory=list)
    nhs_number: str | None = None
    ni_number: str | None = None
    job_title: str | None = None
    organisation: str | None = None
    consent: bool = False
    gender: str = ""
    is_minor: bool = False
    first: str = ""
    middles: tuple[str, ...] = ()
    last: str = ""

    @property
    def tokens(self) -> list[str]:
        return [t for t in self.name.split() if t]


@dataclass(frozen=True, slots=True)
class NameRef:
    """One way a register person can be named by a single word."""

    person: int  # index into Register.people
    kind: str  # first, middle, last, nick, alias


@dataclass(slots=True)
class Register:
    people: list[Person]
    # folded single word -> the people that word can name
    words: dict[str, list[NameRef]] = field(default_factory=dict)
    # exact upper-case initials -> person index
    initials: dict[str, int] = field(default_factory=dict)
    # initials the register does not define but one person's name gives: a guess, so only for review
    guessed_initials: dict[str, int] = field(default_factory=dict)
    phones: dict[str, int] = field(default_factory=dict)
    emails: dict[str, int] = field(default_factory=dict)
    nhs: dict[str, int] = field(default_factory=dict)
    ni: dict[str, int] = field(default_factory=dict)
    dobs: dict[dt.date, list[int]] = field(default_factory=dict)
    postcodes: dict[str, list[int]] = field(default_factory=dict)
    streets: dict[tuple[str, str], list[int]] = field(default_factory=dict)

    @property
    def subject(self) -> Person:
        return self.people[0]


def _parse_date(value: Any) -> dt.date | None:
    if not value or not isinstance(value, str):
        return None
    try:
        return dt.date.fromisoformat(value.strip()[:10])
    except ValueError:
        return None


def _str_list(value: Any, what: str, pid: str) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise RegisterError(f"person {pid}: {what} must be a list of strings")
    return list(value)


def _infer_gender(person: Person) -> str:
    rel = person.relationship.lower()
    words = re.findall(r"[a-z-]+", rel)
    if words:
        # the last word names the person ("mother's partner" is a partner, not a mother)
        head = words[-1]
        if head in _FEMALE_WORDS:
            return "F"
        if head in _MALE_WORDS:
            return "M"
    if person.first:
        from redaction.detect.lexicon import gender_of_first_name

        return gender_of_first_name(person.first)
    return ""


def _person(raw: Mapping[str, Any], role: PersonRole | None, index: int) -> Person:
    if not isinstance(raw, Mapping):
        raise RegisterError(f"entry {index} is not an object")
    pid = str(raw.get("id") or ("S" if role == "subject" else f"#{index}"))
    name = raw.get("name")
    if not isinstance(name, str) or not name.strip():
        raise RegisterError(f"person {pid}: name is missing")
    if role is None:
        given = str(raw.get("role") or "third_party")
        if given not in ROLES[1:]:
            raise RegisterError(f"person {pid}: unknown role {given!r}")
        role = cast(PersonRole, given)
    p = Person(
        id=pid,
        name=" ".join(name.split()),
        role=role,
        relationship=str(raw.get("relationship") or ""),
        aliases=_str_list(raw.get("aliases"), "aliases", pid),
        date_of_birth=_parse_date(raw.get("date_of_birth")),
        addresses=_str_list(raw.get("addresses"), "addresses", pid),
        phones=_str_list(raw.get("phones"), "phones", pid),
        emails=_str_list(raw.get("emails"), "emails", pid),
        nhs_number=raw.get("nhs_number") if isinstance(raw.get("nhs_number"), str) else None,
        ni_number=raw.get("ni_number") if isinstance(raw.get("ni_number"), str) else None,
        job_title=raw.get("job_title") if isinstance(raw.get("job_title"), str) else None,
        organisation=raw.get("organisation") if isinstance(raw.get("organisation"), str) else None,
        consent=bool(raw.get("consent", False)),
    )
    toks = p.tokens
    p.first = toks[0]
    p.last = toks[-1] if len(toks) > 1 else ""
    p.middles = tuple(toks[1:-1])
    p.gender = _infer_gender(p)
    rel_words = re.findall(r"[a-z]+", p.relationship.lower())
    p.is_minor = role == "subject" or bool(rel_words and rel_words[-1] in _CHILD_WORDS)
    return p


@lru_cache(maxsize=1)
def _nicknamer() -> NickNamer:
    return NickNamer()


def short_forms(first: str, gender: str) -> set[str]:
    """Nicknames and short forms of a forename, minus those that clash with the person's gender."""
    key = fold(first)
    forms = set(_nicknamer().nicknames_of(key))
    lexicon = first_names()
    if gender:
        # the US-derived table pairs some names across genders ("Aaron" -> "Erin"); drop those
        forms = {f for f in forms if lexicon.get(f, "") in ("", gender)}
    forms |= set(_BRITISH_SHORT_FORMS.get(key, ()))
    # one- and two-letter forms ("al", "ed") collide with abbreviations in notes
    return {f for f in forms if len(f) >= 3 and f != key and f not in NOT_NAME}


def _add(words: dict[str, list[NameRef]], token: str, ref: NameRef) -> None:
    key = fold(token)
    if not key:
        return
    bucket = words.setdefault(key, [])
    if ref not in bucket:
        bucket.append(ref)


def _index_names(reg: Register, i: int, p: Person, derived: list[tuple[str, NameRef]]) -> None:
    words = reg.words
    _add(words, p.first, NameRef(i, "first"))
    for m in p.middles:
        _add(words, m, NameRef(i, "middle"))
    if p.last:
        _add(words, p.last, NameRef(i, "last"))
        if "-" in p.last:
            for part in p.last.split("-"):
                _add(words, part, NameRef(i, "last"))
    for alias in p.aliases:
        alias = alias.strip()
        if _INITIALS.fullmatch(alias):
            reg.initials[alias] = i
            continue
        parts = alias.split()
        for j, part in enumerate(parts):
            kind = "nick" if len(parts) == 1 else ("last" if j == len(parts) - 1 and j else "alias")
            _add(words, part, NameRef(i, kind))
    for form in short_forms(p.first, p.gender):
        derived.append((form, NameRef(i, "nick")))
    # a clipped forename ("Kay" for Kayla, "Alex" for Alexandra) still names the person
    key = fold(p.first)
    for n in range(3, len(key) - 1):
        prefix = key[:n]
        if prefix not in NOT_NAME and prefix not in WORD_NAMES:
            derived.append((prefix, NameRef(i, "clip")))


def _index_identifiers(reg: Register, i: int, p: Person) -> None:
    for v in p.phones:
        reg.phones[normalise_phone(v)] = i
    for v in p.emails:
        reg.emails[v.strip().lower()] = i
    if p.nhs_number:
        reg.nhs[re.sub(r"\D", "", p.nhs_number)] = i
    if p.ni_number:
        reg.ni[re.sub(r"[^A-Z0-9]", "", p.ni_number.upper())] = i
    if p.date_of_birth:
        reg.dobs.setdefault(p.date_of_birth, []).append(i)
    for a in p.addresses:
        key = address_key(a)
        if key.postcode:
            reg.postcodes.setdefault(key.postcode, []).append(i)
        if key.number and key.street:
            reg.streets.setdefault((key.number, key.street), []).append(i)


def _index(reg: Register) -> None:
    derived: list[tuple[str, NameRef]] = []
    for i, p in enumerate(reg.people):
        _index_names(reg, i, p, derived)
        _index_identifiers(reg, i, p)
    # A short form only names someone when no one on the register bears it as a real name.
    for form, ref in derived:
        if ref.kind == "nick" and not (form in reg.words and any(r.kind != "nick" for r in reg.words[form])):
            _add(reg.words, form, ref)
    _guess_initials(reg)
    # a clipped forename counts only where no name or nickname claims the word and it clips one person's name
    clips: dict[str, set[int]] = {}
    for form, ref in derived:
        if ref.kind == "clip" and form not in reg.words:
            clips.setdefault(form, set()).add(ref.person)
    for form, owners in clips.items():
        if len(owners) == 1:
            _add(reg.words, form, NameRef(owners.pop(), "nick"))


# Abbreviations that fill case notes and must never be read as someone's initials.
_ABBREVIATIONS = frozenset(
    str.split(
        """SW SSW TM IRO CP CPP CIN LAC CLA GP HV SN YP CYP FC PC DC DS DI PA TA OT LA DSL DV DA CSE CCE EHA SEN AE
    NHS UK TV OK AM PM ID NI NFA RHI PLO ICO SGO CAO EPO RSW SM DM HR IT PE RE ST CC NB PS MP AP MH ED CR RS
    IC WC PR ER OD TB HQ IQ BC CA CS CE EH RH DJ NA SO LO NS VS GM MG YJ NR YO AS SS FS CN MA VD BO QC KC JP"""
    )
)


_WORDS = frozenset(
    str.split(
        """MR MRS MS MX DR PC DC DS DI SGT TO IN ON AT OF IS IT AS BY WE AN OR IF NO SO DO GO UP ME MY BE HE US AM
    HI OH OK"""
    )
)


def _guess_initials(reg: Register) -> None:
    counts: dict[str, set[int]] = {}
    for i, p in enumerate(reg.people):
        if not p.last:
            continue
        middle = "".join(m[:1] for m in p.middles)
        forms = {(p.first[:1] + p.last[:1]).upper(), (p.first[:1] + middle + p.last[:1]).upper()}
        for form in forms:
            # a title ("MR", "MS", "DR") or a short word in a capitals heading ("TO", "IN") is never a guess
            if form.isalpha() and form not in _ABBREVIATIONS and form not in reg.initials and form not in _WORDS:
                counts.setdefault(form, set()).add(i)
    for form, owners in counts.items():
        if len(owners) == 1:
            reg.guessed_initials[form] = owners.pop()


def load_register(source: str | Path | Mapping[str, Any]) -> Register:
    """Read a case register from a path to people.json or from an already-parsed dict."""
    if isinstance(source, Mapping):
        data: Any = source
    else:
        path = Path(source)
        try:
            raw = path.read_bytes()
        except OSError as exc:
            raise RegisterError(f"cannot read register {path}: {exc.strerror or exc}") from exc
        try:
            data = json.loads(raw.decode("utf-8-sig"))
        except UnicodeDecodeError as exc:
            raise RegisterError(f"register {path} is not UTF-8 text") from exc
        except json.JSONDecodeError as exc:
            raise RegisterError(f"register {path} is not valid JSON: {exc.msg} at line {exc.lineno}") from exc
    if not isinstance(data, Mapping):
        raise RegisterError("register must be a JSON object")
    subject = data.get("subject")
    if not isinstance(subject, Mapping):
        raise RegisterError("register has no subject")
    people_raw = data.get("people") or []
    if not isinstance(people_raw, list):
        raise RegisterError("register 'people' must be a list")
    people = [_person(subject, "subject", 0)]
    people += [_person(p, None, i + 1) for i, p in enumerate(people_raw)]
    reg = Register(people=people)
    _index(reg)
    return reg
