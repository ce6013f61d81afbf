"""Detection: text plus the case register in, findings out.

    detector = Detector(load_register("people.json"))
    case = detector.case_knowledge(texts_of_every_document)   # once per case
    findings = detector.detect(text, case)                      # per document, in any order

A Detector is built once per case register and holds no state between documents: what one
document teaches about the case (an off-register person named in full there and by first name
elsewhere) is gathered into a :class:`CaseKnowledge` from the whole case first and passed to
each document, so any document re-detected alone gives the same findings as the case run.
"""

from __future__ import annotations

import bisect
import gc
import re
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache

import ahocorasick

from redaction.detect.addresses import find_addresses, firm_address, organisation_block
from redaction.detect.identifiers import IdMatch, find_identifiers
from redaction.detect.lexicon import NOT_NAME, TITLES, WORD_NAMES, first_names, fold, is_month
from redaction.detect.name_words import FUNCTION_WORD_SET, NAMING_LAST, RELATIONS, WORDS_IN
from redaction.detect.names import Intervals, NameFinder, NameMention
from redaction.detect.policy import DEFAULT_POLICY, Outcome, Policy
from redaction.detect.professionals import RoleIndex, professional_cue
from redaction.detect.register import Person, Register, _nicknamer, address_key, normalise_postcode, short_forms
from redaction.model import Action, Category, Finding, Role

_ORG_EMAIL = re.compile(r"(?i)\.(?:gov\.uk|nhs\.net|nhs\.uk|police\.uk|sch\.uk|ac\.uk|gsi\.gov\.uk|cafcass\.gov\.uk)$")
_FAMILY = re.compile(
    r"(?i)\b(?:mother|mum|father|dad|parent|carer|brother|sister|partner|grand\w*|aunt|uncle|home|personal|private)"
)
_WORK_NUMBER = re.compile(
    r"(?i)\b(?:work|office|desk|direct|duty)[ \t]+(?:mobile|mob|phone|tel|telephone|number|line|no)\b[^\n\d]{0,12}$"
)
# a proper organisation name: capitalised words closed by an organisation word
_ORG_NAME_BEFORE = re.compile(
    r"\b[A-Z][\w'’&\-]*(?:[ \t]+[A-Z][\w'’&\-]*)*[ \t]+(?:Centre|Center|Surgery|Practice|Clinic|Hospital|School|"
    r"Academy|College|Council|Police|Constabulary|Service|Services|Team|Trust|Unit|Hub|Office|Offices|Housing|"
    r"Association|Partnership|Foundation)\b(?:[ \t]*[,(:\-–][ \t]*|[ \t]+(?:on|tel\.?|telephone|phone)[ \t:]*)*$"
)
_WHAT = {
    "person": "name",
    "phone": "phone number",
    "email": "e-mail address",
    "dob": "date of birth",
    "nhs_number": "NHS number",
    "ni_number": "National Insurance number",
    "vehicle": "vehicle registration",
    "bank": "bank details",
    "upn": "pupil number",
}
# the words that lead to a place: "lives in Dublin", "arrived via Jordan", "went on holiday to
# Devon", "fled from Syria"; "to" and "from" only after a word of movement ("talked to Devon" is a person)
_PLACE_AT = frozenset(["in", "via", "near", "across", "around", "outside", "within", "throughout"])
_PLACE_TO = frozenset(
    [
        "go",
        "goes",
        "going",
        "went",
        "gone",
        "move",
        "moves",
        "moved",
        "moving",
        "back",
        "holiday",
        "holidays",
        "trip",
        "travel",
        "travels",
        "travelled",
        "travelling",
        "fly",
        "flew",
        "flown",
        "return",
        "returns",
        "returned",
        "returning",
        "drive",
        "drove",
        "driven",
        "relocate",
        "relocated",
        "sent",
        "deported",
    ]
)
_PLACE_FROM = frozenset(
    ["arrived", "came", "come", "comes", "moved", "returned", "fled", "travelled", "flew", "deported", "originally"]
)
_NAME_AFTER = re.compile(r"[ \t]+[A-Z][a-z]")
_SENTENCE_END = re.compile(r"\.(?:\s|$)")
_RANK = {"redact": 2, "review": 1, "keep": 0}
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


