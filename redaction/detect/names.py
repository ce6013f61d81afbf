"""Name mentions: register people in all their forms, and people the register does not know.

The text is read once as a stream of capitalised words (one compiled pattern). Neighbouring
words joined by a single space form a segment; inside a segment, titles, register name words,
first names from the lexicon and unknown capitalised words in surname position are grouped into
name groups, each attributed to the register person every one of its words can name. What the
register cannot explain is a person off the register ("her friend Jo Bloggs"), found from the
forename lexicon, titles, and context ("called", "known as", "her partner", "Dee's flat").
"""

from __future__ import annotations

import re

from rapidfuzz.distance import Levenshtein

from redaction.detect.lexicon import (
    HEADING_WORDS,
    MONTHS,
    NOT_NAME,
    RARE_WORD_NAMES,
    TITLES,
    WORD_NAMES,
    first_names,
    fold,
    surnames,
)
from redaction.detect.name_words import (
    ABBREVIATION_BEFORE,
    AFTER_A_NAME,
    COLLAR_GAP,
    FIRM_WORDS,
    FUNCTION_AFTER,
    FUNCTION_WORD_SET,
    JOIN_GAP,
    NEXT_WORD,
    PARTICLE_GAP,
    PERSON_VERBS,
    PLACE_WORDS,
    POSSESSIVE,
    PROFESSIONAL_TITLES,
    SAINT,
    WORD,
    Intervals,
    NameMention,
    Token,
    naming_before,
    sentence_start,
    word_list,
)
from redaction.detect.offregister import ROLE_HEADS, OffRegister
from redaction.detect.register import NameRef, Register

# "Patel & Co", "Hughes and Partners": a firm named after its founders
# ("and Co" is also everyday speech: "Amir and co" turned up; only "&" marks a firm there)
_FIRM_TAIL = r"(?:Co|Company|Partners|Sons|Associates)\b"
_FIRM_AND = re.compile(
    r"[ \t]+(?:&[ \t]+(?:Co|Company|Partners|Sons|Associates)|and[ \t]+(?:Partners|Sons|Associates))\b"
)
_FIRM_TAIL_ONLY = re.compile(_FIRM_TAIL + r"\.?$")


def _firm_part(text: str, start: int, end: int) -> bool:
    """Whether ``text[start:end]`` is the founders' name or the "& Co" of a firm's name."""
    if _FIRM_AND.match(text, end):
        return True
    return bool(_FIRM_TAIL_ONLY.match(text, start, end)) and text[max(0, start - 6) : start].rstrip().endswith("&")


_NUMBER_AFTER = re.compile(r"\.? ?\d")

# a word as written: (word without "'s", characters cut, folded key, capitals, possessive, kind, refs, gender)
_Reading = tuple[str, int, str, bool, bool, str, list[NameRef], str]
_SKIP: _Reading = ("", 0, "", False, False, "", [], "")  # a function word: never part of a name

__all__ = ["Intervals", "NameFinder", "NameMention", "Token", "sentence_start"]


def _place_or_firm(cur: list[Token], tok: Token) -> bool:
    """Whether the word ``tok`` ending the untitled name ``cur`` shows it is no person's name.

    "Florence Road", "Faith Academy": the forename belongs to a place; "Carvell Brooke LLP",
    "Lund & Vesey Solicitors": the names belong to a firm."""
    return (len(cur) == 1 and cur[0].kind == "lex") or (tok.key in FIRM_WORDS and all(w.kind != "reg" for w in cur))


