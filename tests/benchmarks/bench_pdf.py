"""PDF redaction throughput and memory: ``.venv/bin/python tests/benchmarks/bench_pdf.py``.

Targets (issue 4): pages with redactions >= 10 pages/s per core at 200 dpi; pages without
>= 200 pages/s; peak memory flat in the number of pages. Each memory figure comes from a fresh
process so earlier runs do not inflate it. Single process throughout, so figures are per core.
"""

from __future__ import annotations

import argparse
import io
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from redaction import Span, page_texts, redact_pdf_file

NAME = "Kayla Smith"
LINE = "On {n} May the worker met {name} at the school about attendance and the plan."


def case_file(pages: int) -> bytes:
    buffer = io.BytesIO()
    c = canvas.Canvas(buffer, pagesize=A4)
    for page in range(pages):
        c.setFont("Helvetica", 10)
        for row in range(45):
            name = NAME if row % 5 == 0 else "the family support worker"
            c.drawString(56, 790 - 16 * row, LINE.format(n=page + row, name=name))
        c.showPage()
    c.save()
    return buffer.getvalue()


def spans(data: bytes) -> dict[int, list[Span]]:
    found: dict[int, list[Span]] = {}
    for text in page_texts(data):
        start = text.text.find(NAME)
        while start >= 0:
            found.setdefault(text.index, []).append(Span(start, start + len(NAME)))
            start = text.text.find(NAME, start + 1)
    return found


def throughput(pages: int, redact: bool) -> tuple[float, float]:
    """Pages per second by process CPU time (one core) and by wall clock; best of three."""
    data = case_file(pages)
    redactions = spans(data) if redact else {}
    best_cpu = best_wall = float("inf")
    with tempfile.TemporaryDirectory() as tmp:
        for _ in range(3):
            wall, cpu = time.perf_counter(), time.process_time()
            redact_pdf_file(data, Path(tmp) / "out.pdf", redactions)
            best_cpu = min(best_cpu, time.process_time() - cpu)
            best_wall = min(best_wall, time.perf_counter() - wall)
    return pages / best_cpu, pages / best_wall


def peak_rss_mb(pages: int) -> float:
    """Peak RSS of a fresh process redacting a name on every page of a ``pages``-page file.

    The input is written by this process, so building it (reportlab keeps a whole document in
    memory) does not count against the redactor.
    """
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "in.pdf"
        source.write_bytes(case_file(pages))
        result = subprocess.run(
            [sys.executable, __file__, "--rss-child", str(source)], check=True, capture_output=True, text=True
        )
    return float(result.stdout.strip())


def _rss_child(source: str) -> None:
    redactions = spans(Path(source).read_bytes())
    with tempfile.TemporaryDirectory() as tmp:
        redact_pdf_file(source, Path(tmp) / "out.pdf", redactions)
    print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)


def _cpu_model() -> str:
    try:
        for line in subprocess.run(["lscpu"], capture_output=True, text=True, check=True).stdout.splitlines():
            if line.startswith("Model name:"):
                return line.split(":", 1)[1].strip()
    except (OSError, subprocess.CalledProcessError):
        pass
    return platform.processor() or "unknown"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rss-child")
    args = parser.parse_args()
    if args.rss_child:
        _rss_child(args.rss_child)
        return
    print(f"machine: {_cpu_model()}, Python {platform.python_version()}")
    print(f"load average before: {os.getloadavg()[0]:.1f}")
    throughput(5, True)  # warm caches and imports
    cpu, wall = throughput(100, True)
    print(f"pages with redactions:    {cpu:7.1f} pages/s CPU, {wall:7.1f} wall (200 dpi, target >= 10)")
    cpu, wall = throughput(1000, False)
    print(f"pages without redactions: {cpu:7.1f} pages/s CPU, {wall:7.1f} wall (target >= 200)")
    for pages in (50, 500):
        print(f"peak RSS redacting {pages:4d} pages: {peak_rss_mb(pages):6.1f} MB")


if __name__ == "__main__":
    main()
