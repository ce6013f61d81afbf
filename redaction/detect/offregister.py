"""People the register does not know, found from the shape of the text around them.

Each rule is a method of ``OffRegister``, mixed into ``NameFinder``: capitalised surnames before a
forename ("SMITH, Kayla"), names listed beside a known name, naming phrases ("known as Zed"),
relationship words ("her partner, Jo"), and once a name is known, every later mention of it.
"""

from __future__ import annotations

import bisect
import re
from collections import deque

from redaction.detect.lexicon import NOT_NAME, WORD_NAMES, fold
from redaction.detect.name_words import (
    ABBREVIATION_BEFORE,
    AFTER_A_NAME,
    CAPITAL,
    DESCRIBED_AFTER,
    FIRM_WORDS,
    FUNCTION_AFTER,
    LIST_END,
    LIST_SEP,
    LIST_SEP_BEFORE,
    NEXT_WORD,
    PERSON_VERB,
    PLACE_BEFORE,
    PLACE_WORDS,
    POSSESSED,
    TRIGGER_WORDS,
    WORDS_IN,
    NameMention,
    Token,
    last_word,
    naming_before,
    phrase_hits,
    relation_before,
    sentence_start,
)
from redaction.detect.professionals import ROLE_GROUPS
from redaction.detect.register import Register

# A message transcript's speaker: "[14/06 22:41] Name: text" or "22:41 - Name: text".
_SPEAKER = re.compile(
    r"(?m)^[ \t]*(?:\[[^\]\n]*\d[^\]\n]*\]|\d{1,2}[:.]\d{2}(?:[ \t]*[-–][ \t]*)?)[ \t]*"
    rf"([{CAPITAL}][^\W\d_]+(?:[ \t][{CAPITAL}][^\W\d_]+)?)[ \t]*(?:\([^)\n]*\))?[ \t]*:"
)


def _role_abbreviation(word: str) -> bool:
    """ "DSL", "GP", "SW": short capitals without a vowel are abbreviations, not surnames."""
    return len(word) <= 5 and not any(ch in "AEIOUY" for ch in word.upper())


_FIRM_WORD_AFTER = re.compile(
    r"[ \t]+(?:" + "|".join(w.capitalize() for w in sorted(FIRM_WORDS, key=len, reverse=True)) + r")\b", re.IGNORECASE
)
# the last words of job titles ("community paediatrician", "youth justice officer"): a list item
# ending with one is someone's role, not another person
ROLE_HEADS = frozenset(
    phrase.split()[-1]
    for phrases in ROLE_GROUPS.values()
    for phrase in phrases
    if phrase.split()[-1].isalpha() and len(phrase.split()[-1]) > 3
) - frozenset(["year", "head", "justice"])
# "the Moyo family", "the KHAN children"; not "the Oakfield Family Centre" or "the family court"
_FAMILY_NOUN = re.compile(
    r" (?:family|household|children|twins|siblings|boys|girls)\b(?![ \t]+(?:centre|center|court|hub|support|"
    r"service|services|group|time|worker|workers|team|assessment|law|proceedings)\b)",
    re.IGNORECASE,
)
_FAMILY_PREFIXES = frozenset(["fa", "ho", "ch", "tw", "si", "bo", "gi", "FA", "HO", "CH", "Fa", "Ho", "Ch"])
_THE_BEFORE = re.compile(r"(?i)\bthe[ \t]+$")
# peoples that are also surnames or forenames: "the Irish family" is not the Irish family's surname
_PEOPLES = frozenset(["english", "welsh", "irish", "slovak", "czech", "arab", "roma", "muslim", "catholic", "british"])
_NOT_SPEAKER = frozenset(["unknown", "me", "you", "them", "him", "her", "caller", "sender", "withheld", "private"])


