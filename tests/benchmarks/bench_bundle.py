"""Bundle build, release check and encryption at scale: ``.venv/bin/python tests/benchmarks/bench_bundle.py``.

Targets (issue 13): a 2,000-page bundle (1,000 pages of typeset records and emails, 1,000 pages of PDFs of which half
carry redactions) builds, passes the release check and is encrypted in under 60 s on the 2-core machine with peak
memory under 600 MB; a 10,000-page bundle (the same mix, five times over) uses at most 1.2 times the memory of the
2,000-page one.

What runs is the bundle stage's own code without the database: :func:`sar.bundle.builder.build_part` (every
document redacted by the redaction library, the index, stand-ins, key, furniture and bookmarks), the release gate
:func:`sar.bundle.gate.run_gate` (the library's ``verify_pdf`` with every redacted name forbidden and the subject's
name as must-keep) and :func:`sar.bundle.release.encrypt`. Each size runs in a fresh process so its peak RSS
(``ru_maxrss``) is its own. Prints a Markdown table for docs/benchmarks.md, with the load average, since the machine's
2 cores are shared.

    .venv/bin/python tests/benchmarks/bench_bundle.py [--sizes 2000,10000] [--one 2000]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

SUBJECT = "Ayesha Khan"
THIRD_PARTIES = ["Gary Pollard", "Kayla Smith", "Dorian Wells", "Priya Natt"]
RECORD = "On {n} May the social worker visited {subject} at home; the family support plan was reviewed in full."
EMAIL = "From: duty.team@council.example  To: {subject}'s worker  Subject: visit {n}"
WORKERS = int(os.environ.get("BENCH_BUNDLE_WORKERS", "2"))  # redaction processes, as BUNDLE_WORKERS on 2 cores
PDF_LINE = "Case note {n}: {who} called about {subject} and the school attendance plan."


def typeset(path: Path, pages: int, email: bool, seed: int) -> None:
    c = canvas.Canvas(str(path), pagesize=A4)
    for page in range(pages):
        c.setFont("Helvetica", 10)
        if email:
            c.drawString(56, 800, EMAIL.format(subject=SUBJECT, n=seed + page))
        for row in range(40):
            c.drawString(56, 780 - 18 * row, RECORD.format(n=seed + page + row, subject=SUBJECT)[:100])
        c.showPage()
    c.save()


def pdf_with_names(path: Path, pages: int, seed: int) -> None:
    """A 'born-digital' case file: half its pages mention a third party (to redact), half do not."""
    c = canvas.Canvas(str(path), pagesize=A4)
    for page in range(pages):
        c.setFont("Helvetica", 10)
        for row in range(40):
            who = THIRD_PARTIES[(seed + page) % len(THIRD_PARTIES)] if page % 2 == 0 and row % 8 == 0 else "a worker"
            c.drawString(56, 780 - 18 * row, PDF_LINE.format(n=seed + page + row, who=who, subject=SUBJECT))
        c.showPage()
    c.save()


def make_corpus(root: Path, total_pages: int) -> list[dict[str, object]]:
    """Half typeset records and emails (10-page documents), half PDFs (20-page files, half their pages redacted)."""
    from redaction import page_texts

    documents: list[dict[str, object]] = []
    typeset_pages = total_pages // 2
    # Identical templates are generated once and reused: what is measured is the bundle, not reportlab.
    record, email, case_file = root / "record.pdf", root / "email.pdf", root / "casefile.pdf"
    typeset(record, 10, False, 1)
    typeset(email, 10, True, 2)
    pdf_with_names(case_file, 20, 3)
    spans: dict[int, list[tuple[int, int, str]]] = {}
    for text in page_texts(str(case_file)):
        for name in THIRD_PARTIES:
            at = text.text.find(name)
            while at >= 0:
                spans.setdefault(text.index, []).append((at, at + len(name), name))
                at = text.text.find(name, at + 1)
    for n in range(typeset_pages // 10):
        documents.append(
            {"key": str(email if n % 3 == 0 else record), "pages": 10, "title": f"Record {n + 1}", "spans": {}}
        )
    for n in range((total_pages - typeset_pages) // 20):
        documents.append({"key": str(case_file), "pages": 20, "title": f"Case file {n + 1}", "spans": spans})
    return documents


def run_one(total_pages: int) -> dict[str, float]:
    from redaction import Span
    from sar.bundle import builder, gate, pages
    from sar.bundle.plan import PlannedDocument
    from sar.bundle.release import encrypt

    with tempfile.TemporaryDirectory(prefix="bench-bundle-") as tmp:
        root = Path(tmp)
        corpus = make_corpus(root, total_pages)
        planned = []
        forbidden: set[str] = set()
        for number, item in enumerate(corpus, start=1):
            spans = item["spans"]
            assert isinstance(spans, dict)
            document = PlannedDocument(
                document_id=number,
                title=str(item["title"]),
                day=date(2020, 1, 1 + number % 28),
                source="Children's social care (Mosaic)",
                page_count=int(str(item["pages"])),
                working_key=str(item["key"]),
            )
            for index, found in spans.items():
                document.redactions[index] = [Span(s, e, "TP") for s, e, _name in found]
                document.redaction_count += len(found)
                forbidden.update(name for _s, _e, name in found)
            document.codes = {"TP"} if spans else set()
            planned.append(document)
        spec = builder.PartSpec(
            reference="SAR-2026-00042",
            disclosed_to=SUBJECT,
            disclosed_on=date(2026, 12, 4),
            part=1,
            parts_total=1,
            first_bundle_number=1,
            first_index_number=1,
            documents=planned,
            key_rows=[pages.KeyRow("TP", "information about other people", "DPA 2018 Sch 2 Pt 3 para 16")],
            cover=None,
        )
        work = root / "work"
        work.mkdir()
        out = root / "bundle.pdf"

        def fetch(key: str, path: Path) -> None:  # the file store's copy_to_path, without the decryption
            path.write_bytes(Path(key).read_bytes())

        cpu0 = time.process_time()
        started = time.perf_counter()
        built = builder.build_part(spec, out, work, fetch, workers=WORKERS)
        build_s = time.perf_counter() - started
        furniture = built.furniture.lines(1) if built.furniture else ("", "")
        keep = gate.must_keep_strings([SUBJECT], furniture, [RECORD.format(n=1, subject=SUBJECT)])
        started = time.perf_counter()
        result = gate.run_gate(out, forbidden=sorted(forbidden), must_keep=keep, document_pages=built.document_pages)
        gate_s = time.perf_counter() - started
        started = time.perf_counter()
        encrypt(out, root / "released.pdf", "correct-horse-battery")
        encrypt_s = time.perf_counter() - started
        cpu_s = time.process_time() - cpu0
        size_mb = out.stat().st_size / 1e6
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu_s += children.ru_utime + children.ru_stime  # the redaction worker processes
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    children_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return {
        "pages": built.page_count,
        "build_s": build_s,
        "gate_s": gate_s,
        "encrypt_s": encrypt_s,
        "total_s": build_s + gate_s + encrypt_s,
        "cpu_s": cpu_s,
        "rss_mb": rss_mb,
        "children_rss_mb": children_mb,
        "size_mb": size_mb,
        "passed": float(result.passed),
        "report": result.report[:300],  # type: ignore[dict-item]
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="2000,10000")
    parser.add_argument("--one", type=int, default=None, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(run_one(args.one)))  # the builder, gate and encryption need no app or database
        return
    rows = []
    for size in [int(s) for s in args.sizes.split(",")]:
        load = os.getloadavg()
        output = subprocess.run(
            [sys.executable, __file__, "--one", str(size)], check=True, capture_output=True, text=True
        ).stdout
        figures = json.loads(output.strip().splitlines()[-1])
        figures["load"] = load[0]
        rows.append(figures)
        print(json.dumps(figures), file=sys.stderr)
    print(
        "| pages | build (s) | release check (s) | encrypt (s) | total (s) | CPU, all processes (s) "
        "| peak RSS, main + largest worker (MB) | file (MB) | check | load avg (1 min) |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|")
    for r in rows:
        print(
            f"| {int(r['pages'])} | {r['build_s']:.1f} | {r['gate_s']:.1f} | {r['encrypt_s']:.1f} "
            f"| {r['total_s']:.1f} | {r['cpu_s']:.1f} | {r['rss_mb']:.0f} + {r['children_rss_mb']:.0f} "
            f"| {r['size_mb']:.0f} | {'clean' if r['passed'] else 'NOT CLEAN'} | {r['load']:.2f} |"
        )
    if len(rows) > 1:
        print(
            f"\nMemory ratio {int(rows[-1]['pages'])} / {int(rows[0]['pages'])} pages: "
            f"{rows[-1]['rss_mb'] / rows[0]['rss_mb']:.2f}"
        )


if __name__ == "__main__":
    main()
