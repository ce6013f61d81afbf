"""Command line: ``python -m redaction detect|redact-pdf|verify``.

Each sub-command lives beside the code it drives; this module only parses arguments.
"""

from __future__ import annotations

import argparse
import sys


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m redaction", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)

    detect = commands.add_parser("detect", help="find third-party data in text or PDF files")
    detect.add_argument(
        "items",
        nargs="+",
        metavar="FILE",
        help="files to scan; each may be preceded by --people P.json naming its case register",
    )

    redact = commands.add_parser("redact-pdf", help="write a truly redacted copy of a PDF")
    redact.add_argument("--people", required=True, help="the case register (people.json)")
    redact.add_argument("--decisions", help="reviewer decisions (JSON) overriding the detector")
    redact.add_argument("input_pdf")
    redact.add_argument("output_pdf")

    verify = commands.add_parser("verify", help="check that a redacted PDF leaks nothing")
    verify.add_argument("pdf")
    verify.add_argument("--forbidden", help="file of strings that must not be recoverable, one per line")
    verify.add_argument("--must-keep", help="file of strings that must still be present, one per line")
    verify.add_argument("--no-ocr", action="store_true", help="skip reading image pages back with OCR (faster)")
    return parser


def main(argv: list[str] | None = None) -> int:
    raw = list(sys.argv[1:] if argv is None else argv)
    if raw[:1] == ["detect"]:
        # --people may appear many times, each pairing with the FILE after it, which argparse
        # cannot express; the detect command reads its own pairs.
        from redaction.cli.detect import run as run_detect

        return run_detect(raw[1:])
    args = build_parser().parse_args(raw)
    if args.command == "redact-pdf":
        from redaction.cli.redact_pdf import run as run_redact

        return run_redact(args)
    from redaction.verify.check import run_cli as run_verify

    return run_verify(args)


if __name__ == "__main__":
    sys.exit(main())
