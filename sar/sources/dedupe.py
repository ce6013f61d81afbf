"""Near-duplicate and email-thread grouping (INTERFACES item 9): the gathering app's minimal stand-in.

The ``gather-extract`` branch owns this module and replaces it with MinHash + LSH (datasketch); this
version keeps exactly that API so the app's wiring (groups stored, undone by a reviewer) is tested
now. It compares word 5-shingles pairwise with a size filter: fine for a case's few hundred
documents, not for the 10,000-document benchmark, which the replacement meets.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

_WORD = re.compile(r"\w+")
_SHINGLE = 5


def _shingles(text: str) -> frozenset[int]:
    words = _WORD.findall(text.lower())
    if len(words) < _SHINGLE:
        return frozenset({hash(" ".join(words))}) if words else frozenset()
    return frozenset(hash(" ".join(words[i : i + _SHINGLE])) for i in range(len(words) - _SHINGLE + 1))


def near_duplicate_groups(items: Iterable[tuple[int, str]], *, threshold: float = 0.85) -> list[list[int]]:
    """Groups (each of two or more ids, sorted) of documents whose texts are at least ``threshold`` similar."""
    sets = [(doc_id, _shingles(text)) for doc_id, text in items]
    sets = [(doc_id, s) for doc_id, s in sets if s]
    parent = {doc_id: doc_id for doc_id, _ in sets}

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for i, (a, sa) in enumerate(sets):
        for b, sb in sets[i + 1 :]:
            small, large = sorted((len(sa), len(sb)))
            if small < threshold * large:
                continue
            if len(sa & sb) / len(sa | sb) >= threshold:
                parent[find(b)] = find(a)
    groups: dict[int, list[int]] = {}
    for doc_id, _ in sets:
        groups.setdefault(find(doc_id), []).append(doc_id)
    return sorted(sorted(g) for g in groups.values() if len(g) > 1)


def _normalise(text: str) -> str:
    return " ".join(_WORD.findall(re.sub(r"(?m)^\s*>+", " ", text).lower()))


def email_thread_groups(items: Iterable[tuple[int, dict[str, str], str]]) -> list[tuple[int, list[int]]]:
    """(most complete message, the messages it makes redundant): a message whose text another message of the
    same thread quotes in full adds nothing."""
    messages = [(doc_id, meta, _normalise(text)) for doc_id, meta, text in items if meta.get("message_id")]
    by_id = {meta["message_id"]: doc_id for doc_id, meta, _ in messages}
    texts = {doc_id: text for doc_id, _, text in messages}
    redundant_in: dict[int, int] = {}
    for doc_id, meta, text in messages:
        ancestors = (meta.get("references", "") + " " + meta.get("in_reply_to", "")).split()
        for ancestor in ancestors:
            earlier = by_id.get(ancestor)
            if earlier is not None and earlier != doc_id and texts[earlier] and texts[earlier] in text:
                redundant_in[earlier] = doc_id
    groups: dict[int, list[int]] = {}
    for earlier in redundant_in:
        latest = earlier
        while latest in redundant_in:
            latest = redundant_in[latest]
        groups.setdefault(latest, []).append(earlier)
    return sorted((kept, sorted(ids)) for kept, ids in groups.items())
