"""Word lists, patterns and small types shared by the name finders.

Context words are matched by looking at the last word before a candidate, not by running one
regular expression per rule, which keeps name detection fast on long records.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

import ahocorasick

from redaction.detect.register import NameRef

FUNCTION_WORDS = (
    "The|She|He|It|I|A|An|In|On|At|If|As|We|You|Your|They|This|That|There|These|Those|When|What|Where|Who|Why|How|"
    "Her|His|Their|Our|My|But|And|Or|So|Not|All|After|Before|During|Following|Since|Also|Both|Each|For|From|To|Of|"
    "By|With|Then|Than|Some|Any|Once|While|Although|Because|However|Is|Was|Are|Has|Have|Had|Do|Did|Does|Can|"
    "Could|Would|Should|Must|Might|Shall|Please|Yes|No|Thank|Thanks|Dear|Regards|Yours|Sincerely|Today|Yesterday|"
    "Under|Over|Between|Within|Without|Despite|Upon|About|Above|Below|Across|Through|Until|Unless|Whilst|Via|Per|"
    "Into|Onto|Towards|Against|Among|Around|Behind|Beyond|Near|Off|Out|Up|Down|Here|Now|Later|Earlier|Every"
)


def word_list(words: str) -> list[str]:
    return words.split()


# The pattern starts with its character class so the engine can skip straight to capitals; the
# look-behind then checks that the capital starts a word.
# a capital after a letter, hyphen or an apostrophe inside a word ("O'Brien") does not start a word;
# after an opening single quote ("known as 'Tiny'") it does
# capitals of Latin-1 and Latin Extended-A: "Łukasz", "Šimon", "Ştefan" start names too
CAPITAL = "A-ZÀ-ÖØ-ÞĀĂĄĆĈĊČĎĐĒĔĖĘĚĜĞĠĢĤĦĨĪĬĮİĴĶĹĻĽĿŁŃŅŇŊŌŎŐŒŔŖŘŚŜŞŠŢŤŦŨŪŬŮŰŲŴŶŸŹŻŽȘȚ"
WORD = re.compile(rf"[{CAPITAL}](?<![\w\-].)(?<!\w['’].)[^\W\d_]*(?:['’\-][^\W\d_]+)*")
FUNCTION_WORD_SET = frozenset(FUNCTION_WORDS.split("|"))
POSSESSIVE = ("'s", "’s", "'S", "’S")
JOIN_GAP = re.compile(r"[ \t]{1,2}|\.? |[ \t]*\n[ \t]*")
COLLAR_GAP = re.compile(r"\.?\s\d{2,6}\s")
# Words just before a name that say it is one: "a man called Dee", "known as Zed", "her partner, Jo".
NAMING_LAST = frozenset(["called", "named", "nicknamed", "aka"])
NAMING_PAIRS = frozenset(
    [
        ("known", "as"),
        ("only", "as"),
        ("saved", "as"),
        ("phone", "as"),
        ("signed", "as"),
        ("named", "as"),
        ("knows", "as"),
        ("know", "as"),
        ("knew", "as"),
        ("goes", "by"),
        ("go", "by"),
        ("himself", "as"),
        ("herself", "as"),
        ("themself", "as"),
        ("calls", "himself"),
        ("calls", "herself"),
        ("calls", "themself"),
        ("surname", "is"),
        ("surname", "was"),
        ("name", "is"),
        ("name", "was"),
        ("introduced", "as"),
        ("introduces", "as"),
    ]
)
RELATIONS = frozenset(
    word_list(
        """partner ex-partner boyfriend girlfriend ex-boyfriend ex-girlfriend friend neighbour cousin uncle aunt auntie
    landlord landlady husband wife stepfather stepmother step-father step-mother lodger flatmate co-accused associate
    mate niece nephew godmother godfather mum mother dad father son daughter brother sister half-brother half-sister
    stepson stepdaughter stepbrother stepsister step-brother step-sister grandson granddaughter grandmother
    grandfather"""
    )
)
TAIL_WORDS = re.compile(r"[\w'’.\-]+")


TRIGGER_WORDS = NAMING_LAST | {w for pair in NAMING_PAIRS for w in pair[1:]} | RELATIONS | {"a.k.a", "a.k.a."}


def last_word(before: str) -> str:
    """The word just before a position, lower-cased, without quotes, commas or a possessive."""
    end = len(before)
    while end and before[end - 1] in " \t\n\"“‘',":
        end -= 1
    start = before.rfind(" ", 0, end) + 1
    word = before[start:end].lower()
    if word.endswith(("'s", "’s")):
        word = word[:-2]
    return word


def naming_before(before: str) -> bool:
    if before.endswith((":", ": ", ":\t")) and _PEOPLE_LABEL.search(before):
        return True
    if last_word(before) not in TRIGGER_WORDS:
        return False
    words = [w.lower().strip(".'’") for w in TAIL_WORDS.findall(before[-30:])[-2:]]
    if not words:
        return False
    last = words[-1].replace(".", "")
    if last in NAMING_LAST or (len(words) == 2 and (words[0], last) in NAMING_PAIRS):
        return True
    # "known to the family as", "known locally as": a few words may sit inside the pair
    if last == "as":
        lead = [w.lower() for w in TAIL_WORDS.findall(before[-40:])[-5:-1]]
        return any(w in _KNOWN for w in lead)
    return False


_KNOWN = frozenset(["known", "knows", "knew", "know", "introduced", "introduces", "introducing"])
# Form labels that a person's name follows: "Caller: Rukhsana Bibi", "Visitor: Jo Bloggs"
_PEOPLE_LABEL = re.compile(
    r"(?im)^[ \t]*(?:caller|informant|visitor|visitors|present|attendees|attended|in attendance|referrer|"
    r"reported by|witness|victim|suspect|alleged perpetrator|perpetrator|contact|name|full name|signed|"
    r"mother|father|carer|parent|partner|lodger|landlord|neighbour)[ \t]*(?:\([^)\n]*\))?[ \t]*:[ \t]*$"
)


def relation_before(before: str) -> bool:
    if last_word(before) not in RELATIONS:
        return False
    # an opening quote may sit between the relation and the name: 'his friend "Shez"'
    tail = before[-24:]
    if tail[-1:] in ('"', "“", "‘", "'"):
        tail = tail[:-1]
    stripped = tail.rstrip()
    if not stripped or stripped == tail:
        return False  # the relation word must end just before the name, followed by a space
    words = TAIL_WORDS.findall(stripped.rstrip(","))
    if not words:
        return False
    last = words[-1].lower()
    if last.endswith(("'s", "’s")):
        last = last[:-2]
    return last in RELATIONS


POSSESSED = re.compile(
    r"\s*(?:mum|mam|mother|dad|father|brother|sister|birthday|house|home|flat|room|bedroom|party|family|"
    r"friend|friends|partner|boyfriend|girlfriend|phone|car|nan|gran|uncle|aunt|cousin|baby|son|daughter)\b"
)
# After a word-name at the start of a sentence, these show the word is a verb or noun, not a name.
FUNCTION_AFTER = frozenset(
    ["he", "she", "they", "it", "this", "that", "these", "those", "we", "you", "i", "there", "the", "a", "an"]
)
AFTER_A_NAME = frozenset(
    ["and", "is", "was", "has", "had", "said", "told", "went", "came", "did", "felt"]
    # past tenses that cannot follow the modal "will": "Will took Sofia to the park"
    + word_list(
        """took gave saw made got left brought rang spoke wrote sat stood drove met kept found thought knew ran
        bought taught sent spent heard paid lost won put let cut hit read says"""
    )
)
DESCRIBED_AFTER = re.compile(
    r"[ \t]*\n?[ \t]*\((?=[^()]{0,40}\b(?:placement|girl|boy|lad|man|woman|friend|partner|boyfriend|"
    r"girlfriend|mother|father|mum|dad|brother|sister|cousin|neighbour|child|aged?|dob|y\d+|year \d+|uncle|aunt|"
    r"nan|grandmother|grandfather|carer|resident|pupil|peer|classmate|sibling)\b)",
    re.IGNORECASE,
)
# Words that make a capitalised pair a place or an organisation rather than a person.
PLACE_WORDS = frozenset(
    word_list(
        """north south east west upper lower new old great little high low central royal saint st universal youth
    return up your our my their home credit justice matter matters setting bridge park bank moor edge hay carr
    riding common heath wood woods hill hills vale dale fields field green cross end side ford mill mills
    castle abbey priory chase gate valley brook water well wells marsh fen moss heights view
    officer officers worker workers manager lead coordinator practitioner nurse visitor advisor adviser assistant
    teacher head chair director consultant therapist psychologist solicitor advocate guardian constable sergeant
    inspector detective reviewing independent designated senior principal deputy
    vauxhall ford audi bmw mercedes toyota nissan peugeot volkswagen skoda kia hyundai honda renault citroen fiat
    mazda volvo jaguar rover tesla suzuki"""
    )
)
PLACE_BEFORE = frozenset(word_list("in at to from near of on via towards around into the a an by"))
PARTICLE_GAP = re.compile(
    r"[ \t]+(?:(?:van|von|der|den|de|da|di|del|della|le|la|du|dos|das|bin|ibn|al|el|ap|ter|ten)[ \t]+){1,3}"
)
PERSON_VERBS = frozenset(
    word_list(
        """said says told asked hit shouted reported stated explained disclosed denied admitted agreed refused
        went came lives lived stayed stays visited arrived left wants wanted threw punched kicked pushed grabbed
        rang texted messaged swore threatened screamed cried laughed"""
    )
)
PERSON_VERB = re.compile(rf" (?:{'|'.join(sorted(PERSON_VERBS))})\b")
LIST_SEP = re.compile(r"(?:,|;| and| &) ", re.IGNORECASE)
LIST_SEP_BEFORE = re.compile(r"(?:,|;| and| &) $", re.IGNORECASE)
LIST_END = re.compile(r"(?:[,;.)\n]|$| and\b| &)", re.IGNORECASE)
PROFESSIONAL_TITLES = frozenset(word_list("dr prof pc dc ds di dci dsi sgt insp pcso supt nurse cllr"))
NEXT_WORD = re.compile(r"\s+([A-Za-z]+)")
# words that make the capitalised words before them the name of a firm, a building or an
# organisation: "Carvell Brooke LLP", "Sand Martin House", "Jack Hunt School"
FIRM_WORDS = frozenset(
    word_list(
        """llp solicitors chambers ltd limited plc barristers partnership house court hall school academy college
        primary nursery centre center surgery practice clinic hospital lodge road street avenue lane drive close
        crescent way foundation trust"""
    )
)
# before an abbreviation used as a noun: "our TA", "an ABE interview", "the LADO"
ABBREVIATION_BEFORE = re.compile(r"(?i)\b(?:a|an|the|our|your|his|her|their|my|its)[ \t]+$")
WORDS_IN = re.compile(r"[^\W\d_]+(?:['’\-][^\W\d_]+)*")
SAINT = re.compile(r"\b(?:St|Saint)\.?\s+$")


@dataclass(slots=True)
class Token:
    start: int
    end: int
    text: str
    key: str
    caps: bool
    possessive: bool
    kind: str = "unk"  # title, reg, lex, stop, unk
    refs: list[NameRef] = field(default_factory=list)
    gender: str = ""


@dataclass(slots=True)
class NameMention:
    start: int
    end: int
    people: tuple[int, ...]  # register indexes the mention may name; empty when off the register
    review: bool = False  # the reader could not decide whose name this is
    certain: bool = True  # False when only weak evidence says this is a name
    why: str = ""  # what made an off-register mention a name, for the finding's explanation


class Intervals:
    """Merged ranges with fast membership: text already claimed, where nothing else is read."""

    def __init__(self, spans: list[tuple[int, int]]) -> None:
        merged: list[tuple[int, int]] = []
        for s, e in sorted(spans):
            if merged and s <= merged[-1][1]:
                merged[-1] = (merged[-1][0], max(e, merged[-1][1]))
            else:
                merged.append((s, e))
        self.starts = [s for s, _ in merged]
        self.ends = [e for _, e in merged]

    def blank(self, text: str) -> str:
        """The text with every claimed range turned to spaces, offsets unchanged."""
        if not self.starts:
            return text
        parts: list[str] = []
        pos = 0
        for s, e in zip(self.starts, self.ends, strict=True):
            parts.append(text[pos:s])
            parts.append(" " * (e - s))
            pos = e
        parts.append(text[pos:])
        return "".join(parts)

    def covers(self, pos: int) -> bool:
        i = bisect.bisect_right(self.starts, pos) - 1
        return i >= 0 and pos < self.ends[i]


def sentence_start(text: str, pos: int) -> bool:
    i = pos - 1
    while i >= 0 and text[i] in " \t\"“‘'(-•*[":
        i -= 1
    if i < 0:
        return True
    c = text[i]
    if c in ".!?:;":
        return True
    if c != "\n":
        return False
    j = i - 1
    while j >= 0 and text[j] in " \t\r":
        j -= 1
    # a blank line, or a line ending a sentence; a single newline inside a sentence is hard wrapping
    return j < 0 or text[j] in "\n.!?:;"


def phrase_hits(text: str, phrases: set[str]) -> list[tuple[int, int]]:
    """Every occurrence of any of the phrases, found in one pass with an Aho-Corasick automaton."""
    if not phrases:
        return []
    auto = ahocorasick.Automaton()
    for phrase in phrases:
        auto.add_word(phrase, len(phrase))
    auto.make_automaton()
    return [(end - length + 1, end + 1) for end, length in auto.iter(text)]
