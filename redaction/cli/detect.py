"""``python -m redaction detect --people P.json FILE [--people P2.json FILE2 ...]``.

Prints one JSON object per input file, one per line, in input order. A file that cannot be read
gives an object with an ``error`` (and a message on stderr naming the file) and the batch goes on;
the exit status is then 1.

Files given with the same register are one case: they are all read first, what they say about
people off the register is gathered (:class:`redaction.detect.detector.CaseKnowledge`), and each
is then detected with it, so a file's answer does not depend on which files came before it.
A PDF's pages are read as :func:`redaction.pdf.redact.page_texts` reads them (the same text and
offsets ``redact-pdf`` uses), joined with a form feed; ``pages`` gives each page's offsets.
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

from redaction.detect.detector import CaseKnowledge, Detector, clean_text
from redaction.detect.register import Register, RegisterError, load_register
from redaction.model import Finding
from redaction.pdf.errors import PdfReadProblem
from redaction.pdf.ocr import OcrUnavailable, tesseract_available
from redaction.pdf.redact import page_texts

USAGE = "usage: python -m redaction detect --people P.json FILE [--people P2.json FILE2 ...]"
MAX_BYTES = 200 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class Job:
    people: str
    file: str


class UsageError(Exception):
    pass


def parse(argv: list[str]) -> list[Job]:
    jobs: list[Job] = []
    people: str | None = None
    i = 0
    while i < len(argv):
        arg = argv[i]
        if arg in ("-h", "--help"):
            raise UsageError(USAGE)
        if arg == "--people" or arg.startswith("--people="):
            if "=" in arg:
                people = arg.split("=", 1)[1]
            else:
                if i + 1 >= len(argv):
                    raise UsageError("--people needs a register path")
                people = argv[i + 1]
                i += 1
        elif arg.startswith("--"):
            raise UsageError(f"unknown option {arg}")
        else:
            if people is None:
                raise UsageError(f"{arg}: no --people register given before this file")
            jobs.append(Job(people, arg))
        i += 1
    if not jobs:
        raise UsageError(USAGE)
    return jobs


def read_text(path: Path) -> tuple[str, list[str]]:
    """Decode a text file, saying so when it was not UTF-8."""
    raw = path.read_bytes()
    if len(raw) > MAX_BYTES:
        raise ValueError(f"file is larger than {MAX_BYTES // (1024 * 1024)} MB")
    warnings: list[str] = []
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = raw.decode("utf-16")
    else:
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = raw.decode("cp1252", errors="replace")
            warnings.append("not valid UTF-8; read as Windows-1252")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    cleaned = clean_text(text)
    if cleaned != text:
        warnings.append("control characters replaced by spaces")
    return cleaned, warnings


@dataclass
class Read:
    """One input file read as text, ready for detection."""

    text: str
    warnings: list[str]
    pages: list[tuple[int, int]] | None = None


def read_pdf(path: Path) -> Read:
    """A PDF's page texts joined with form feeds, with a warning for every page read by OCR or not at all."""
    parts: list[str] = []
    pages: list[tuple[int, int]] = []
    warnings: list[str] = []
    pos = 0
    for page in page_texts(path, ocr_mode="auto" if tesseract_available() else "never"):
        number = page.index + 1
        if page.source == "ocr":
            warnings.append(f"page {number} has no text layer; read by OCR")
        elif page.source == "none":
            warnings.append(f"page {number} has no text layer and could not be read")
        if page.index:
            parts.append("\f")
            pos += 1
        parts.append(page.text)
        pages.append((pos, pos + len(page.text)))
        pos += len(page.text)
    return Read(clean_text("".join(parts)), warnings, pages)


def read_file(job: Job) -> Read:
    path = Path(job.file)
    if not path.is_file():
        raise ValueError("no such file" if not path.exists() else "not a regular file")
    with path.open("rb") as fh:
        is_pdf = fh.read(5) == b"%PDF-"
    if is_pdf:
        return read_pdf(path)
    text, warnings = read_text(path)
    return Read(text, warnings)


def _detector(people: str, registers: dict[str, Detector | str]) -> Detector:
    det = registers.get(people)
    if det is None:
        try:
            reg: Register = load_register(people)
            det = Detector(reg)
        except RegisterError as exc:
            det = str(exc)
        registers[people] = det
    if isinstance(det, str):
        raise ValueError(f"register {people}: {det}")
    return det


def _result(item: _Item, read: Read, det: Detector, case: CaseKnowledge, err: TextIO) -> dict[str, Any]:
    job = item.job
    result: dict[str, Any] = {"file": job.file}
    if read.pages is not None:
        result["pages"] = [list(p) for p in read.pages]
    # a file whose case teaches nothing it did not teach itself needs no second pass
    own = CaseKnowledge.from_learnt(item.learnt)
    findings = item.findings if item.findings is not None and case.within(own) else det.detect(read.text, case)
    result["spans"] = [f.as_json() for f in findings]
    if read.warnings:
        result["warnings"] = read.warnings
        for w in read.warnings:
            print(f"redaction detect: {job.file}: {w}", file=err)
    return result


@dataclass
class _Item:
    job: Job
    read: Read | None = None
    detector: Detector | None = None
    error: str | None = None
    findings: list[Finding] | None = None  # detected with what the file alone teaches
    learnt: frozenset[str] = frozenset()


def _problem(exc: Exception) -> str:
    """A failure for one file in words for the person running the batch."""
    if isinstance(exc, PdfReadProblem):
        return exc.problem
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror
    if isinstance(exc, OSError | ValueError | OcrUnavailable):
        return str(exc)
    return f"internal error while reading this file ({type(exc).__name__}: {exc})"


def _prepare(job: Job, registers: dict[str, Detector | str]) -> _Item:
    item = _Item(job)
    try:
        item.read = read_file(job)
        item.detector = _detector(job.people, registers)
        learnt: set[str] = set()
        item.findings = item.detector.detect(item.read.text, learnt=learnt)
        item.learnt = frozenset(learnt)
    except Exception as exc:  # noqa: BLE001 - one bad file must not lose the rest of the batch
        item.error = _problem(exc)
    return item


def run(argv: list[str], out: TextIO | None = None, err: TextIO | None = None) -> int:
    out = out or sys.stdout
    err = err or sys.stderr
    try:
        jobs = parse(argv)
    except UsageError as exc:
        print(f"redaction detect: {exc}", file=err)
        return 2
    registers: dict[str, Detector | str] = {}
    items = [_prepare(job, registers) for job in jobs]
    # one case per register: what all its files say about unlisted people, gathered before any is detected
    cases: dict[str, CaseKnowledge] = {}
    for item in items:
        if item.error is None:
            known = CaseKnowledge.from_learnt(item.learnt)
            cases[item.job.people] = cases.get(item.job.people, CaseKnowledge()).merged(known)
    failed = 0
    for item in items:
        result: dict[str, Any] | None = None
        if item.error is None and item.read is not None and item.detector is not None:
            try:
                result = _result(item, item.read, item.detector, cases[item.job.people], err)
            except Exception as exc:  # noqa: BLE001 - one bad file must not lose the rest of the batch
                item.error = _problem(exc)
        if result is None:
            failed += 1
            print(f"redaction detect: {item.job.file}: {item.error}", file=err)
            result = {"file": item.job.file, "error": item.error, "spans": []}
        out.write(json.dumps(result, ensure_ascii=False) + "\n")
        out.flush()
    return 1 if failed else 0