class NameFinder(OffRegister):
    """Built once per register; ``find`` runs per document."""

    def __init__(self, register: Register) -> None:
        self.reg = register
        self.lexicon = first_names()
        self.surnames = surnames()
        self.fuzzy_keys = [k for k in register.words if len(k) >= 5]
        self._fuzzy_cache: dict[str, list[NameRef]] = {}
        # a word's reading never changes within a case, so each distinct word is classified once
        self._word_cache: dict[str, _Reading] = {}

    # ------------------------------------------------------------------ tokens
    def _classify(self, tok: Token) -> None:
        reg = self.reg
        if tok.text in reg.initials:
            tok.kind = "reg"
            tok.refs = [NameRef(reg.initials[tok.text], "initials")]
            return
        if tok.text in reg.guessed_initials:
            tok.kind = "reg"
            tok.refs = [NameRef(reg.guessed_initials[tok.text], "guessed")]
            return
        key = tok.key
        if len(tok.text) == 1:
            tok.kind = "init"
            return
        refs = reg.words.get(key)
        if key in TITLES and not (refs and any(r.kind == "last" for r in refs)):
            tok.kind = "title"
            tok.gender = TITLES[key]
            return
        if refs is None and "-" in key:
            parts = [reg.words.get(p) for p in key.split("-")]
            if all(parts):
                refs = [r for p in parts if p for r in p]
        if refs and (len(key) > 1):
            tok.kind = "reg"
            tok.refs = refs
            return
        if key in NOT_NAME or key in MONTHS:
            tok.kind = "stop"
            return
        if key in self.lexicon:
            tok.kind = "lex"
            tok.gender = self.lexicon[key]
            return
        if "-" in key and all(part in self.lexicon for part in key.split("-")):
            # "Kerry-Ann", "Jean-Paul", "Abdul-Rahman": a forename made of forenames
            tok.kind = "lex"
            tok.gender = self.lexicon[key.split("-")[0]]
            return
        tok.kind = "unk"

    def _fuzzy(self, key: str) -> list[NameRef]:
        """Register words within one or two edits, for misspellings and OCR slips."""
        if len(key) < 5 or not self.fuzzy_keys:
            return []
        hit = self._fuzzy_cache.get(key)
        if hit is not None:
            return hit
        limit = 1 if len(key) < 8 else 2
        found: list[NameRef] = []
        for cand in self.fuzzy_keys:
            if (
                abs(len(cand) - len(key)) <= limit
                and cand[0] == key[0]
                and Levenshtein.distance(cand, key, score_cutoff=limit) <= limit
            ):
                found.extend(r for r in self.reg.words[cand] if r.kind in ("first", "last", "middle"))
        self._fuzzy_cache[key] = found
        return found

    def tokens(self, text: str, blocked: Intervals) -> list[Token]:
        out: list[Token] = []
        append = out.append
        cache = self._word_cache
        reading = self._reading
        for m in WORD.finditer(blocked.blank(text)):
            word = m.group()
            # everything about a word but its place is read once per distinct word
            cached = cache.get(word)
            if cached is None:
                cached = cache[word] = reading(word)
            if cached is _SKIP:
                continue
            bare, cut, key, caps, possessive, kind, refs, gender = cached
            s = m.start()
            append(Token(s, m.end() - cut, bare, key, caps, possessive, kind, refs, gender))
        return out

    def _reading(self, word: str) -> _Reading:
        """How a capitalised word reads wherever it stands, as the text writes it ("Dee's")."""
        if word in FUNCTION_WORD_SET:
            return _SKIP
        possessive = word[-2:] in POSSESSIVE and len(word) > 3
        bare = word[:-2] if possessive else word
        probe = Token(0, 0, bare, fold(bare), _all_caps(bare), possessive)
        self._classify(probe)
        return (bare, 2 if possessive else 0, probe.key, probe.caps, possessive, probe.kind, probe.refs, probe.gender)

    # ------------------------------------------------------------------ segments
    def _segments(self, text: str, toks: list[Token]) -> list[list[Token]]:
        segs: list[list[Token]] = []
        cur: list[Token] = []
        for tok in toks:
            if cur:
                prev = cur[-1]
                gap = text[prev.end : tok.start]
                joined = False
                if not prev.possessive:
                    if gap == " ":
                        joined = True  # the common case, without the pattern below
                    elif JOIN_GAP.fullmatch(gap):
                        # a line break joins only a name broken across lines, never a heading to a name
                        joined = "\n" not in gap or self._line_joinable(prev, tok)
                        if "." in gap and prev.kind not in ("title", "init"):
                            joined = False
                    elif PARTICLE_GAP.fullmatch(gap) and prev.kind in ("reg", "lex", "unk") and tok.kind != "stop":
                        # "Daniel van der Berg": the lower-case particles belong to the name
                        joined = True
                    elif prev.kind == "title" and COLLAR_GAP.fullmatch(gap):
                        joined = True
                if joined:
                    cur.append(tok)
                    continue
                segs.append(cur)
            cur = [tok]
        if cur:
            segs.append(cur)
        return segs

    @staticmethod
    def _line_joinable(prev: Token, tok: Token) -> bool:
        if prev.kind == "lex" and tok.kind == "unk" and not tok.caps and not prev.caps:
            return True  # a forename at the end of a hard-wrapped line, its surname on the next
        if prev.kind == "title":
            return True
        if prev.kind == "reg" and tok.kind == "reg":
            return bool({r.person for r in prev.refs} & {r.person for r in tok.refs})
        return False

    # ------------------------------------------------------------------ name positions
    @staticmethod
    def _unknown_forename_before_name(text: str, seg: list[Token], i: int) -> bool:
        tok = seg[i]
        if i + 1 >= len(seg) or tok.caps or tok.possessive or sentence_start(text, tok.start):
            return False
        nxt = seg[i + 1]
        return nxt.kind == "lex" and nxt.key not in WORD_NAMES and text[tok.end : nxt.start] == " "

    def _surname_like(self, tok: Token) -> bool:
        """Can this word stand in surname position? In capitals only a known surname can."""
        if tok.kind in ("reg", "lex"):
            return True
        if tok.kind != "unk":
            return False
        return not tok.caps or tok.key in self.surnames

    def _is_word_use(self, text: str, seg: list[Token], i: int) -> bool:
        """True when a word-name (Will, Hope, April) stands as an ordinary word here."""
        tok = seg[i]
        key = tok.key
        if key not in WORD_NAMES and key not in MONTHS:
            # a rare name that is mostly a word, opening a sentence before "of": "Many of the children"
            return (
                key in RARE_WORD_NAMES
                and i + 1 == len(seg)
                and not tok.possessive
                and sentence_start(text, tok.start)
                and text.startswith(" of ", tok.end)
            )
        if i == 0 and key in _MODALS and not tok.possessive and self._modal_question(text, seg):
            # "Will Sofia settle?", "May Kayla stay over?": a question opened by the verb
            return True
        prev_name = i > 0 and seg[i - 1].kind in ("title", "reg", "lex")
        next_name = i + 1 < len(seg) and self._surname_like(seg[i + 1])
        if prev_name or next_name:
            return False
        if tok.possessive:
            return False
        if tok.caps or _NUMBER_AFTER.match(text, tok.end):
            # "WILL NEED", "Art 15", "May 2024": a word, not a name
            return True
        if sentence_start(text, tok.start):
            nxt = NEXT_WORD.match(text, tok.end, tok.end + 20)
            following = nxt.group(1).lower() if nxt else ""
            if tok.kind != "reg":
                # "Rose told me", "Faith said no": a person's verb after it makes it a name
                return following not in _NAME_VERBS
            if following == "to" and _ITEM_START.search(text, max(0, tok.start - 6), tok.start):
                # an action list: "- Will to confirm contact", "Hope to attend" opens an item with a person
                return False
            if key == "will":
                # "Will said" is a person; "Will review in four weeks" is the modal verb
                return not (following.endswith(("ed", "s")) or following in AFTER_A_NAME)
            return following in FUNCTION_AFTER
        return False

    @staticmethod
    def _modal_question(text: str, seg: list[Token]) -> bool:
        """Whether the sentence opening with ``seg`` is a question whose next word is a bare verb."""
        if len(seg) < 2 or not sentence_start(text, seg[0].start):
            return False
        if any(t.kind not in ("reg", "lex") for t in seg[1:]):
            return False  # "Will Baxter attend?" may be Will Baxter: only a known name shows the verb
        nxt = _BARE_VERB_AFTER.match(text, seg[-1].end)
        if nxt is None or seg[-1].possessive:
            return False
        verb = nxt.group(1)
        if verb.endswith("ed") or verb in AFTER_A_NAME:
            return False
        ends = _SENTENCE_END.search(text, nxt.end(), nxt.end() + 200)
        return ends is not None and ends.group() == "?"

    def _kind_here(self, text: str, seg: list[Token], i: int, lead: Token | None) -> str:
        """How a word reads in its place: a word-name used as a word is an ordinary word.

        ``lead`` is the title straight before the word, if any."""
        tok = seg[i]
        kind = tok.kind
        if kind == "title" or (lead is not None and _judges_title(seg, i, lead)):
            return "title"
        if tok.caps and _code_or_abbreviation(text, seg, i):
            return "stop"
        if kind in ("reg", "lex") and self._is_word_use(text, seg, i):
            kind = "stop"
        elif (
            kind == "lex"
            and len(seg) == 1
            and tok.key in HEADING_WORDS
            and not tok.possessive
            and _heading_word(text, tok)
        ):
            kind = "stop"  # noqa: SIM114 - two different reasons
        if kind == "stop" and lead is not None and tok.key not in MONTHS and tok.key not in TITLES:
            # a title forces a name: "Mr Church", "Mrs Young" (surnames that are also words)
            return "surname"
        return kind

    def _name_groups(self, text: str, seg: list[Token]) -> list[tuple[list[Token], Token | None]]:
        """Split a segment into (name words, title) groups."""
        groups: list[tuple[list[Token], Token | None]] = []
        cur: list[Token] = []
        title: Token | None = None
        given = False

        def close() -> None:
            nonlocal cur, title, given
            if cur:
                groups.append((cur, title))
            cur, title, given = [], None, False

        for i, tok in enumerate(seg):
            kind = self._kind_here(text, seg, i, None if cur else title)
            if kind == "title":
                close()
                title = tok
                continue
            if kind == "surname" or (kind == "unk" and self._unknown_continues(text, seg, i, cur, title, given)):
                cur.append(tok)
                continue
            if kind in ("stop", "unk"):
                # a word, or an unknown word that cannot continue the name, ends it
                if kind == "stop" and title is None and _place_or_firm(cur, tok):
                    cur = []
                close()
                continue
            if kind == "init":
                if len(cur) < 4:
                    cur.append(tok)
                    given = True
                continue
            if len(cur) >= 4:
                close()
            cur.append(tok)
            if kind == "lex" or any(r.kind in ("first", "nick", "alias", "initials") for r in tok.refs):
                given = True
        close()
        return groups

    def _unknown_continues(
        self, text: str, seg: list[Token], i: int, cur: list[Token], title: Token | None, given: bool
    ) -> bool:
        """Whether the unknown word ``seg[i]`` belongs to the name being read (``cur``).

        A misspelt register name read as that name is marked as a register word."""
        tok = seg[i]
        # "Tayvon Okafor": a forename no list knows, before a word the lexicon knows as a
        # name (many surnames are forenames somewhere), starts that person's name
        if (
            title is not None
            or (cur and given and len(cur) < 4 and self._surname_like(tok))
            or (not cur and self._unknown_forename_before_name(text, seg, i))
        ):
            return True
        refs = self._fuzzy(tok.key) if (cur or title) else []
        if refs and cur:
            tok.kind, tok.refs = "reg", refs
            return True
        return False

    # ------------------------------------------------------------------ attribution
    def _resolve(self, text: str, words: list[Token], title: Token | None) -> NameMention | None:
        # in a capitals heading ("KAYLA TOLD ME") unknown words after a register name are not part of it
        while len(words) > 1 and words[-1].kind == "unk" and words[-1].caps and words[0].kind == "reg":
            words = words[:-1]
        while words and words[-1].kind == "init":
            words = words[:-1]
        if not words or all(w.kind == "init" for w in words):
            return None
        start, end = words[0].start, words[-1].end
        if SAINT.search(text[max(0, start - 6) : start]) and title is None:
            return None
        inits = {w.key for w in words if w.kind == "init"}
        words = [w for w in words if w.kind != "init"]
        all_reg = all(w.kind == "reg" for w in words)
        if not all_reg:
            return self._resolve_mixed(start, end, words, title)
        sets = [{r.person for r in w.refs} for w in words]
        cands = set.intersection(*sets)
        if cands and inits:
            # "K. M. Smith" is Kayla Marie; "J. Smith" is someone the register does not know
            cands = {p for p in cands if inits <= self._initials(p)}
            if not cands:
                return NameMention(start, end, ())
        if not cands:
            # two register names side by side, or an off-register person sharing a register name
            if len(words) > 1 and any(r.kind in ("first", "nick") for r in words[0].refs):
                return NameMention(start, end, (), review=False)
            return NameMention(start, end, tuple(sorted(set.union(*sets))), review=True)
        if len(cands) == 1:
            guessed = any(r.kind == "guessed" for w in words for r in w.refs)
            return NameMention(start, end, tuple(cands), review=guessed)
        return self._disambiguate(text, start, end, words, title, cands)

    def _initials(self, idx: int) -> set[str]:
        p = self.reg.people[idx]
        return {fold(n)[:1] for n in (p.first, *p.middles)}

    def _resolve_mixed(self, start: int, end: int, words: list[Token], title: Token | None) -> NameMention:
        first = words[0]
        if first.kind == "reg" and len(words) > 1:
            owners = {r.person for r in first.refs}
            # a keep person's forename with an unknown surname may be that person misspelled
            if all(self.reg.people[p].role in ("subject", "requester", "professional") for p in owners):
                return NameMention(start, end, tuple(sorted(owners)), review=True)
        certain = any(w.kind == "lex" for w in words) or title is not None or len(words) > 1
        # "Dr Okonkwo" off the register is probably a professional the register forgot: ask, do not guess
        review = title is not None and title.key in PROFESSIONAL_TITLES
        return NameMention(start, end, (), review=review, certain=certain)

    def _disambiguate(
        self, text: str, start: int, end: int, words: list[Token], title: Token | None, cands: set[int]
    ) -> NameMention:
        people = self.reg.people
        pool = set(cands)
        if title is not None:
            if title.gender:
                pool = {p for p in pool if people[p].gender in ("", title.gender)} or pool
            adults = {p for p in pool if not people[p].is_minor}
            if adults:
                pool = adults
        else:
            # a full match beats a partial one: "Jo Bloggs" names Jo, not her brother
            exact = {p for p in pool if all(any(r.person == p and r.kind != "last" for r in w.refs) for w in words[:1])}
            if exact and len(words) > 1:
                pool = exact
        if len(pool) > 1:
            ctx = text[max(0, start - 60) : start].lower()
            hinted = {p for p in pool if people[p].relationship and people[p].relationship.lower() in ctx}
            if len(hinted) == 1:
                pool = hinted
        if len(pool) > 1 and title is None and len(words) == 1 and words[0].caps and 0 in pool:
            # police-style summaries write the young person's surname in capitals
            pool = {0}
        if len(pool) == 1:
            return NameMention(start, end, tuple(pool))
        return NameMention(start, end, tuple(sorted(pool)), review=True)

    # ------------------------------------------------------------------ public
    def find(
        self,
        text: str,
        blocked_spans: list[tuple[int, int]],
        known: frozenset[str] = frozenset(),
        learnt: set[str] | None = None,
    ) -> list[NameMention]:
        """Name mentions in one document.

        ``known`` holds words that name someone off the register elsewhere in the case (see
        :class:`redaction.detect.CaseKnowledge`); the words this document itself shows to be
        names are added to ``learnt``. Nothing is remembered between calls, so a document gives
        the same answer whenever, and with whatever else, it is detected.
        """
        blocked = Intervals(blocked_spans)
        toks = self.tokens(text, blocked)
        mentions: list[NameMention] = []
        taken: set[int] = set()
        forced: set[str] = set()
        mentions.extend(self._surname_first(text, toks, taken, forced))
        for seg in self._segments(text, toks):
            # only unknown and ordinary capitalised words: no name group can start here
            if all(t.kind in ("unk", "stop") for t in seg):
                continue
            for words, title in self._name_groups(text, seg):
                if any(id(w) in taken for w in words):
                    continue
                mention = self._resolve(text, words, title)
                if mention is None:
                    continue
                if not mention.people and not mention.certain and not self._context_says_name(text, words):
                    continue
                if not mention.people and title is None and words[-1].key in ROLE_HEADS:
                    # "Youth Justice Officer", "Community Paediatrician": a job title, not a person;
                    # a forename before the job word is still read ("Zofia Officer")
                    words = [w for w in words if w.key not in ROLE_HEADS]
                    if all(w.key in WORD_NAMES or w.key in PLACE_WORDS for w in words):
                        continue
                    mention = self._resolve(text, words, title)
                    if mention is None:
                        continue
                if (
                    not mention.people
                    and title is None
                    and len(words) == 1
                    and _firm_part(text, mention.start, mention.end)
                ):
                    taken.update(id(w) for w in words)
                    continue
                mentions.append(mention)
                taken.update(id(w) for w in words)
        mentions.extend(self._list_siblings(text, toks, taken, mentions))
        mentions.extend(self._from_context(text, toks, taken, forced))
        shaped = self._name_shaped(text, toks, taken)
        mentions.extend(shaped)
        if shaped:
            mentions.extend(self._list_siblings(text, toks, taken, shaped))
        mentions.extend(self._speakers(text, toks, taken))
        mentions.extend(self._propagate(text, toks, taken, mentions, forced, known, learnt))
        mentions.extend(self._doing_what_people_do(text, toks, taken))
        mentions.extend(self._family_names(text, toks, taken))
        return mentions