@dataclass(frozen=True, slots=True)
class CaseKnowledge:
    """What the whole case says about people the register does not list.

    ``names`` holds the folded words that name someone off the register in some document of the
    case ("Jo Bloggs" named in full in one note makes "Jo" a name in every other).
    ``professionals`` holds unlisted professionals named with their role somewhere in the case, as
    ``"group|folded name"`` ("education|parveen anwar"), so "Mrs Anwar" elsewhere is the same
    professional. Build it with :meth:`Detector.case_knowledge`; it depends only on the set of
    documents, not their order.
    """

    names: frozenset[str] = field(default_factory=frozenset)
    professionals: frozenset[str] = field(default_factory=frozenset)

    def merged(self, other: CaseKnowledge) -> CaseKnowledge:
        return CaseKnowledge(self.names | other.names, self.professionals | other.professionals)

    def within(self, other: CaseKnowledge) -> bool:
        """True when ``other`` already knows everything this knows."""
        return self.names <= other.names and self.professionals <= other.professionals

    @classmethod
    def from_learnt(cls, learnt: Iterable[str]) -> CaseKnowledge:
        """Knowledge from the set a :meth:`Detector.detect` call filled in."""
        names = {w for w in learnt if not w.startswith(_PROFESSIONAL)}
        pros = {w[len(_PROFESSIONAL) :] for w in learnt if w.startswith(_PROFESSIONAL)}
        return cls(frozenset(names), frozenset(pros))


_PROFESSIONAL = "professional:"  # how a learnt set marks an unlisted professional


NO_CASE_KNOWLEDGE = CaseKnowledge()


@dataclass(slots=True)
class _Span:
    start: int
    end: int
    category: Category
    person: int | None
    decision: Outcome
    role: Role
    why: str = ""
    group: str = ""  # the role group of an unlisted professional


class _Nearby:
    """Spans ordered by end, to find the one that ends closest before a position.

    Identifier spans arrive in text order, so they are appended to a second list instead of
    being inserted into the first.
    """

    def __init__(self, spans: list[_Span]) -> None:
        ordered = sorted(spans, key=lambda s: s.end)
        self.ends = [s.end for s in ordered]
        self.spans = ordered
        self.extra_ends: list[int] = []
        self.extra: list[_Span] = []

    def add(self, span: _Span) -> None:
        if self.extra_ends and span.end < self.extra_ends[-1]:
            i = bisect.bisect_right(self.extra_ends, span.end)
            self.extra_ends.insert(i, span.end)
            self.extra.insert(i, span)
        else:
            self.extra_ends.append(span.end)
            self.extra.append(span)

    def before(self, pos: int) -> _Span | None:
        i = bisect.bisect_right(self.ends, pos) - 1
        j = bisect.bisect_right(self.extra_ends, pos) - 1
        a = self.spans[i] if i >= 0 else None
        b = self.extra[j] if j >= 0 else None
        if a is None or (b is not None and b.end > a.end):
            return b
        return a


