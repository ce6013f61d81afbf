"""People off the register who are professionals acting officially, known from the words around them.

A name next to a job title, a team or agency, a court role or a work e-mail address is a
professional doing their job ("social worker Tom Price", "Kelly Shaw - school nurse",
"MS R BHATTI appeared on behalf of the Local Authority", "Ms Amina Farah (instructed by ...)",
"To: Gemma Lord <gemma.lord@nhs.net>"). Their names are kept by default (DPA 2018 Sch 2 para
17, reason code ``TP-PRO``); the council's policy can switch any group of roles (``police``,
``court``, ``legal``, ``health``, ``education``, ``social_care``, ``interpreter``, ``faith``) to
``redact`` or ``review``. Carers, partners, neighbours and other relationships are never roles.
Only the same line is read: a job title in another sentence says nothing about this name.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

import ahocorasick

# group -> role phrases (lower case, as they are written in records)
ROLE_GROUPS: dict[str, tuple[str, ...]] = {
    "social_care": (
        "social worker",
        "duty social worker",
        "supervising social worker",
        "ssw",
        "sw",
        "team manager",
        "assistant team manager",
        "service manager",
        "practice manager",
        "manager",
        "team leader",
        "senior practitioner",
        "practitioner",
        "early help practitioner",
        "family support worker",
        "support worker",
        "contact worker",
        "key worker",
        "caseworker",
        "case worker",
        "care coordinator",
        "personal adviser",
        "independent reviewing officer",
        "iro",
        "child protection chair",
        "chair",
        "minute taker",
        "youth justice worker",
        "yot worker",
        "residential care officer",
        "rco",
        "rcos",
        "shift leader",
        "staff",
        "advocate",
        "independent advocate",
        "officer",
        "customer services officer",
        "education welfare officer",
        "ewo",
        "received by",
        "taken by",
        "worker",
        "allocated to",
    ),
    "health": (
        "health visitor",
        "school nurse",
        "nurse",
        "gp",
        "midwife",
        "paediatrician",
        "consultant",
        "psychiatrist",
        "psychologist",
        "therapist",
        "doctor",
        "named doctor",
        "named nurse",
        "dr",
        "dentist",
        "optician",
        "pharmacist",
        "camhs worker",
        "clinician",
    ),
    "education": (
        "teacher",
        "class teacher",
        "head teacher",
        "headteacher",
        "head of year",
        "deputy head",
        "designated safeguarding lead",
        "dsl",
        "senco",
        "tutor",
        "form tutor",
        "college tutor",
        "teaching assistant",
        "ta",
        "attendance officer",
        "learning mentor",
        "principal",
    ),
    "police": (
        "pc",
        "dc",
        "ds",
        "di",
        "dci",
        "dsi",
        "sgt",
        "insp",
        "supt",
        "pcso",
        "inspector",
        "sergeant",
        "constable",
        "detective",
        "police officer",
        "oic",
    ),
    "legal": (
        "counsel",
        "solicitor",
        "barrister",
        "principal solicitor",
        "children's guardian",
        "childrens guardian",
        "guardian",
        "legal adviser",
        "cafcass officer",
        "the writer",
    ),
    "court": (
        "judge",
        "district judge",
        "his honour judge",
        "her honour judge",
        "hhj",
        "recorder",
        "deputy district judge",
        "magistrate",
        "mr justice",
        "mrs justice",
        "ms justice",
        "lord justice",
    ),
    "interpreter": ("interpreter", "translator"),
    "faith": ("imam", "chaplain", "reverend", "rev", "revd", "rabbi", "pastor"),
}
ROLE_GROUP_NAMES = tuple(ROLE_GROUPS)

_GROUP_OF = {phrase: group for group, phrases in ROLE_GROUPS.items() for phrase in phrases}
_PHRASES = sorted(_GROUP_OF, key=len, reverse=True)
_ROLE = "|".join(re.escape(p).replace(r"\ ", r"\s+").replace("'", "['’]?") for p in _PHRASES)
_TITLE = r"(?:(?:mr|mrs|ms|miss|mx|dr)\.?\s+)"

# After a role phrase, what may stand before the name: "social worker Tom Price", "Chair: Paula
# Hedges", "PC 2215 Sarah Clayton", "the Guardian, Mrs X", "school nurse is Sunita Rai",
# "caseworker at the refugee charity, Ms Layla Nassar"
_TAIL = re.compile(
    r"(?i)\.?(?:\s+\d{2,6})?(?:\s+(?:at|from|of|for|with)\s+(?:the\s+)?[\w'’&\-. ]{1,40}?)?"
    rf"\s*(?:[:,\-–]\s*|\s+(?:is|was|named|called)\s+|\s+){_TITLE}?"
)
# a form label naming a role: "Staff on waking watch: Dean Hall", "Solicitor for the child: Mr X"
_LABEL_TAIL = re.compile(rf"(?i)[^:\n]{{0,30}}:\s*{_TITLE}?")


# what may stand on either side of a role phrase: whole words only, without rewriting the text
_OPENERS = (" ", "\n", "\t", "(", "[", '"', "/", ",", ";", "-")
_CLOSERS = (" ", "\n", "\t", ":", ",", ".", ")", "]", ";", "-", "/", "'", "’")


def _role_automaton() -> ahocorasick.Automaton:
    auto = ahocorasick.Automaton()
    for phrase in {*_GROUP_OF, *(p.replace("'", "’") for p in _GROUP_OF)}:
        for opener in _OPENERS:
            for closer in _CLOSERS:
                auto.add_word(opener + phrase + closer, len(phrase))
    auto.make_automaton()
    return auto


_ROLES = _role_automaton()


class RoleIndex:
    """Every role phrase in a document, found in one pass, for the names read in it."""

    def __init__(self, text: str) -> None:
        folded = "\n" + text.lower() + "\n"
        self.ends: list[int] = []
        self.starts: list[int] = []
        if len(folded) != len(text) + 2:  # a rare capital whose lower case is longer: read nothing
            return
        last_end = -1
        for last, length in _ROLES.iter(folded):
            # ``last`` is the closing character in ``folded``, which is one ahead of ``text``
            end = last - 1
            if end == last_end:
                continue
            last_end = end
            self.ends.append(end)
            self.starts.append(end - length)

    def near(self, start: int, width: int) -> bool:
        """Whether a role phrase ends within ``width`` characters before ``start``."""
        i = bisect.bisect_right(self.ends, start)
        return i > 0 and self.ends[i - 1] > start - width

    def before(self, text: str, lo: int, start: int) -> tuple[int, str] | None:
        """The role phrase between ``lo`` and ``start`` that the text up to the name ends with."""
        i = bisect.bisect_right(self.ends, start)
        while i > 0:
            i -= 1
            end, begin = self.ends[i], self.starts[i]
            if end <= lo:
                break
            if begin < lo:
                continue
            tail = text[end:start]
            if _TAIL.fullmatch(tail) or _LABEL_TAIL.fullmatch(tail):
                return begin, text[begin:end]
        return None


_AFTER_WORDS = ("of ", "appeared", "instructed", "the ", "counsel", "solicitor")
# "Kelly Shaw - school nurse", "Mrs Anwar, Designated Safeguarding Lead", "Chloe Adams (RCOs)",
# "Ms Chen, the team manager", "Julie Marsh (DSL, ...)"
_AFTER = re.compile(
    rf"(?i)^\s*(?:,|-|–|\(|,?\s+the|,\s+our|,\s+a|,\s+an)\s*(?:the\s+)?(?P<role>{_ROLE})(?![\w'’])"
    # in a list, a role followed by a name is that next person's: "Blessing Adeyemi, social worker Tom Price"
    r"(?!\s+(?:(?:mr|mrs|ms|miss|dr)\.?\s+)?(?-i:[A-Z][a-z]))"
)
# "MS R BHATTI appeared on behalf of", "Ms Amina Farah (instructed by ...)", "of Hunt & Coombs Solicitors",
# "Mr A. Jones of counsel"
_COURT_AFTER = re.compile(
    r"(?i)^\s*(?:appeared\s+(?:on\s+behalf\s+of|for)|\(?\s*instructed\s+by|,?\s+counsel\s+for"
    r"|,?\s+(?:solicitor|counsel)\s+(?:for|to)|\s+of\s+counsel\b"
    # "Ms Rana Aziz, Garden Court Chambers": capitalised words closed by a firm word, after a comma
    r"|,[ \t]*(?-i:[A-Z][\w&'’\-]*(?:[ \t]+(?:&[ \t]+)?[A-Z][\w&'’\-]*){0,4}[ \t]+(?:Solicitors|LLP|Chambers)\b)"
    r"|of\s+[A-Z][\w&'’\- ]{0,40}?\s+(?:Solicitors|LLP|Chambers))"
)
_ORG_EMAIL_AFTER = re.compile(
    r"(?i)^(?:\s+(?-i:[A-Z])[\w'’\-]*){0,3}\s*<[^>\s@]+@(?:[^>\s]*\.)?(?:gov\.uk|nhs\.net|nhs\.uk|police\.uk|sch\.uk|ac\.uk|cafcass\.gov\.uk|org\.uk)>"
)
# a signature line followed by the organisation's name: "Michael Walsh\nBretherton's LLP"
_ORG_LINE_AFTER = re.compile(
    r"[ \t]*\n[ \t]*[A-Z][^\n]{0,60}\b(?:LLP|Solicitors|Chambers|Council|Services|Service|Team|Trust|Cafcass|"
    r"Constabulary|Police|Academy|School|College|Surgery|Hospital|Practice)\b[^\n]{0,30}$",
    re.M,
)
# the author of a professional's document: "the social work statement of Ms Kerry Lambert",
# "the expert evidence of Dr ...", "a psychological report by Dr ...". Only a social worker's or an
# expert's statement or evidence "of" someone is theirs: "the medical report of Mrs X" and "an
# assessment of Mr X" may be about X, a family member, so only "by" or "from" names the author there.
_AUTHOR_BEFORE = re.compile(
    r"(?i)\b(?P<doc>(?P<kind>social[ \t]+work|expert|psychological|psychiatric|medical|paediatric)[ \t]+"
    r"(?:(?<=work )(?:statement|evidence)s?[ \t]+of|(?<=expert )(?:statement|evidence)s?[ \t]+of"
    r"|(?:statement|report|evidence|analysis|addendum|assessment)s?[ \t]+(?:by|from)))[ \t]+"
    r"(?:(?:mr|mrs|ms|miss|mx|dr|prof)\.?[ \t]+)?$"
)
_AUTHOR_CUE = re.compile(r"(?i)\b(?:of|by|from)\s")
# "special guardian" and "foster carer" are family roles, not jobs
_FAMILY_BEFORE = re.compile(r"(?i)\b(?:special|foster|kinship|connected)\s*$")


@dataclass(frozen=True, slots=True)
class RoleCue:
    """Why a name is read as a professional's: the role group and the words that said so."""

    group: str
    words: str

    @property
    def explanation(self) -> str:
        return f"professional not in the register: {self.words}"