_MODALS = frozenset(["will", "may"])
_JUDGE_TITLES = frozenset(["mr", "mrs", "ms", "miss", "lord", "lady"])
_BARE_VERB_AFTER = re.compile(r"[ \t]+([a-z]+)\b")
_SENTENCE_END = re.compile(r"[.!?]|\n[ \t]*\n")
# verbs that follow a person's name, not an ordinary word, at the start of a sentence
# (not "is" or "had": "Faith is important", "Will had been ..."; not past tenses that are also present ones)
_NAME_VERBS = (AFTER_A_NAME | PERSON_VERBS) - frozenset(word_list("and is was has had did put let cut read hit"))
# A line opened by a capitalised word and one or two lower-case words, then a colon, a comma or a
# dash: a label ("Young person: ..."), a closing ("Many thanks,") or a heading ("Foster carer's log - ...")
_LOWER_WORDS = r"[ \t]+([a-z]+)(?:['’]s)?(?:[ \t]+([a-z]+)(?:['’]s)?)?[ \t]*"
_LABEL_REST = re.compile(_LOWER_WORDS + r"(?:[:,][ \t]*(?:\n|$)|:[ \t])")
_DASH_REST = re.compile(_LOWER_WORDS + r"[-–][ \t]")


_FAMILY_AFTER = re.compile(
    r"(?:['’]s)?[ \t]+(?:family|families|household|home|house|children|kids|brothers|sisters|twins|siblings|"
    r"parents|boys|girls)\b",
    re.IGNORECASE,
)
_ORG_BEFORE_ABBREVIATION = frozenset(
    word_list("police council nhs team service services unit trust school hospital court agency department")
)


