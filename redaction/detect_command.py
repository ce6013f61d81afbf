"""``python -m redaction detect --people P.json FILE [--people P2.json FILE2 ...]``.

Prints one JSON object per input file, one per line, in input order. A file that cannot be read
gives an object with an ``error`` (and a message on stderr naming the file) and the batch goes on;
the exit status is then 1.
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

from redaction.detect import Detector, clean_text
from redaction.pdf_text import PdfTextError, extract_pdf_text
from redaction.people import Register, RegisterError, load_register

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


def _one(job: Job, registers: dict[str, Detector | str], err: TextIO) -> dict[str, Any]:
    det = registers.get(job.people)
    if det is None:
        try:
            reg: Register = load_register(job.people)
            det = Detector(reg)
        except RegisterError as exc:
            det = str(exc)
        registers[job.people] = det
    if isinstance(det, str):
        raise ValueError(f"register {job.people}: {det}")
    path = Path(job.file)
    if not path.is_file():
        raise ValueError("no such file" if not path.exists() else "not a regular file")
    result: dict[str, Any] = {"file": job.file}
    with path.open("rb") as fh:
        is_pdf = fh.read(5) == b"%PDF-"
    if is_pdf:
        pdf = extract_pdf_text(str(path))
        text = clean_text(pdf.text)
        result["pages"] = [list(p) for p in pdf.pages]
        warnings = pdf.warnings
    else:
        text, warnings = read_text(path)
    result["spans"] = [f.as_json() for f in det.detect(text)]
    if warnings:
        result["warnings"] = warnings
        for w in warnings:
            print(f"redaction detect: {job.file}: {w}", file=err)
    return result


def run(argv: list[str], out: TextIO | None = None, err: TextIO | None = None) -> int:
    out = out or sys.stdout
    err = err or sys.stderr
    try:
        jobs = parse(argv)
    except UsageError as exc:
        print(f"redaction detect: {exc}", file=err)
        return 2
    registers: dict[str, Detector | str] = {}
    failed = 0
    for job in jobs:
        message = None
        try:
            result = _one(job, registers, err)
        except (OSError, ValueError, PdfTextError) as exc:
            message = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        except Exception as exc:  # noqa: BLE001 - one bad file must not lose the rest of the batch
            message = f"internal error while reading this file ({type(exc).__name__}: {exc})"
        if message is not None:
            failed += 1
            print(f"redaction detect: {job.file}: {message}", file=err)
            result = {"file": job.file, "error": message, "spans": []}
        out.write(json.dumps(result, ensure_ascii=False) + "\n")
        out.flush()
    return 1 if failed else 0
