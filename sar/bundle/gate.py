"""The release gate: the redaction library's independent check of a built bundle, and the seal that ties its verdict
to the exact file it read.

``verify_pdf`` runs with every redacted text as *forbidden* (it must not be recoverable anywhere in the file: text
layers of two engines, every stream, every string, OCR of image pages) and the subject's own names and identifiers
as *must keep* (a bundle that lost them was over-redacted). Must-keep strings count only on the documents' own
pages, and a string the furniture prints on every page ("Disclosed to …") is left out of the list: on a page that
prints it anyway, finding it would prove nothing.

The bundle carries bookmarks, which the library refuses in a redacted file because an arbitrary file's bookmark
titles can hold names. The bundle's bookmarks are the index titles it wrote itself, and the library still searches
every string in the file (bookmark titles included) for every forbidden text, so that one structural finding, and
only that one, is not a failure here.

The verdict is sealed: an HMAC, under a key kept in configuration outside the database, of the bundle's id, the
SHA-256 of the file the gate read and the verdict. Release recomputes both (sar.bundle.service.release_bundle), so
neither a changed file nor an edited ``gate_passed`` column gets past it.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from flask import current_app

from redaction import VerifyReport, verify_pdf
from redaction.verify.forms import squash

OWN_BOOKMARKS = "the document has bookmarks (their titles can hold names) (/Outlines)"
MAX_REPORTED = 50


@dataclass(frozen=True)
class GateResult:
    passed: bool
    report: str  # one line per problem: "page 12: "Gary Pollard" can be read in the text layer (PDFium, exact)"
    sha256: str
    forbidden: int
    must_keep: int


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(1024 * 1024):
            digest.update(chunk)
    return digest.hexdigest()


def seal(bundle_id: int, sha256: str, passed: bool) -> str:
    key = hashlib.sha256(b"sar bundle gate seal|" + str(current_app.config["AUDIT_HMAC_KEY"]).encode()).digest()
    message = f"{bundle_id}|{sha256}|{'passed' if passed else 'failed'}".encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()


def seal_holds(bundle_id: int, sha256: str | None, passed: bool | None, stored_seal: str | None) -> bool:
    if not sha256 or passed is None or not stored_seal:
        return False
    return hmac.compare_digest(seal(bundle_id, sha256, passed), stored_seal)


def must_keep_strings(
    candidates: Iterable[str], furniture_lines: Iterable[str], disclosed_texts: Iterable[str]
) -> list[str]:
    """The subject's identifiers worth checking: shown on a disclosed page, and not printed by the furniture."""
    furniture = squash(" ".join(furniture_lines))
    wanted = [c for c in dict.fromkeys(candidates) if squash(c) and squash(c) not in furniture]
    found: set[str] = set()
    for text in disclosed_texts:
        squashed = squash(text)
        found.update(c for c in wanted if squash(c) in squashed)
        if len(found) == len(wanted):
            break
    return [c for c in wanted if c in found]


def problems_of(report: VerifyReport) -> list[str]:
    lines = [
        str(problem)
        for problem in report.problems
        if not (problem.where == "document" and problem.what == OWN_BOOKMARKS)
    ]
    if not report.readable and not lines:
        lines.append("file: the bundle could not be read, so it cannot be confirmed as clean")
    return lines


def run_gate(
    path: Path,
    *,
    forbidden: Sequence[str],
    must_keep: Sequence[str],
    document_pages: Sequence[int] = (),
    scanned_pages: Sequence[int] = (),
) -> GateResult:
    """Check the built file at ``path``; the SHA-256 is of the bytes the check read.

    PDFium's text is searched on every page (pypdf's, the library's second engine, is several times slower and its
    memory grows with the file: docs/benchmarks.md); every content stream, string and the raw bytes are searched as
    well. Pages that were scans are read back by OCR; pages the library burned itself were rendered from text whose
    removed words it knew, and their new text layer holds only the words left.
    """
    sha = file_sha256(path)
    report = verify_pdf(
        path,
        forbidden,
        must_keep,
        name="the bundle",
        engines=("pdfium",),
        ocr_pages=scanned_pages,
        must_keep_pages=document_pages,
    )
    problems = problems_of(report)
    shown = problems[:MAX_REPORTED]
    if len(problems) > MAX_REPORTED:
        shown.append(f"… and {len(problems) - MAX_REPORTED} more problems")
    # The file must be the one that was checked: a file changed while the check ran fails.
    if file_sha256(path) != sha:
        shown.append("file: the bundle changed while it was being checked")
        problems.append("changed")
    passed = report.readable and not problems
    text = "\n".join(shown) if shown else f"Clean: {report.pages} pages; checked {', '.join(report.checks)}"
    return GateResult(passed, text, sha, len(forbidden), len(must_keep))
