"""What the bundle stage tells the case status (sar.cases.facts): built, verified, released, and the letters sent.

The current build is the case's latest one that is not superseded; it counts as built, verified or released only
when every one of its parts is. A case whose latest build is a repeat request still counts as released if an earlier
build was released in full, since that disclosure happened.
"""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import select

from sar.bundle.letters.models import Letter as LetterRow
from sar.bundle.letters.models import LetterKind, LetterStatus
from sar.bundle.models import Bundle, BundleStatus
from sar.cases.facts import BundleFacts, Letter
from sar.cases.models import Case
from sar.extensions import db

_BUILT = (BundleStatus.BUILT, BundleStatus.GATE_FAILED, BundleStatus.RELEASED)
_RESPONSE_KINDS = (LetterKind.DISCLOSURE_COVER, LetterKind.NO_DATA_HELD)


def bundle_facts(case: Case) -> BundleFacts:
    builds: dict[int, list[Bundle]] = defaultdict(list)
    for row in db.session.scalars(select(Bundle).where(Bundle.case_id == case.id, Bundle.build_number > 0)):
        builds[row.build_number].append(row)
    current = next(
        (rows for _n, rows in sorted(builds.items(), reverse=True) if not any(r.superseded for r in rows)), []
    )
    released_before = any(all(r.is_released for r in rows) for rows in builds.values())
    built = bool(current) and all(r.status in _BUILT for r in current)
    verified = built and all(r.gate_passed is True for r in current)
    released = (bool(current) and all(r.is_released for r in current)) or released_before
    sent = set()
    for kind in db.session.scalars(
        select(LetterRow.kind).where(
            LetterRow.case_id == case.id, LetterRow.status.in_([LetterStatus.EMAILED, LetterStatus.POSTED])
        )
    ):
        if kind in _RESPONSE_KINDS:
            sent.add(Letter.RESPONSE)
        elif kind is LetterKind.REFUSAL:
            sent.add(Letter.REFUSAL)
    return BundleFacts(
        built=built or released_before,
        verified=verified or released_before,
        released=released,
        letters_sent=frozenset(sent),
    )
