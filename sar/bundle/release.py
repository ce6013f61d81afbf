"""Releasing a built bundle: the one function through which any bundle leaves the council.

:func:`release_bundle` is called by the web page, the command line and any job alike, and it is where the gate is
enforced: the bundle must be built, its stored verdict must be "passed", the verdict's seal must hold, and the file
copied out of the store must hash to exactly what the gate read. Only then is it encrypted (AES-256, a
generated password, no metadata) and stored as the released file. The password is returned once and only its hash
kept. Every release, and every refusal, is audited with its author.
"""

from __future__ import annotations

import secrets
import tempfile
from dataclasses import dataclass
from pathlib import Path

from werkzeug.security import check_password_hash, generate_password_hash

from redaction import encrypt_pdf
from sar import audit
from sar.audit import Author
from sar.bundle import gate
from sar.bundle.models import Bundle, BundleStatus
from sar.cases.models import Case
from sar.db import utcnow
from sar.errors import DomainError
from sar.extensions import db
from sar.storage import StorageError, get_store

# Words a person can read out over the phone or type from a letter: no 0/O or 1/l/I.
_ALPHABET = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"
PASSWORD_LENGTH = 20


class BundleRefused(DomainError):
    """The bundle cannot be built or released; the message says why."""


@dataclass(frozen=True)
class Released:
    bundle: Bundle
    password: str  # shown once; never stored


def generate_password() -> str:
    return "-".join("".join(secrets.choice(_ALPHABET) for _ in range(5)) for _ in range(PASSWORD_LENGTH // 5))


def password_matches(bundle: Bundle, password: str) -> bool:
    """Whether ``password`` is the one generated when the bundle was released."""
    return bool(bundle.password_hash) and check_password_hash(str(bundle.password_hash), password.strip())


def seal_intact(bundle: Bundle) -> bool:
    """The gate passed, for exactly the file stored as built, and nobody changed the verdict since."""
    return (
        bundle.gate_passed is True
        and bool(bundle.built_key)
        and bundle.built_key == bundle.gate_sha256
        and gate.seal_holds(bundle.id, bundle.gate_sha256, bundle.gate_passed, bundle.gate_seal)
    )


def why_not_releasable(bundle: Bundle) -> str | None:
    """Why the bundle cannot be released (None when it can), from what the database says; release re-checks the
    file itself as well."""
    if bundle.status is BundleStatus.RELEASED:
        return "This bundle has already been released."
    if bundle.superseded:
        return "A newer build of this case's bundle replaced this one: release the newer build."
    if bundle.status is BundleStatus.BUILDING:
        return "The bundle is still being built."
    if bundle.status is BundleStatus.FAILED:
        return "The bundle could not be built, so there is nothing to release."
    if bundle.gate_passed is not True or bundle.status is BundleStatus.GATE_FAILED:
        return "The bundle failed the release check, so it cannot be released. Fix the redactions and build it again."
    if not seal_intact(bundle):
        return "The release check's result does not match the stored bundle, so it cannot be released. Build it again."
    return None


def _refuse(bundle: Bundle, why: str, by: Author) -> BundleRefused:
    audit.record_on(bundle, "bundle.release_refused", f"Release of {bundle.title} refused: {why}", by=by)
    return BundleRefused(why)


def release_bundle(bundle: Bundle, *, by: Author) -> Released:
    """Encrypt and store the gated bundle for the requester. Raises :class:`BundleRefused` when it may not leave.

    A refusal is audited before it is raised; callers commit after catching it so the refusal stays on the record
    (nothing else has changed by then).
    """
    from sar.cases import status

    why = why_not_releasable(bundle)
    if why is not None:
        raise _refuse(bundle, why, by)
    with tempfile.TemporaryDirectory(prefix="sar-release-") as workdir:
        plain = Path(workdir) / "built.pdf"
        try:
            get_store().copy_to_path(str(bundle.built_key), plain)
        except StorageError as problem:
            raise _refuse(
                bundle, f"The stored bundle cannot be read back intact ({problem}). Build it again.", by
            ) from None
        # The bytes about to be encrypted must be the bytes the gate read.
        if gate.file_sha256(plain) != bundle.gate_sha256:
            raise _refuse(bundle, "The stored bundle is not the file the release check passed. Build it again.", by)
        password = generate_password()
        encrypted = Path(workdir) / "released.pdf"
        encrypt(plain, encrypted, password)
        case = db.session.get_one(Case, bundle.case_id)
        name = f"{case.reference}-disclosure" + (f"-part-{bundle.part}" if bundle.parts_total > 1 else "") + ".pdf"
        with encrypted.open("rb") as handle:
            stored = bundle.store_file(handle, media_type="application/pdf", original_name=name)
    bundle.password_hash = generate_password_hash(password)
    bundle.status = BundleStatus.RELEASED
    bundle.released_at = utcnow()
    bundle.released_by_id, bundle.released_by_label = audit.author_fields(by)
    db.session.flush()
    audit.record_on(
        bundle,
        "bundle.released",
        f"{bundle.title} released ({bundle.page_count} pages, AES-256 encrypted)",
        after={
            "file_key": stored.key,
            "size": stored.size,
            "gate_sha256": bundle.gate_sha256,
            "pages": bundle.page_count,
        },
        by=by,
    )
    status.refresh(case, reason=f"{bundle.title} released", by=by)
    return Released(bundle, password)


def encrypt(source: Path, dest: Path, password: str) -> None:
    """AES-256 encryption (PDF 2.0 security handler, revision 6); the document information and XMP are removed.

    Both passwords are the generated one: a reader needs it to open the file, and nobody can lift the protection
    without it. The library's :func:`redaction.pdf.encrypt.encrypt_pdf` writes it object by object as it reads the
    built file, in memory that does not grow with the page count (qpdf's own encrypted save kept every object until
    the file was closed: +97 MB at 10,000 pages, docs/benchmarks.md); qpdf derives the key from the password, and
    encrypts over the whole file any file the library cannot read object by object. pypdf, which the issue names,
    held the whole document in memory and took ten times as long on a 5,000-page file; the tests open the result with
    pypdf.
    """
    encrypt_pdf(source, dest, password)