class Detector:
    def __init__(self, register: Register, policy: Policy | None = None) -> None:
        self.register = register
        self.policy = policy or DEFAULT_POLICY
        self.names = NameFinder(register)
        self._lower = self._lower_case_automaton(register)
        # the same person always gets the same decision: computed once per case
        self._decisions: dict[int | None, Outcome] = {}
        # letters only, as e-mail local parts write them: "O'Sullivan" is "osullivan"
        self._folded_names = [(_letters(p.first), _letters(p.last)) for p in register.people]

    # ------------------------------------------------------------------ helpers
    @staticmethod
    def _lower_case_automaton(register: Register) -> ahocorasick.Automaton | None:
        """Register names written in lower case ("spoke to sharon"): one automaton for all of them."""
        auto = ahocorasick.Automaton()
        n = 0
        # real names and nicknames from the nickname table ("tash"), not clipped prefixes ("car" of Carla)
        nicks: set[str] = set()
        for p in register.people:
            nicks.update(fold(f) for f in short_forms(p.first, p.gender))
            nicks.update(fold(a) for a in p.aliases if " " not in a.strip() and not a.strip().isupper())
        for key, refs in register.words.items():
            if key in WORD_NAMES or key in NOT_NAME or is_month(key) or len(key) < 3:
                continue
            named = any(r.kind in ("first", "last") for r in refs) or (
                key in nicks and any(r.kind == "nick" for r in refs)
            )
            if named:
                auto.add_word(key, key)
                n += 1
        if not n:
            return None
        auto.make_automaton()
        return auto

    def _person(self, idx: int | None) -> Person | None:
        return None if idx is None else self.register.people[idx]

    def _decision(self, idx: int | None) -> Outcome:
        got = self._decisions.get(idx)
        if got is None:
            got = self._decisions[idx] = self.policy.for_person(self._person(idx))
        return got

    def _span(self, start: int, end: int, category: Category, idx: int | None, review: bool = False) -> _Span:
        person = self._person(idx)
        decision = self._decision(idx)
        if review and decision.action != "keep":
            decision = Outcome("review", decision.reason)
        elif review:
            decision = Outcome("review", "TP")
        return _Span(start, end, category, idx, decision, self.policy.role_of(person))

    # ------------------------------------------------------------------ identifiers
    def _owner(self, m: IdMatch) -> int | None:
        reg = self.register
        if m.category == "phone":
            return reg.phones.get(m.value)
        if m.category == "email":
            return reg.emails.get(m.value)
        if m.category == "nhs_number":
            return reg.nhs.get(m.value)
        if m.category == "ni_number":
            owner = reg.ni.get(m.value)
            if owner is None and len(m.value) == 9:
                # the suffix letter is often left off one of the two copies
                owner = next((i for v, i in reg.ni.items() if v[:8] == m.value[:8]), None)
            return owner
        if m.category == "dob" and m.date is not None:
            owners = reg.dobs.get(m.date, [])
            return owners[0] if len(owners) == 1 else None
        if m.category == "postcode":
            owners = reg.postcodes.get(normalise_postcode(m.value), [])
            return owners[0] if owners else None
        return None

    def _email_owner(self, m: IdMatch) -> tuple[int | None, bool]:
        """A work e-mail missing from the register, read from its local part."""
        local, _, domain = m.value.partition("@")
        parts = [p for p in re.split(r"[._\-]", local) if p]
        # "h.gallagher" and "hgallagher" are the same initial-plus-surname form
        flat = "".join(ch for ch in local if ch.isalpha())
        best: int | None = None
        for i, (first, last) in enumerate(self._folded_names):
            if last and last in flat and (first in parts or flat.startswith(first[:1] + last) or first in flat):
                best = i
                break
        if best is not None:
            return best, False
        if _ORG_EMAIL.search("." + domain):
            return None, True
        return None, False

    def _identifier_spans(self, text: str, ids: list[IdMatch], near: _Nearby) -> list[_Span]:
        out: list[_Span] = []
        for m in ids:
            owner = self._owner(m)
            review = False
            signer: _Span | None = None
            if m.category == "dob" and owner is None:
                named = self._named_just_before(text, m.start, near)
                if not m.has_context and named is None:
                    continue
                if named is not None:
                    owner = named.person
                shared = self.register.dobs.get(m.date) if m.date else None
                if shared:
                    owner = shared[0]
            elif m.category == "email" and owner is None:
                owner, org = self._email_owner(m)
                if owner is None and org:
                    signer = self._signer(text, m.start, near)
                    review = signer is None
            elif m.category == "phone" and owner is None:
                signer = self._signer(text, m.start, near) or self._work_number_of(text, m.start, near)
                if signer is None and self._organisation_before(text, m.start, near):
                    out.append(self._org_span(m.start, m.end, m.category))
                    continue
            if owner is None and m.category == "postcode" and organisation_block(text, m.start):
                span = self._org_span(m.start, m.end, m.category)
            elif owner is None and signer is not None:
                span = (
                    self._org_span(m.start, m.end, m.category)
                    if signer.person is None
                    else self._span(m.start, m.end, m.category, signer.person)
                )
            else:
                span = self._span(m.start, m.end, m.category, owner, review)
            out.append(span)
            near.add(span)
        return out

    def _org_span(self, start: int, end: int, category: Category) -> _Span:
        """An organisation's own letterhead address or switchboard: kept, like its staff's names."""
        return _Span(
            start, end, category, None, Outcome("keep", "TP-PRO"), "organisation", "organisation's own contact details"
        )

    @staticmethod
    def _named_just_before(text: str, pos: int, near: _Nearby) -> _Span | None:
        """ "Tyler (20/01/2015)": a date in brackets straight after a name is that person's birth date."""
        if not text[max(0, pos - 2) : pos].endswith("("):
            return None
        span = near.before(pos)
        if span is None or span.category != "person" or text[span.end : pos].strip() != "(":
            return None
        return span

    def _work_number_of(self, text: str, pos: int, near: _Nearby) -> _Span | None:
        """ "Your PA is Nkem Obi. Her work mobile is ...": a number the text calls a work number."""
        if not _WORK_NUMBER.search(text, max(0, pos - 30), pos):
            return None
        best = near.before(pos)
        if best is None or best.person is None or pos - best.end > 160 or "\n\n" in text[best.end : pos]:
            return None
        if self.register.people[best.person].role != "professional":
            return None
        return best

    @staticmethod
    def _organisation_before(text: str, pos: int, near: _Nearby) -> bool:
        """ "(Hetherby Health Centre, 0113 496 0877)": a number given straight after a named organisation."""
        line_start = text.rfind("\n", 0, pos) + 1
        start = max(line_start, pos - 60)
        last = near.before(pos)
        if last is not None and last.end > start:
            start = last.end
        between = text[start:pos]
        m = _ORG_NAME_BEFORE.search(between)
        if m is None:
            return False
        gap = between[m.end() :]
        return len(gap) <= 12 and not _SENTENCE_END.search(gap) and not _FAMILY.search(between)

    def _signer(self, text: str, pos: int, near: _Nearby) -> _Span | None:
        """The professional or organisation an unlisted work number or e-mail is signed under."""
        best = near.before(pos)
        if best is None or pos - best.end > 120:
            return None
        between = text[best.end : pos]
        # only a signature or letterhead block: no paragraph or sentence break, no family word
        if "\n\n" in between or _SENTENCE_END.search(between) or _FAMILY.search(between):
            return None
        if best.person is not None and self.register.people[best.person].role == "professional":
            return best
        if best.person is None and best.role == "organisation":
            return best
        return None

    # ------------------------------------------------------------------ addresses
    def _address_spans(self, text: str, ids: list[IdMatch]) -> list[_Span]:
        out: list[_Span] = []
        reg = self.register
        postcodes = {m.start: m for m in ids if m.category == "postcode"}
        for a in find_addresses(text):
            body = text[a.start : a.end]
            key = address_key(body)
            owner: int | None = None
            if key.number and key.street:
                owners = reg.streets.get((key.number, key.street), [])
                owner = owners[0] if owners else None
            pc_text = text[a.postcode[0] : a.postcode[1]] if a.postcode else None
            if owner is None and pc_text:
                owners = reg.postcodes.get(normalise_postcode(pc_text), [])
                owner = owners[0] if owners else None
            if owner is None and (organisation_block(text, a.start) or firm_address(text, a.start, a.end)):
                out.append(self._org_span(a.start, a.end, "address"))
                line_end = text.find("\n", a.end)
                line_end = len(text) if line_end < 0 else line_end
                # the postcode ends the same letterhead line, even when the street's reading stopped short
                for pc in [p for p in postcodes if a.start < p < line_end]:
                    m = postcodes.pop(pc)
                    out.append(self._org_span(m.start, m.end, "postcode"))
                continue
            out.append(self._span(a.start, a.end, "address", owner))
            if a.postcode and a.postcode[0] in postcodes:
                postcodes.pop(a.postcode[0])
                out.append(self._span(a.postcode[0], a.postcode[1], "postcode", owner))
        return out

    # ------------------------------------------------------------------ names
    def _name_spans(self, text: str, mentions: list[NameMention]) -> list[_Span]:
        out: list[_Span] = []
        roles: RoleIndex | None = None
        for m in mentions:
            if not m.people and self._place_here(text, m):
                continue
            if not m.people:
                if roles is None:
                    roles = RoleIndex(text)
                cue = professional_cue(text, m.start, m.end, roles)
                if cue is not None:
                    out.append(
                        _Span(
                            m.start,
                            m.end,
                            "person",
                            None,
                            self.policy.for_role(cue.group),
                            "professional",
                            cue.explanation,
                            cue.group,
                        )
                    )
                    continue
                span = self._span(m.start, m.end, "person", None, review=m.review)
                span.why = m.why
                out.append(span)
                continue
            decisions = {self._decision(p).action for p in m.people}
            if len(m.people) == 1 and not m.review or len(decisions) == 1 and not m.review or decisions == {"redact"}:
                out.append(self._span(m.start, m.end, "person", m.people[0]))
            else:
                out.append(self._span(m.start, m.end, "person", m.people[0], review=True))
        return out

    def _place_here(self, text: str, m: NameMention) -> bool:
        """ "a holiday to Devon", "arrived via Jordan", "in prison in Dublin": a lone forename the
        register does not know, after words that lead to a place, is that place."""
        word = text[m.start : m.end]
        if " " in word or not word[:1].isupper() or text.startswith(("'s", "’s"), m.end):
            return False
        space = text.rfind(" ", max(0, m.start - 12), m.start - 1)
        if space < 0:
            return False
        last = text[space + 1 : m.start].strip().lower()
        if last not in _PLACE_AT and last not in ("to", "from"):
            return False
        if fold(word) not in first_names():
            return False
        before = text[max(0, m.start - 30) : m.start].lower().split()
        previous = before[-2] if len(before) > 1 else ""
        if not (
            last in _PLACE_AT
            or (last == "to" and previous in _PLACE_TO)
            or (last == "from" and previous in _PLACE_FROM)
        ):
            return False
        # "in Sydney Okeke's car": a surname after it makes it a person again
        return not _NAME_AFTER.match(text, m.end)

    def _lower_case_spans(self, text: str, taken: list[_Span]) -> list[_Span]:
        if self._lower is None:
            return []
        low = text.lower()
        if len(low) != len(text):
            return []
        covered = Intervals([(s.start, s.end) for s in taken])
        out: list[_Span] = []
        n = len(text)
        for end, key in self._lower.iter(low):
            start = end - len(key) + 1
            # whole words only, and only where the text itself is lower case
            if (start and low[start - 1].isalpha()) or (end + 1 < n and low[end + 1].isalpha()):
                continue
            if text[start].isupper() or covered.covers(start):
                continue
            people = sorted({r.person for r in self.register.words[key]})
            if {self._decision(p).action for p in people} == {"keep"}:
                continue
            out.append(self._span(start, end + 1, "person", people[0], review=True))
        return out

    def _lower_case_unknown(self, text: str, taken: list[_Span]) -> list[_Span]:
        """ "mum's bf kev": an informal note names someone in lower case after a relation word."""
        covered: Intervals | None = None
        out: list[_Span] = []
        for end, rel in _RELATION_WORDS.iter(text):
            start = end + 1 - len(rel)
            if start and text[start - 1].isalpha():
                continue
            m = _LOWER_NAME_AFTER.match(text, end + 1)
            if m is None:
                continue
            if covered is None:
                covered = Intervals([(s.start, s.end) for s in taken])
            word = m.group(1)
            key = fold(word)
            if covered.covers(m.start(1)) or key in NOT_NAME or key in WORD_NAMES or key in FUNCTION_WORD_SET:
                continue
            if key in first_names() or _is_nickname(key):
                out.append(self._span(m.start(1), m.end(1), "person", None, review=True))
        return out

    # ------------------------------------------------------------------ public
    def case_knowledge(self, texts: Iterable[str]) -> CaseKnowledge:
        """Read every document of a case once and gather what they say about unlisted people."""
        learnt: set[str] = set()
        for text in texts:
            with _gc_paused():
                self._learn(text, learnt)
        return CaseKnowledge.from_learnt(learnt)

    def _learn(self, text: str, learnt: set[str]) -> None:
        ids = find_identifiers(text)
        addr = self._address_spans(text, ids)
        id_ranges = [(m.start, m.end) for m in ids] + [(s.start, s.end) for s in addr]
        mentions = self.names.find(text, id_ranges, NO_CASE_KNOWLEDGE.names, learnt)
        roles = RoleIndex(text)
        for m in mentions:
            cue = professional_cue(text, m.start, m.end, roles) if not m.people else None
            if cue is not None:
                learnt.add(f"{_PROFESSIONAL}{cue.group}|{' '.join(_name_key(text[m.start : m.end]))}")

    def detect(
        self, text: str, case: CaseKnowledge = NO_CASE_KNOWLEDGE, learnt: set[str] | None = None
    ) -> list[Finding]:
        """Findings in one document; ``case`` is the knowledge built from its whole case.

        ``learnt``, if given, receives what this document alone teaches about the case (what
        :meth:`case_knowledge` would gather from it), so a caller reading a case once can tell
        whether a document needs detecting again with the finished knowledge.
        """
        with _gc_paused():
            return self._detect(text, case, learnt)

    def _detect(self, text: str, case: CaseKnowledge, learnt: set[str] | None) -> list[Finding]:
        ids = find_identifiers(text)
        addr = self._address_spans(text, ids)
        id_ranges = [(m.start, m.end) for m in ids] + [(s.start, s.end) for s in addr]
        mentions = self.names.find(text, id_ranges, case.names, learnt)
        names = self._name_spans(text, mentions)
        self._link_professionals(text, names, case, learnt)
        _link_unknowns(text, names, case)
        names.sort(key=lambda s: s.start)
        in_addr = Intervals([(s.start, s.end) for s in addr if s.category == "address"])
        ids = [m for m in ids if m.category == "postcode" or not in_addr.covers(m.start)]
        addr_pc = {s.start for s in addr if s.category == "postcode"}
        ids = [m for m in ids if not (m.category == "postcode" and m.start in addr_pc)]
        spans = addr + self._identifier_spans(text, ids, _Nearby(addr + names)) + names
        spans += self._lower_case_spans(text, spans)
        spans += self._lower_case_unknown(text, spans)
        return self._findings(text, spans)

    def _link_professionals(self, text: str, names: list[_Span], case: CaseKnowledge, learnt: set[str] | None) -> None:
        """ "Gemma Lord <gemma.lord@nhs.net>" then "Hi Gemma": a professional named once with their
        role is the same professional at every other mention of their name, here or in the case."""
        known = _known_professionals(text, names, case, learnt)
        if not known:
            return
        by_word: dict[str, list[tuple[tuple[str, ...], tuple[str, str]]]] = {}
        for key, held in known.items():
            for word in key:
                by_word.setdefault(word, []).append((key, held))
        for s in names:
            if s.person is not None or s.role != "unknown" or s.decision.action == "keep":
                continue
            words = _key_set(_name_key(text[s.start : s.end]))
            if not words:
                continue
            for key, (group, shown) in by_word.get(next(iter(words)), []):
                if words <= set(key):
                    s.decision = self.policy.for_role(group)
                    s.role = "professional"
                    s.group = group
                    s.why = f"professional not in the register: same person as {shown!r}, named with their role"
                    break

    def _explain(self, span: _Span, mention: str = "") -> str:
        """The reason a reviewer reads for a finding that no rule gave its own words."""
        what = _WHAT.get(span.category, span.category.replace("_", " "))
        if span.person is None:
            if span.category == "person":
                if span.decision.action == "review":
                    return "possible name not in the register: check"
                return "unknown person: a name not in the register"
            return f"{what} not linked to anyone in the register"
        person = self.register.people[span.person]
        if person.role == "subject":
            if span.decision.action == "review":
                return f"the subject's {what}, or someone else's: check"
            return "the subject" if span.category == "person" else f"the subject's own {what}"
        holder = person.relationship or person.role.replace("_", " ")
        if person.role == "professional":
            kind = "professional" if span.decision.action == "keep" else "professional (council policy: redact)"
        elif person.role == "requester":
            kind = "requester"
        else:
            kind = "third party (consented)" if person.consent else "third party"
        if span.category == "person":
            text = f"{kind}: {holder} in the register"
            if mention and not set(_name_key(mention)) <= set(_name_key(" ".join([person.name, *person.aliases]))):
                # "Kate" for Catherine, "Tash" for Natasha, a misspelling: say which person it was read as
                text += f" ({mention!r} read as {person.name})"
        else:
            text = f"{kind}: {what} of the {holder} in the register"
        return text + ("; check" if span.decision.action == "review" else "")

    @staticmethod
    def _joins(text: str, a: _Span, b: _Span) -> bool:
        if a.category != "person" or b.category != "person" or not _joinable_gap(text[a.end : b.start]):
            return False
        if a.decision == b.decision and a.person == b.person:
            return True
        hidden = a.decision.action != "keep" and b.decision.action != "keep"
        return hidden and (a.person is None or b.person is None or a.person == b.person)

    def _findings(self, text: str, spans: list[_Span]) -> list[Finding]:
        spans.sort(key=lambda s: (s.start, -_RANK[s.decision.action]))
        # overlapping spans: the stronger action wins the overlap
        kept: list[_Span] = []
        for s in spans:
            if kept and s.start < kept[-1].end:
                last = kept[-1]
                if _RANK[s.decision.action] > _RANK[last.decision.action]:
                    if last.start < s.start:
                        last.end = s.start
                        kept.append(s)
                    else:
                        kept[-1] = s
                    continue
                if s.end <= last.end:
                    continue
                s = _Span(last.end, s.end, s.category, s.person, s.decision, s.role, s.why)
            if kept and self._joins(text, kept[-1], s):
                # one name found in two pieces is hidden as one: the space between is part of it
                last = kept[-1]
                last.end = s.end
                if _RANK[s.decision.action] > _RANK[last.decision.action]:
                    last.decision = s.decision
                continue
            kept.append(s)
        out: list[Finding] = []
        for s in kept:
            for ls, le in _lines(text, s.start, s.end):
                action: Action = s.decision.action
                pid = None if s.person is None else self.register.people[s.person].id
                why = s.why or self._explain(s, text[s.start : s.end])
                out.append(Finding(ls, le, text[ls:le], s.category, s.role, action, s.decision.reason, pid, why))
        return out


