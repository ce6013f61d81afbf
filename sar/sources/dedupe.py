"""Finding documents that say the same thing, so a reviewer reads each thing once.

Pure (no Flask, no database): ids and text in, groups out; the app stores the groups and lets
the reviewer undo them. Exact duplicates of the *file* are already one document (same SHA-256);
here the *text* is compared.

- :func:`near_duplicate_groups`: the same letter saved twice with another footer, a PDF print of
  a Word file. Text is normalised to lower-case words and cut into overlapping three-word
  shingles; identical texts are grouped by a hash at once, the rest by MinHash signatures and
  locality-sensitive hashing (``datasketch``, MIT, with ``numpy``/``scipy``, BSD), so the cost
  grows linearly with the number of documents instead of comparing every pair. Candidates that
  LSH puts together are confirmed by their estimated Jaccard similarity against the threshold.
- :func:`email_thread_groups`: an email and the reply that quotes it in full. Messages are
  joined into threads by Message-ID / In-Reply-To / References (or, for messages without those
  headers, by the same subject between the same people), and in each thread a message whose
  text is contained in a longer message's text (quote markers removed) is made redundant by the
  most complete one. Each message is compared only with the kept messages of its own thread.
"""

from __future__ import annotations

import hashlib
import re
import zlib
from collections import defaultdict
from collections.abc import Iterable

import numpy as np
from datasketch import MinHash, MinHashLSH

_WORD = re.compile(r"\w+", re.UNICODE)
_QUOTE = re.compile(r"^[ \t]*(>[ \t]?)+", re.MULTILINE)
_SUBJECT_PREFIX = re.compile(r"^\s*((re|fw|fwd|aw|wg)\s*(\[\d+\])?\s*:\s*)+", re.IGNORECASE)
_ADDRESS = re.compile(r"[\w.+'-]+@[\w-]+(?:\.[\w-]+)+")
_MESSAGE_ID = re.compile(r"<[^<>\s]+>")
NUM_PERM = 128
SHINGLE = 3
CONTAINMENT = 0.8
CANDIDATE_MARGIN = 0.2


def _tokens(text: str) -> list[str]:
    return _WORD.findall(text.lower())


def _shingles(tokens: list[str]) -> set[bytes]:
    if len(tokens) < SHINGLE:
        return {" ".join(tokens).encode()} if tokens else set()
    return {" ".join(tokens[i : i + SHINGLE]).encode() for i in range(len(tokens) - SHINGLE + 1)}


def _crc32(data: bytes) -> int:
    return zlib.crc32(data)


class _Groups:
    """Union-find over small integers."""

    def __init__(self) -> None:
        self.parent: dict[int, int] = {}

    def find(self, x: int) -> int:
        parent = self.parent.setdefault(x, x)
        while parent != x:
            grand = self.parent.setdefault(parent, parent)
            self.parent[x] = grand
            x, parent = parent, grand
        return x

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)

    def groups(self) -> list[list[int]]:
        members: dict[int, list[int]] = defaultdict(list)
        for x in self.parent:
            members[self.find(x)].append(x)
        return sorted((sorted(m) for m in members.values() if len(m) > 1), key=lambda g: g[0])


def near_duplicate_groups(items: Iterable[tuple[int, str]], *, threshold: float = 0.85) -> list[list[int]]:
    """Groups (two or more ids each, sorted) of documents whose texts are near-identical.

    Documents without any words (unreadable scans, blank pages) are never grouped.
    """
    groups = _Groups()
    exact: dict[bytes, int] = {}
    # LSH only proposes candidates; each is confirmed below by its estimated similarity. Banding tuned to the
    # threshold itself misses real pairs just above it (a 60-word letter and its copy with a footer line, at
    # 0.90, went ungrouped), so candidates are drawn more widely and the confirmation keeps the threshold.
    lsh = MinHashLSH(threshold=max(0.5, threshold - CANDIDATE_MARGIN), num_perm=NUM_PERM)
    signatures: dict[int, np.ndarray] = {}
    for doc_id, text in items:
        tokens = _tokens(text)
        if not tokens:
            continue
        digest = hashlib.blake2b(" ".join(tokens).encode(), digest_size=16).digest()
        first = exact.get(digest)
        if first is not None:
            groups.union(first, doc_id)
            continue
        exact[digest] = doc_id
        minhash = MinHash(num_perm=NUM_PERM, hashfunc=_crc32)
        minhash.update_batch(list(_shingles(tokens)))
        for other in lsh.query(minhash):
            if float(np.mean(signatures[other] == minhash.hashvalues)) >= threshold:
                groups.union(other, doc_id)
        lsh.insert(doc_id, minhash, check_duplication=False)
        signatures[doc_id] = minhash.hashvalues.copy()
    return groups.groups()


def email_thread_groups(items: Iterable[tuple[int, dict[str, str], str]]) -> list[tuple[int, list[int]]]:
    """(the most complete message, the messages it makes redundant) for each thread where some are redundant."""
    threads = _Groups()
    by_message_id: dict[str, int] = {}
    pending_links: list[tuple[int, list[str]]] = []
    by_subject: dict[tuple[str, str], int] = {}
    shingles: dict[int, np.ndarray] = {}
    for doc_id, metadata, text in items:
        threads.find(doc_id)
        shingles[doc_id] = _shingle_hashes(_tokens(_QUOTE.sub("", text)))
        own = _MESSAGE_ID.findall(metadata.get("message_id", ""))
        linked = _MESSAGE_ID.findall(metadata.get("in_reply_to", "") + " " + metadata.get("references", ""))
        for message_id in own:
            if message_id in by_message_id:
                threads.union(by_message_id[message_id], doc_id)
            else:
                by_message_id[message_id] = doc_id
        if linked:
            pending_links.append((doc_id, linked))
        if not own and not linked:
            subject = _SUBJECT_PREFIX.sub("", metadata.get("subject", "")).strip().lower()
            people = sorted(set(_ADDRESS.findall((metadata.get("from", "") + " " + metadata.get("to", "")).lower())))
            if subject and people:
                key = (subject, " ".join(people))
                if key in by_subject:
                    threads.union(by_subject[key], doc_id)
                else:
                    by_subject[key] = doc_id
    for doc_id, linked in pending_links:
        for message_id in linked:
            if message_id in by_message_id:
                threads.union(by_message_id[message_id], doc_id)
    result: list[tuple[int, list[int]]] = []
    for thread in threads.groups():
        result.extend(_collapse(thread, shingles))
    return sorted(result, key=lambda pair: pair[0])


def _shingle_hashes(tokens: list[str]) -> np.ndarray:
    """The shingles as sorted unique 32-bit hashes: a few bytes each, so every message can be kept in memory."""
    return np.unique(np.fromiter((_crc32(s) for s in _shingles(tokens)), dtype=np.uint32))


def _contained(own: np.ndarray, other: np.ndarray) -> bool:
    shared = np.intersect1d(own, other, assume_unique=True).size
    return own.size > 0 and shared >= CONTAINMENT * own.size


def _collapse(thread: list[int], shingles: dict[int, np.ndarray]) -> list[tuple[int, list[int]]]:
    ordered = sorted(thread, key=lambda doc_id: (-shingles[doc_id].size, doc_id))
    kept: list[int] = []
    redundant: dict[int, list[int]] = defaultdict(list)
    for doc_id in ordered:
        own = shingles[doc_id]
        container = next((k for k in kept if _contained(own, shingles[k])), None)
        if container is None:
            kept.append(doc_id)
        else:
            redundant[container].append(doc_id)
    return [(keeper, sorted(ids)) for keeper, ids in redundant.items()]