def _code_or_abbreviation(text: str, seg: list[Token], i: int) -> bool:
    """Whether a word in capitals is part of a reference or an abbreviation, not a name.

    A reference glues letters to digits or slashes ("CR/0418855/22", "MD25C00412", "Your ref:
    CS/BW"). An abbreviation standing alone in ordinary text is used like a noun: after an article
    or a possessive ("our TA", "an ABE interview"), after an organisation word ("Police CAIT"), or
    in brackets after a name ("Amanda Mack (TA)"). Names in capitals stand after a title or beside
    another name word ("Mr JONES", "Kayla SMITH") and keep being names. Register initials ("KS")
    are read wherever they stand, except as a short word of a capitals heading ("REPORT TO REVIEW").
    """
    tok = seg[i]
    after = text[tok.end : tok.end + 1]
    if after == "/" or after.isdigit() or (tok.start and text[tok.start - 1] == "/"):
        return True
    neighbours = [seg[j] for j in (i - 1, i + 1) if 0 <= j < len(seg)]
    if tok.kind == "reg":
        return (
            tok.text.title() in FUNCTION_WORD_SET
            and all(r.kind in ("initials", "guessed") for r in tok.refs)
            and any(n.caps and len(n.text) > 2 for n in neighbours)
        )
    if tok.kind not in ("lex", "unk") or len(tok.text) > 5 or tok.possessive:
        return False
    if any(n.kind != "stop" for n in neighbours):
        return False
    if _FAMILY_AFTER.match(text, tok.end):
        return False  # "the KHAN family": a surname
    if i > 0:
        # after an organisation word: "Police CAIT"; after a family word it is a name ("Nan ALI")
        return seg[i - 1].key in _ORG_BEFORE_ABBREVIATION
    if text[tok.start - 1 : tok.start] == "(" and text[tok.end : tok.end + 1] == ")":
        return True
    return ABBREVIATION_BEFORE.search(text, max(0, tok.start - 8), tok.start) is not None