class OffRegister:
    """Rules for names that are not on the case register; mixed into ``NameFinder``."""

    reg: Register
    surnames: frozenset[str]

    def _list_siblings(
        self, text: str, toks: list[Token], taken: set[int], mentions: list[NameMention]
    ) -> list[NameMention]:
        """Names listed beside a name on one line: "PRESENT: JO BLOGGS, ANA SOUZA" lists two people."""
        starts = {t.start: i for i, t in enumerate(toks)}
        ends = [t.end for t in toks]
        # an off-register name that is itself only likely ("Kezia Obi") makes its list neighbours likely too
        anchors = sorted(
            (m.start, m.end, not (m.certain and not m.review))
            for m in mentions
            if (m.certain and not m.review) or not m.people
        )
        out: list[NameMention] = []
        # a deque: popping the head of a list is linear, and a long record has thousands of anchors
        queue = deque(anchors)
        while queue:
            a_start, a_end, weak = queue.popleft()
            after = self._siblings_after(text, starts, a_end)
            for i in after + self._siblings_before(text, toks, ends, a_start):
                words = self._list_item(text, toks, i)
                weak_item = weak
                if not words:
                    # one forename listed beside a name: "with Zara, Ibrahim and Oliwia"
                    words = self._single_item(text, toks, i)
                    weak_item = weak or not (words and words[0].kind == "lex")
                if words and not any(id(w) in taken for w in words):
                    taken.update(id(w) for w in words)
                    out.append(NameMention(words[0].start, words[-1].end, (), review=weak_item, certain=not weak_item))
                    # the list goes on: "Zara, Ibrahim and Oliwia"
                    queue.append((words[0].start, words[-1].end, weak_item))
        return out

    @staticmethod
    def _siblings_after(text: str, starts: dict[int, int], end: int) -> list[int]:
        sep = LIST_SEP.match(text, end)
        if sep is None:
            return []
        i = starts.get(sep.end())
        return [] if i is None else [i]

    @staticmethod
    def _siblings_before(text: str, toks: list[Token], ends: list[int], start: int) -> list[int]:
        sep = LIST_SEP_BEFORE.search(text, max(0, start - 8), start)
        if sep is None:
            return []
        j = bisect.bisect_left(ends, sep.start())
        if j >= len(toks) or ends[j] != sep.start():
            return []
        # the item before the separator: walk back to its first word
        first = j
        while first > 0 and j - first < 2 and text[toks[first - 1].end : toks[first].start] == " ":
            first -= 1
        return [first]

    def _list_item(self, text: str, toks: list[Token], i: int) -> list[Token]:
        """Two or three capitalised words that make up one list item, or nothing."""
        words = [toks[i]]
        while len(words) < 3 and i + len(words) < len(toks):
            nxt = toks[i + len(words)]
            if text[words[-1].end : nxt.start] != " ":
                break
            words.append(nxt)
        end = words[-1].end
        if len(words) < 2 or not LIST_END.match(text, end):
            return []
        if any(w.kind in ("stop", "title") for w in words):
            return []
        if words[-1].key in ROLE_HEADS and all(w.kind != "reg" for w in words):
            return []  # "Dr Honor Blackwood, Community Paediatrician": the role after a name
        if not any(w.kind in ("lex", "reg") for w in words) and any(w.key in PLACE_WORDS for w in words):
            return []
        same_case = all(w.caps for w in words) or all(not w.caps for w in words)
        return words if same_case else []

    @staticmethod
    def _single_item(text: str, toks: list[Token], i: int) -> list[Token]:
        """One unknown capitalised word mid-sentence, listed beside a likely name: "with Maddison and Kezia Obi"."""
        tok = toks[i]
        if tok.kind not in ("unk", "lex") or tok.caps or tok.key in PLACE_WORDS or tok.key in NOT_NAME:
            return []
        if tok.key in ROLE_HEADS:
            return []
        if sentence_start(text, tok.start) or not LIST_END.match(text, tok.end):
            return []
        if i + 1 < len(toks) and text[tok.end : toks[i + 1].start] == " ":
            return []
        return [tok]

    def _name_shaped(self, text: str, toks: list[Token], taken: set[int]) -> list[NameMention]:
        """Two unknown capitalised words, the second a known surname: perhaps a person ("Kayden Smith").

        Place and organisation names have the same shape, so these go to review, not to redaction.
        """
        out: list[NameMention] = []
        for tok, nxt in zip(toks, toks[1:], strict=False):
            if tok.kind != "unk" or nxt.kind not in ("unk", "lex") or tok.caps or nxt.caps:
                continue
            if id(tok) in taken or id(nxt) in taken or text[tok.end : nxt.start] != " " or tok.possessive:
                continue
            if nxt.key not in self.surnames or tok.key in PLACE_WORDS or nxt.key in PLACE_WORDS:
                continue
            if _FIRM_WORD_AFTER.match(text, nxt.end):
                continue  # "Sand Martin House", "Lowmoor Primary School": a building or an organisation
            if text[nxt.end : nxt.end + 2].strip()[:1].isdigit():
                continue  # "Section Art 15", "Form B 12": a reference, not a person
            if last_word(text[max(0, tok.start - 20) : tok.start]) in PLACE_BEFORE:
                continue
            out.append(NameMention(tok.start, nxt.end, (), review=True, certain=False))
            taken.add(id(tok))
            taken.add(id(nxt))
        return out

    def _surname_first(self, text: str, toks: list[Token], taken: set[int], forced: set[str]) -> list[NameMention]:
        """Police-style "SMITH, Kayla": a surname in capitals, a comma, then the forename."""
        out: list[NameMention] = []
        for tok, nxt in zip(toks, toks[1:], strict=False):
            if not tok.caps or nxt.caps or nxt.kind not in ("reg", "lex", "unk") or tok.kind == "title":
                continue
            if nxt.kind == "unk" and tok.kind not in ("unk", "lex"):
                continue
            if text[tok.end : nxt.start] != ", " or tok.possessive:
                continue
            if tok.kind != "reg" and _role_abbreviation(tok.text) and tok.key not in self.surnames:
                continue  # "Mark Kowalczyk, DSL, St Aidan's": a role after a name, not a surname
            if tok.kind != "reg" and ABBREVIATION_BEFORE.search(text, max(0, tok.start - 8), tok.start):
                continue  # "our LSA, Bogdan Lupu": a role before a name, used as a noun
            given = {r.person for r in nxt.refs if r.kind in ("first", "nick", "middle", "alias")}
            if nxt.kind == "reg" and not given:
                continue
            owners = {r.person for r in tok.refs if r.kind == "last"} & given if tok.kind == "reg" else set()
            if len(owners) == 1:
                out.append(NameMention(tok.start, tok.end, tuple(owners)))
            elif tok.kind in ("unk", "lex") or (tok.kind == "stop" and nxt.kind in ("lex", "reg")):
                out.append(NameMention(tok.start, tok.end, ()))
                forced.add(tok.key)
                if nxt.kind == "unk":
                    out.append(NameMention(nxt.start, nxt.end, ()))
                    taken.add(id(nxt))
            else:
                continue
            taken.add(id(tok))
        return out

    def _context_says_name(self, text: str, words: list[Token]) -> bool:
        before = text[max(0, words[0].start - 40) : words[0].start]
        if before.endswith((":", ": ", ":\t")) and naming_before(before):
            return True  # a form label: "Caller: Rukhsana Bibi"
        if last_word(before) in TRIGGER_WORDS and (naming_before(before) or relation_before(before)):
            return True
        last = words[-1]
        if last.possessive:
            return bool(POSSESSED.match(text, last.end + 2))
        return text.startswith((" (", "(", "\t(", "\n("), last.end) and bool(DESCRIBED_AFTER.match(text, last.end))

    def _from_context(self, text: str, toks: list[Token], taken: set[int], forced: set[str]) -> list[NameMention]:
        """Unknown words that the sentence itself marks as a name: "a man called Dee", "Zed's flat"."""
        out: list[NameMention] = []
        for i, tok in enumerate(toks):
            if id(tok) in taken or tok.caps:
                continue
            if tok.kind == "stop" and not tok.key.endswith(("day", "ber")):
                # a word like "Senior" or "Major" can still be someone's street name when the sentence says so
                before = text[max(0, tok.start - 40) : tok.start]
                if naming_before(before):
                    out.append(NameMention(tok.start, tok.end, ()))
                    taken.add(id(tok))
                    forced.add(tok.key)
                continue
            if tok.kind not in ("unk", "lex"):
                continue
            if tok.kind == "lex" and tok.key in WORD_NAMES and not tok.possessive:
                before = text[max(0, tok.start - 40) : tok.start]
                if not (naming_before(before) or DESCRIBED_AFTER.match(text, tok.end)):
                    continue
            if self._context_says_name(text, [tok]):
                end = self._extend(text, toks, i, taken)
                out.append(NameMention(tok.start, end, ()))
        return out

    @staticmethod
    def _extend(text: str, toks: list[Token], i: int, taken: set[int]) -> int:
        """Take the capitalised words that follow a name found by context: "named as Viraj Deol"."""
        first = toks[i]
        end = first.end
        taken.add(id(first))
        for nxt in toks[i + 1 : i + 3]:
            prev_end = end
            if id(nxt) in taken or nxt.kind in ("stop", "title") or text[prev_end : nxt.start] not in (" ", "\n"):
                break
            end = nxt.end
            taken.add(id(nxt))
            if nxt.possessive:
                break
        return end

    def _family_names(self, text: str, toks: list[Token], taken: set[int]) -> list[NameMention]:
        """ "the Moyo family", "the KHAN household": the word naming a family is its surname."""
        out: list[NameMention] = []
        for tok in toks:
            if tok.kind not in ("unk", "lex") or id(tok) in taken or tok.possessive:
                continue
            if text[tok.end + 1 : tok.end + 3] not in _FAMILY_PREFIXES or not _FAMILY_NOUN.match(text, tok.end):
                continue
            if (
                tok.key in PLACE_WORDS
                or tok.key in _PEOPLES
                or not _THE_BEFORE.search(text, max(0, tok.start - 5), tok.start)
            ):
                continue
            out.append(NameMention(tok.start, tok.end, (), why="unknown person: a family's name"))
            taken.add(id(tok))
        return out

    def _doing_what_people_do(self, text: str, toks: list[Token], taken: set[int]) -> list[NameMention]:
        """ "Jaxon shouted at her": an unknown word doing what people do is probably a person."""
        out: list[NameMention] = []
        for tok in toks:
            if (
                tok.kind == "unk"
                and not tok.caps
                and not tok.possessive
                and id(tok) not in taken
                and PERSON_VERB.match(text, tok.end)
            ):
                out.append(NameMention(tok.start, tok.end, (), review=True, certain=False))
                taken.add(id(tok))
        return out

    def _speakers(self, text: str, toks: list[Token], taken: set[int]) -> list[NameMention]:
        """The named speakers of a message transcript are people, whoever the register says they are."""
        out: list[NameMention] = []
        starts: list[int] | None = None
        for m in _SPEAKER.finditer(text):
            if starts is None:
                starts = [t.start for t in toks]
            i = bisect.bisect_left(starts, m.start(1))
            if i >= len(toks) or toks[i].start != m.start(1):
                continue
            words = []
            while i < len(toks) and toks[i].end <= m.end(1):
                words.append(toks[i])
                i += 1
            if not words or any(id(w) in taken for w in words) or words[0].kind not in ("unk", "lex"):
                continue
            if any(w.key in NOT_NAME or w.key in _NOT_SPEAKER for w in words):
                continue
            taken.update(id(w) for w in words)
            out.append(NameMention(words[0].start, words[-1].end, ()))
        return out

    def _propagate(
        self,
        text: str,
        toks: list[Token],
        taken: set[int],
        mentions: list[NameMention],
        forced: set[str],
        case_known: frozenset[str],
        learnt: set[str] | None,
    ) -> list[NameMention]:
        """Once a word is known to name someone off the register, it names them everywhere in the text."""
        phrases, found = self._off_register_names(text, mentions)
        if learnt is not None:
            learnt.update(found)
        # names learnt anywhere in the case count here too: resolved once, resolved everywhere
        known = found | case_known
        out: list[NameMention] = []
        index_at = {t.start: i for i, t in enumerate(toks)}
        for pos, end in phrase_hits(text, phrases):
            i = index_at.get(pos)
            inside = []
            while i is not None and i < len(toks) and toks[i].start < end:
                inside.append(toks[i])
                i += 1
            if inside and not any(id(t) in taken for t in inside) and not text[end : end + 1].isalpha():
                taken.update(id(t) for t in inside)
                out.append(
                    NameMention(pos, end, (), why="unknown person: linked to the same name written in full here")
                )
        for i, tok in enumerate(toks):
            if id(tok) in taken or tok.kind not in ("unk", "lex", "stop"):
                continue
            if tok.key in forced or (
                tok.key in known and (tok.key not in WORD_NAMES or self._word_name_as_name(text, tok))
            ):
                # a known forename carries the unknown surname written after it: "Dee Smythe-Oduya"
                end = tok.end
                nxt = toks[i + 1] if i + 1 < len(toks) else None
                if (
                    nxt is not None
                    and not tok.possessive
                    and nxt.kind == "unk"
                    and id(nxt) not in taken
                    and text[tok.end : nxt.start] == " "
                ):
                    end = nxt.end
                    taken.add(id(nxt))
                where = "in this document" if tok.key in found else "elsewhere in the case"
                why = f"unknown person: linked to {text[tok.start : tok.end]!r}, named as a person {where}"
                out.append(NameMention(tok.start, end, (), why=why))
                taken.add(id(tok))
        return out

    def _off_register_names(self, text: str, mentions: list[NameMention]) -> tuple[set[str], set[str]]:
        """The names of people certainly off the register: (names of several words as written, folded words)."""
        phrases: set[str] = set()
        found: set[str] = set()
        for m in mentions:
            if not m.people and m.certain and not m.review:
                words = WORDS_IN.findall(text, m.start, m.end)
                if len(words) > 1:
                    phrases.add(text[m.start : m.end])
                for w in words:
                    key = fold(w)
                    if len(key) > 1 and key not in NOT_NAME and key not in self.reg.words:
                        found.add(key)
        return phrases, found

    @staticmethod
    def _word_name_as_name(text: str, tok: Token) -> bool:
        """A word-name already known as someone's name: still a word where a sentence starts with it."""
        if tok.possessive or text.startswith(":", tok.end):
            return True
        if tok.caps:
            return False
        if not sentence_start(text, tok.start):
            return True
        # at a sentence start a known name still reads as a name unless a pronoun or article follows
        nxt = NEXT_WORD.match(text, tok.end, tok.end + 20)
        following = nxt.group(1).lower() if nxt else ""
        if tok.key == "will":
            return following.endswith(("ed", "s")) or following in AFTER_A_NAME
        return following not in FUNCTION_AFTER