@contextmanager
def _gc_paused() -> Iterator[None]:
    """The cyclic garbage collector paused while one document is read.

    Detection allocates hundreds of thousands of small objects (tokens, spans, findings) and
    makes no reference cycles, so the collector's generation-0 passes over them find nothing
    and cost about a fifth of the detection time. It is switched back on afterwards (if it was
    on), and anything left over is collected by its next ordinary pass."""
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()


def _relation_words() -> ahocorasick.Automaton:
    auto = ahocorasick.Automaton()
    for w in RELATIONS | NAMING_LAST | {"bf", "gf", "fella", "bloke"}:
        # with the space after it, so "son" inside "person" is never a hit
        for form in (w + " ", w + "'s ", w + "’s "):
            auto.add_word(form, form)
    auto.make_automaton()
    return auto


# relation words, found by one automaton pass; then the lower-case word straight after one
_RELATION_WORDS = _relation_words()
_LOWER_NAME_AFTER = re.compile(r"[ \t]*([a-z][a-z'’\-]{1,20})\b")


def _is_nickname(key: str) -> bool:
    return bool(_nicknamer().canonicals_of(key))


def _link_unknowns(text: str, names: list[_Span], case: CaseKnowledge) -> None:
    """Mentions of one unlisted person say so: "Jo" after "Jo Bloggs" is linked to it, and a name
    the case has shown to be a person's is linked to that."""
    keys: dict[str, frozenset[str]] = {}
    unknown = []
    for s in names:
        if s.person is None and s.role == "unknown":
            shown = text[s.start : s.end]
            key = keys.get(shown)
            if key is None:
                key = keys[shown] = frozenset(_name_key(shown))
            unknown.append((s, key))
    fuller_by_word: dict[str, dict[frozenset[str], str]] = {}
    for s, key in unknown:
        if len(key) > 1:
            for word in key:
                fuller_by_word.setdefault(word, {}).setdefault(key, text[s.start : s.end])
    reasons: dict[frozenset[str], str] = {}
    for s, key in unknown:
        if s.why or not key:
            continue
        why = reasons.get(key)
        if why is None:
            candidates = fuller_by_word.get(next(iter(key)), {})
            fuller = next((shown for other, shown in candidates.items() if key < other), None)
            if fuller is not None:
                why = f"unknown person: linked to {fuller!r} in this document (same name)"
            elif key <= case.names and len(key) == 1:
                why = "unknown person: linked to the same name shown to be a person elsewhere in the case"
            else:
                why = ""
            reasons[key] = why
        s.why = why