def _judges_title(seg: list[Token], i: int, title: Token) -> bool:
    """ "Mr Justice Hayden", "LORD JUSTICE X": a judge's title is two words, and the name follows.

    The second word then stands as the title; the role it gives is read from the text before the name."""
    return seg[i].key == "justice" and title.key in _JUDGE_TITLES and i + 1 < len(seg)


_VALUE_LEAD = re.compile(r"(?::|[ \t][-–])[ \t]*$")
_TO_LINE_END = re.compile(r"[ \t]+([a-z]+)(?:['’]s)?(?:[ \t]+([a-z]+)(?:['’]s)?)?[ \t]*(?:\n|$)")


def _heading_word(text: str, tok: Token) -> bool:
    """A forename the register does not know, opening a label, a closing or a heading, is a word there.

    Any word-name opening a label or a closing ("Young person: Tomas", "Many thanks,"); only a
    rare name that is mostly a word ahead of a heading's dash or as a field's value ("Foster
    carer's log - week 2", "Venue: Foster home"), because "Amir upset - refused tea" and
    "Supervised by: Amir" name Amir. A name followed by its own verb ("Rose said: ...") stays one."""
    line_start = text.rfind("\n", 0, tok.start) + 1
    lead = text[line_start : tok.start]
    rare = tok.key in RARE_WORD_NAMES
    if not lead.strip(" \t-•*"):
        m = _LABEL_REST.match(text, tok.end)
        if m is None and rare:
            m = _DASH_REST.match(text, tok.end)
    elif rare and _VALUE_LEAD.search(lead) and not naming_before(lead):
        m = _TO_LINE_END.match(text, tok.end)  # a label for a person ("Visitor: ...") names one
    else:
        return False
    if m is None:
        return False
    return not any(w in _NAME_VERBS or w.endswith("ed") for w in m.groups() if w)


_ITEM_START = re.compile(r"(?:^|\n)[ \t]*(?:[-•*▪]|\d{1,2}[.)])?[ \t]*$")
_CAPS_PREFIX = re.compile(r"(?:Mc|Mac|Fitz)(?=[A-Z]{2})")


def _all_caps(word: str) -> bool:
    """ "SMITH", and surnames whose prefix stays mixed case in capitals: "McGRATH", "MacLEOD"."""
    if len(word) < 2:
        return False
    if word.isupper():
        return True
    m = _CAPS_PREFIX.match(word)
    return m is not None and word[m.end() :].isupper()