def professional_cue(text: str, start: int, end: int, roles: RoleIndex | None = None) -> RoleCue | None:
    """The role that the words beside ``text[start:end]`` give its holder, if any.

    ``roles`` is the document's :class:`RoleIndex`; build it once when reading many names.
    """
    if roles is None:
        roles = RoleIndex(text[max(0, start - 80) : start])
        offset = max(0, start - 80)
    else:
        offset = 0
    if roles.near(start - offset, 80):
        line_start = text.rfind("\n", 0, start) + 1
        lo = max(line_start, start - 80)
        role = roles.before(text[offset:], lo - offset, start - offset)
        if role is not None and not _FAMILY_BEFORE.search(text, lo, role[0] + offset):
            return _cue(role[1])
    # the pattern runs only where "of", "by" or "from" stands just before the name (or its title)
    near = text[max(0, start - 12) : start]
    author = _AUTHOR_BEFORE.search(text, max(0, start - 90), start) if _AUTHOR_CUE.search(near) else None
    if author is not None:
        kind = author.group("kind").lower()
        group = "health" if kind.startswith(("psych", "medic", "paed")) else "social_care"
        doc = " ".join(author.group("doc").lower().split()[:-1])
        return RoleCue(group, f"author of the {doc}")
    # most names are followed by a verb or "'s": look closer only after punctuation or a few words
    follows = text[end : end + 12]
    if follows[:1] == " " and follows[1:2].islower() and not follows[1:].startswith(_AFTER_WORDS):
        return None
    line_end = text.find("\n", end)
    after = text[end : line_end if line_end >= 0 else len(text)]
    m = _AFTER.match(after)
    if m is not None:
        return _cue(m.group("role"))
    m = _COURT_AFTER.match(after)
    if m is not None:
        return RoleCue("legal", " ".join(m.group(0).strip(" ,(").split()))
    if _ORG_EMAIL_AFTER.match(after):
        return RoleCue("social_care", "work e-mail address")
    if not after.strip() and _ORG_LINE_AFTER.match(text, end, min(len(text), end + 100)):
        return RoleCue(
            "legal" if re.search(r"LLP|Solicitors|Chambers", text[end : end + 100]) else "social_care",
            "signs for an organisation",
        )
    return None


def _cue(words: str) -> RoleCue:
    phrase = " ".join(words.lower().replace("’", "'").split())
    group = _GROUP_OF.get(phrase) or _GROUP_OF.get(phrase.replace("'", ""), "social_care")
    return RoleCue(group, f"job title ({' '.join(words.split())})")