def _known_professionals(
    text: str, names: list[_Span], case: CaseKnowledge, learnt: set[str] | None
) -> dict[tuple[str, ...], tuple[str, str]]:
    """Unlisted professionals named with their role, here or in the case: name key to (group, name shown).

    Those named here are added to ``learnt`` for the rest of the case."""
    known: dict[tuple[str, ...], tuple[str, str]] = {}
    for s in names:
        if s.person is None and s.role == "professional":
            key = _name_key(text[s.start : s.end])
            known[key] = (s.group, text[s.start : s.end])
            if learnt is not None:
                learnt.add(f"{_PROFESSIONAL}{s.group}|{' '.join(key)}")
    for entry in case.professionals:
        group, _, name = entry.partition("|")
        known.setdefault(tuple(name.split()), (group, name.title()))
    return known


@lru_cache(maxsize=4096)
def _key_set(key: tuple[str, ...]) -> frozenset[str]:
    return frozenset(key)


@lru_cache(maxsize=4096)
def _name_key(name: str) -> tuple[str, ...]:
    """A name's folded words without titles: "Mrs Parveen Anwar" is ("parveen", "anwar")."""
    return tuple(k for k in (fold(w) for w in WORDS_IN.findall(name)) if k not in TITLES and len(k) > 1)


def _letters(name: str) -> str:
    return "".join(ch for ch in fold(name) if ch.isalpha())


def _joinable_gap(gap: str) -> bool:
    return 0 < len(gap) <= 2 and gap.strip(" ") == ""


def _lines(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """A span broken over lines becomes one span per line, without the line break or edge spaces."""
    whole = text[start:end]
    if "\n" not in whole and whole == whole.strip(" \t\r,"):
        return [(start, end)]
    out = []
    pos = start
    for piece in whole.split("\n"):
        s, e = pos, pos + len(piece)
        pos = e + 1
        while s < e and text[s] in " \t\r,":
            s += 1
        while e > s and text[e - 1] in " \t\r,":
            e -= 1
        if e > s:
            out.append((s, e))
    return out


def clean_text(text: str) -> str:
    """Control characters (other than tab and line breaks) become spaces, keeping every offset."""
    return _CONTROL.sub(" ", text)


def detect_text(
    text: str, register: Register, policy: Policy | None = None, case: CaseKnowledge = NO_CASE_KNOWLEDGE
) -> list[Finding]:
    """Findings in one text with the case register: a one-off; build a :class:`Detector` for many."""
    return Detector(register, policy).detect(text, case)
