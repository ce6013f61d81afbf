"""What other code reads about a case's bundles: the current build, the released parts, and the released file.

The delivery stage (sar.bundle.delivery) builds on these: it sends only what :func:`released_bundles` returns and
streams the file with :func:`stream_released`, which refuses anything not released and audits every read.
"""

from __future__ import annotations

from collections.abc import Iterator

from sqlalchemy import func, select

from sar import audit
from sar.audit import Author
from sar.bundle.models import Bundle, BundleStatus
from sar.cases.models import Case
from sar.extensions import db


class NotReleased(LookupError):
    """The bundle has not been released, so its file must not leave the council."""


def bundles_of(case: Case) -> list[Bundle]:
    """Every bundle row of the case, newest build first, parts in order."""
    return list(
        db.session.scalars(
            select(Bundle).where(Bundle.case_id == case.id).order_by(Bundle.build_number.desc(), Bundle.part)
        )
    )


def current_build(case: Case) -> list[Bundle]:
    """The parts of the case's latest build (empty when none was ever started)."""
    latest = db.session.scalar(select(func.max(Bundle.build_number)).where(Bundle.case_id == case.id))
    if latest is None:
        return []
    return list(
        db.session.scalars(
            select(Bundle).where(Bundle.case_id == case.id, Bundle.build_number == latest).order_by(Bundle.part)
        )
    )


def released_bundles(case: Case) -> list[Bundle]:
    """Released parts of the case, oldest first (what has been disclosed, and may be delivered)."""
    rows = db.session.scalars(
        select(Bundle)
        .where(Bundle.case_id == case.id, Bundle.status == BundleStatus.RELEASED)
        .order_by(Bundle.build_number, Bundle.part)
    )
    return [row for row in rows if row.is_released]


def get_bundle(case: Case, bundle_id: int) -> Bundle | None:
    bundle = db.session.get(Bundle, bundle_id)
    return bundle if bundle is not None and bundle.case_id == case.id else None


def stream_released(bundle: Bundle, *, by: Author, purpose: str = "download") -> Iterator[bytes]:
    """The released, encrypted PDF a chunk at a time; audited as ``bundle.file_read`` before the first byte.

    Raises :class:`NotReleased` for a bundle that is not released: the unencrypted built file is never handed out
    by this function, whatever the caller.
    """
    if not bundle.is_released:
        raise NotReleased(f"{bundle.title} has not been released.")
    audit.record_on(
        bundle,
        "bundle.file_read",
        f"Released bundle file read ({purpose})",
        after={"purpose": purpose, "file_key": bundle.file_key},
        by=by,
    )
    return bundle.iter_file()
