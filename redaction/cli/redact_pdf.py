"""``python -m redaction redact-pdf --people P.json IN.pdf OUT.pdf [--decisions D.json]``.

Finds third-party data page by page with the case register and writes a truly redacted copy
(see :mod:`redaction.pdf`). Without decisions, both ``redact`` and ``review`` findings are
redacted; the decisions format is described in :mod:`redaction.pdf.decisions`. Prints one JSON object
describing what was done (pages rebuilt, pages read by OCR, every box with its page, offsets,
text and reason code), which is also the place to find offsets for a decisions file.

Exit status: 0 written, 1 the input could not be read (nothing is written), 2 a bad register or
decisions file.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from redaction.pdf.decisions import DecisionsError, load_decisions
from redaction.pdf.errors import PdfReadProblem
from redaction.pdf.ocr import OcrUnavailable
from redaction.pdf.redact import RedactionReport, redact_pdf_with_register


def run(args: argparse.Namespace) -> int:
    try:
        decisions = load_decisions(args.decisions) if args.decisions else None
    except DecisionsError as exc:
        print(f"redact-pdf: {exc}", file=sys.stderr)
        return 2
    try:
        from redaction.detect.register import load_register

        register = load_register(args.people)
    except (OSError, ValueError) as exc:
        print(f"redact-pdf: the register {args.people} cannot be used: {exc}", file=sys.stderr)
        return 2
    output = Path(args.output_pdf)
    partial = output.with_name(output.name + ".part")
    try:
        # Written beside the target and renamed at the end, so a failure never leaves a
        # half-written file where a finished one is expected.
        report = redact_pdf_with_register(args.input_pdf, partial, register, decisions=decisions)
        partial.replace(output)
    except (PdfReadProblem, OcrUnavailable) as exc:
        partial.unlink(missing_ok=True)
        print(f"redact-pdf: {exc}", file=sys.stderr)
        return 1
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    print(json.dumps(summary(report, str(output))))
    return 0


def summary(report: RedactionReport, output: str) -> dict[str, object]:
    return {
        "file": report.name,
        "output": output,
        "pages": report.pages,
        "rebuilt_pages": [p + 1 for p in report.rasterised],
        "ocr_pages": [p + 1 for p in report.ocr_pages],
        "unread_pages": [p + 1 for p in report.unread_pages],
        "warnings": report.warnings,
        "redactions": [box.as_json() for box in report.boxes],
    }
